package rescore

import (
	"cmp"
	"container/heap"
	"slices"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/scoring"
	"github.com/rapportdev/rapport/storecodec"
)

// Top returns the ids of the page of scored profiles that filter asks for,
// ordered as the store orders leads (priority, highest first, then profile
// id), and how many match in all: one scan of the ranking columns, keeping
// the best Offset+Limit in a heap.
func (h *Hot) Top(filter rapport.LeadFilter) ([]string, int) {
	limit, offset := storecodec.LeadLimit(filter)
	want := leadMatcher(filter)
	h.mu.RLock()
	chunks := h.chunks
	h.mu.RUnlock()
	top := &leadHeap{}
	keep := offset + limit
	total := 0
	for _, c := range chunks {
		c.mu.Lock()
		for j := range c.ranks {
			k := &c.ranks[j]
			if !k.live || k.grade == 0 || !want.match(k) {
				continue
			}
			total++
			// The id is read only for a candidate: the entries are
			// large, the ranking columns small.
			if len(*top) < keep {
				heap.Push(top, lead{priority: k.priority, id: c.entries[j].id})
			} else if keep > 0 && k.priority >= (*top)[0].priority {
				if l := (lead{priority: k.priority, id: c.entries[j].id}); l.before((*top)[0]) {
					(*top)[0] = l
					heap.Fix(top, 0)
				}
			}
		}
		c.mu.Unlock()
	}
	ranked := []lead(*top)
	slices.SortFunc(ranked, func(a, b lead) int {
		if a.before(b) {
			return -1
		}
		return 1
	})
	if offset >= len(ranked) {
		return nil, total
	}
	ids := make([]string, 0, len(ranked)-offset)
	for _, l := range ranked[offset:] {
		ids = append(ids, l.id)
	}
	return ids, total
}

// matcher is a lead filter as bit sets.
type matcher struct {
	grades        uint8 // 0: any
	stages        uint16
	minEngagement float64
}

func leadMatcher(f rapport.LeadFilter) matcher {
	m := matcher{minEngagement: f.MinEngagement}
	for _, g := range f.Grades {
		m.grades |= gradeBit(g)
	}
	if len(f.Grades) > 0 && m.grades == 0 {
		m.grades = 1 << 7 // grades no score has: match none
	}
	for _, s := range f.Stages {
		for i, x := range scoring.Stages {
			if string(x) == s {
				m.stages |= 1 << i
			}
		}
	}
	if len(f.Stages) > 0 && m.stages == 0 {
		m.stages = 1 << 15
	}
	return m
}

func (m *matcher) match(k *rank) bool {
	return (m.grades == 0 || m.grades&k.grade != 0) &&
		(m.stages == 0 || m.stages&(1<<k.stage) != 0) &&
		k.engagement >= m.minEngagement
}

// lead is a candidate of the top.
type lead struct {
	priority float64
	id       string
}

// before reports whether a ranks before b.
func (a lead) before(b lead) bool {
	if c := cmp.Compare(b.priority, a.priority); c != 0 {
		return c < 0
	}
	return a.id < b.id
}

// leadHeap keeps the worst of the best at its root.
type leadHeap []lead

func (h leadHeap) Len() int           { return len(h) }
func (h leadHeap) Less(i, j int) bool { return h[j].before(h[i]) }
func (h leadHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *leadHeap) Push(x any)        { *h = append(*h, x.(lead)) }
func (h *leadHeap) Pop() any {
	old := *h
	l := old[len(old)-1]
	*h = old[:len(old)-1]
	return l
}
