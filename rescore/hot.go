package rescore

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/scoring"
)

// Hot is the scoring state of every profile in memory: per profile, what
// scoring reads of it (scoring.Subject, not the profile with its
// histories), its decoded scoring state and its latest score without the
// explanation. A model change rescores it in place on every core
// (RescoreHot), readers are served from it (Scores), and the store is
// written behind (WriteBehind). The store stays the truth: Hot is filled
// from it at start (Fill) and kept current from the batches the store has
// accepted (Live.Applied).
//
// Entries live in chunks of chunkSize, each with its own lock, so a pass,
// the processor and readers work on different chunks at once; an entry's
// index never changes while it lives, so the chunk slice only grows.
type Hot struct {
	// mu guards index, chunks, free and tombs; a chunk's entries are
	// guarded by the chunk's lock, taken after mu when both are.
	mu     sync.RWMutex
	index  map[string]int32
	chunks []*chunk
	free   []int32
	// tombs holds the profiles removed while a Fill runs, so a page it
	// read before the removal does not bring them back.
	tombs map[string]bool

	// strs shares the strings profiles repeat.
	strs interner

	filling atomic.Bool
	filled  atomic.Bool
	// serving is the model version all scored entries hold when a pass
	// has finished with it; readers are served from Hot only while it is
	// the version in use (see Scores).
	serving atomic.Int64
}

const (
	chunkBits = 10
	chunkSize = 1 << chunkBits
)

// chunk is chunkSize entries with one lock, and their ranking columns
// apart, so the lead list scans 32 bytes per profile.
type chunk struct {
	mu      sync.Mutex
	entries [chunkSize]entry
	ranks   [chunkSize]rank
}

// entry is one profile's hot state.
type entry struct {
	id      string
	subject scoring.Subject
	state   scoring.State
	// at is the time the latest score was computed for (its Result.At).
	at time.Time
	// stored is the UpdatedAt of the score the store holds for this
	// state, zero when it holds none: the Prev of a write behind.
	stored time.Time
	// dirty marks a score computed in memory and not yet in the store;
	// fired holds the rules it made true, queued when it is written.
	dirty bool
	fired []string
}

// rank is what the lead list filters and orders by.
type rank struct {
	priority, fit, engagement float64
	grade                     uint8 // bit of gradeBits; 0 for a profile not scored yet
	stage                     uint8 // index in scoring.Stages
	live                      bool
}

// NewHot returns an empty Hot; Fill fills it from the store.
func NewHot() *Hot {
	return &Hot{index: map[string]int32{}, tombs: map[string]bool{}}
}

// Len returns how many profiles Hot holds.
func (h *Hot) Len() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.index)
}

// Filled reports whether Hot holds every stored profile: a Fill finished
// and the processor has kept it current since.
func (h *Hot) Filled() bool { return h.filled.Load() }

// slot returns the chunk and offset of index i.
func (h *Hot) slot(i int32) (*chunk, int) {
	return h.chunks[i>>chunkBits], int(i & (chunkSize - 1))
}

// lookup returns the chunk and offset of a profile's entry.
func (h *Hot) lookup(id string) (*chunk, int, bool) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	i, ok := h.index[id]
	if !ok {
		return nil, 0, false
	}
	c, j := h.slot(i)
	return c, j, true
}

// add returns the slot of a new entry for id; the caller holds h.mu.
func (h *Hot) add(id string) (*chunk, int) {
	var i int32
	if n := len(h.free); n > 0 {
		i, h.free = h.free[n-1], h.free[:n-1]
	} else {
		i = int32(len(h.chunks) * chunkSize)
		h.chunks = append(h.chunks, &chunk{})
		for j := chunkSize - 1; j > 0; j-- {
			h.free = append(h.free, i+int32(j))
		}
	}
	h.index[id] = i
	return h.slot(i)
}

// Remove drops profiles from Hot: merged away, or erased. Call it after
// the store no longer holds them.
func (h *Hot) Remove(ids ...string) {
	if len(ids) == 0 {
		return // most batches merge nothing: no lock
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, id := range ids {
		if h.filling.Load() {
			h.tombs[id] = true
		}
		i, ok := h.index[id]
		if !ok {
			continue
		}
		delete(h.index, id)
		h.free = append(h.free, i)
		c, j := h.slot(i)
		c.mu.Lock()
		c.entries[j] = entry{}
		c.ranks[j] = rank{}
		c.mu.Unlock()
	}
}

// setRank writes the ranking columns of entry j from r; the caller holds
// c.mu.
func (c *chunk) setRank(j int, r *scoring.Result) {
	c.ranks[j] = rank{priority: r.Priority, fit: r.Fit.Score, engagement: r.Engagement.Score,
		grade: gradeBit(r.Fit.Grade), stage: stageIndex(r.Lifecycle.Stage), live: true}
}

// scored reports whether entry j has a score (a profile stored without
// one, by rapport import, has none until a pass).
func (c *chunk) scored(j int) bool { return c.ranks[j].grade != 0 }

var gradeNames = [...]string{"A", "B", "C", "D"}

// gradeBit is a grade's bit in rank.grade, 0 for none.
func gradeBit(g string) uint8 {
	for i, x := range gradeNames {
		if x == g {
			return 1 << i
		}
	}
	return 0
}

// stageIndex is a stage's position in scoring.Stages.
func stageIndex(s scoring.Stage) uint8 {
	for i, x := range scoring.Stages {
		if x == s {
			return uint8(i)
		}
	}
	return 0
}

// cloneState copies the slices of st: the processor scores a copy of a
// hot state in place, and Hot keeps its own until the batch is stored.
func cloneState(st *scoring.State) scoring.State {
	out := *st
	out.Types = append([]scoring.TypeState(nil), st.Types...)
	out.History = append([]scoring.Transition(nil), st.History...)
	out.Active = append([]string(nil), st.Active...)
	return out
}

// notificationsOf turns the rules a score fired into notifications.
func notificationsOf(profileID string, fired []string, r *scoring.Result) []rapport.Notification {
	return notifications(profileID, fired, r, r.At)
}
