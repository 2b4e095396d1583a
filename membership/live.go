package membership

import (
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/segment"
)

// rules is one generation of compiled rule segments with the RFM scale
// they are evaluated against.
type rules struct {
	segs []*segment.Segment
	ids  map[string]bool
	rfm  segment.RFMScale
	// set is the processor's; passes build their own (a Set is used by
	// one goroutine at a time).
	mu  sync.Mutex
	set *segment.Set
}

func newRules(segs []*segment.Segment, rfm segment.RFMScale) (*rules, error) {
	set, err := segment.NewSet(segs...)
	if err != nil {
		return nil, err
	}
	r := &rules{segs: segs, ids: make(map[string]bool, len(segs)), rfm: rfm, set: set}
	for _, s := range segs {
		r.ids[s.ID()] = true
	}
	return r, nil
}

// evaluate returns the sorted ids of the segments p is in, with set.
func (r *rules) evaluate(set *segment.Set, p *rapport.Profile, score *rapport.ScoreRecord, now time.Time) []string {
	var rfm segment.RFM
	if v, ok := segment.RFMValuesOf(p, now); ok {
		rfm = r.rfm.Score(v)
	}
	env := segment.NewEnv(p, score, &p.Aggregates.Recent, rfm, now)
	ids := set.IDs(set.Evaluate(&env))
	slices.Sort(ids)
	return ids
}

// Live evaluates the rule segments in use; it implements
// processor.Segmenter.
type Live struct {
	rules atomic.Pointer[rules]
}

// Memberships returns the rule segments p is in now.
func (l *Live) Memberships(p *rapport.Profile, score *rapport.ScoreRecord, now time.Time) []string {
	r := l.rules.Load()
	if r == nil || len(r.segs) == 0 {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.evaluate(r.set, p, score, now)
}

// Manages reports whether id is a rule segment in use.
func (l *Live) Manages(id string) bool {
	r := l.rules.Load()
	return r != nil && r.ids[id]
}
