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
	// rfmReady is whether a pass has placed the RFM quintiles; until one
	// has, segments that read rfm are not managed (their members stay as
	// stored), or a restart would empty them.
	rfmReady bool
	// readsRFM holds the ids of the segments that read rfm.
	readsRFM map[string]bool
	// set is the processor's; passes build their own (a Set is used by
	// one goroutine at a time).
	mu  sync.Mutex
	set *segment.Set
}

func newRules(segs []*segment.Segment, rfm segment.RFMScale, rfmReady bool) (*rules, error) {
	set, err := segment.NewSet(segs...)
	if err != nil {
		return nil, err
	}
	r := &rules{segs: segs, ids: make(map[string]bool, len(segs)), rfm: rfm, rfmReady: rfmReady,
		readsRFM: map[string]bool{}, set: set}
	for _, s := range segs {
		r.ids[s.ID()] = true
		if s.ReadsField("rfm") {
			r.readsRFM[s.ID()] = true
		}
	}
	return r, nil
}

// manages reports whether the segment's membership is decided here now.
func (r *rules) manages(id string) bool {
	return r.ids[id] && (r.rfmReady || !r.readsRFM[id])
}

// evaluate returns the sorted ids of the managed segments p is in, with
// set; current are the segments p is in now (all kinds), which rules
// read as `segments`.
func (r *rules) evaluate(set *segment.Set, p *rapport.Profile, score *rapport.ScoreRecord, current []string, now time.Time) []string {
	var ids []string
	for _, id := range r.all(set, p, score, current, now) {
		if r.manages(id) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

// all returns the ids of every segment of set p is in, managed or not.
func (r *rules) all(set *segment.Set, p *rapport.Profile, score *rapport.ScoreRecord, current []string, now time.Time) []string {
	var rfm segment.RFM
	if v, ok := segment.RFMValuesOf(p, now); ok && r.rfmReady {
		rfm = r.rfm.Score(v)
	}
	env := segment.NewEnv(p, score, &p.Aggregates.Recent, rfm, now)
	env.Segments = current
	return set.IDs(set.Evaluate(&env))
}

// Live evaluates the rule segments in use; it implements
// processor.Segmenter.
type Live struct {
	rules atomic.Pointer[rules]
}

// Memberships returns the rule segments p is in now; current are the
// segments it is in before (all kinds, for rules that read `segments`).
func (l *Live) Memberships(p *rapport.Profile, score *rapport.ScoreRecord, current []string, now time.Time) []string {
	r := l.rules.Load()
	if r == nil || len(r.segs) == 0 {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.evaluate(r.set, p, score, current, now)
}

// Manages reports whether id is a rule segment whose membership is
// decided here now.
func (l *Live) Manages(id string) bool {
	r := l.rules.Load()
	return r != nil && r.manages(id)
}
