package decide

import (
	"sync"

	"github.com/rapportdev/rapport"
)

// recentDecisions keeps the latest decisions in memory (a ring of ids and
// a map), so an outcome that follows its decision by seconds needs no
// read, and one that arrives before the decision's record is flushed is
// not refused.
type recentDecisions struct {
	mu   sync.Mutex
	byID map[string]*rapport.Decision
	ring []string
	next int
}

func (r *recentDecisions) init(capacity int) {
	r.byID = make(map[string]*rapport.Decision, capacity)
	r.ring = make([]string, capacity)
}

func (r *recentDecisions) add(d *rapport.Decision) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if old := r.ring[r.next]; old != "" {
		delete(r.byID, old)
	}
	r.ring[r.next] = d.ID
	r.byID[d.ID] = d
	r.next = (r.next + 1) % len(r.ring)
}

func (r *recentDecisions) get(id string) *rapport.Decision {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.byID[id]
}
