package decide

import (
	"sync"
	"time"

	"github.com/rapportdev/rapport"
)

// people caches what decisions read about a person (profile, score,
// segments, recent outcomes), so that a person asked about again, page
// after page, costs no store reads: about 0.4 ms of SQLite work per
// decision measured, most of a decision's cost. It is kept true by the
// processor (OnApplied forgets whoever a batch touched: new events, a
// consent given or withdrawn, a score, a segment entered, a merge), by
// erasure (Forget) and by the outcomes this process records; what
// changes elsewhere (a recompute pass, another process's outcomes) is
// read again after the time to live. Only the process that applies
// events caches: elsewhere nothing would tell it of changes.
type people struct {
	ttl time.Duration
	max int

	mu   sync.Mutex
	byID map[string]cachedPerson
	ids  map[rapport.Identity]string
	// epoch counts forgets; forgot holds the epoch each profile was last
	// forgotten at, so a read that began before a forget of its profile
	// is not kept (it may hold what the forget was about).
	epoch  uint64
	forgot map[string]uint64
}

type cachedPerson struct {
	person
	at time.Time
}

func newPeople(max int, ttl time.Duration) *people {
	return &people{ttl: ttl, max: max, byID: map[string]cachedPerson{}, ids: map[rapport.Identity]string{}, forgot: map[string]uint64{}}
}

// begin returns the epoch a read of the store starts at, for put.
func (c *people) begin() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.epoch
}

// lookup returns the profile id a cached identity belongs to.
func (c *people) lookup(id rapport.Identity) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	pid, ok := c.ids[id]
	return pid, ok
}

// get returns a person read less than the time to live ago.
func (c *people) get(profileID string, now time.Time) (person, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byID[profileID]
	if !ok || now.Sub(e.at) > c.ttl {
		return person{}, false
	}
	return e.person, true
}

// put keeps a person read at now, whose read began at epoch, unless the
// person was forgotten since. Past max people the cache starts again
// empty: cheaper than tracking the least recently used, and a decision
// only costs its reads again.
func (c *people) put(p person, epoch uint64, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.forgot[p.profile.ID] > epoch {
		return
	}
	if len(c.byID) >= c.max || len(c.forgot) >= c.max {
		c.byID, c.ids, c.forgot = map[string]cachedPerson{}, map[rapport.Identity]string{}, map[string]uint64{}
	}
	c.byID[p.profile.ID] = cachedPerson{person: p, at: now}
	for _, id := range p.profile.Identities {
		c.ids[id] = p.profile.ID
	}
}

// forget drops people and identities.
func (c *people) forget(profileIDs []string, ids []rapport.Identity) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.epoch++
	for _, pid := range profileIDs {
		c.forgot[pid] = c.epoch
		if e, ok := c.byID[pid]; ok {
			for _, id := range e.profile.Identities {
				delete(c.ids, id)
			}
			delete(c.byID, pid)
		}
	}
	for _, id := range ids {
		delete(c.ids, id)
	}
}

// changed forgets whoever a batch of changes touched.
func (c *people) changed(ch rapport.Changes) {
	var pids []string
	for _, p := range ch.Profiles {
		pids = append(pids, p.ID)
	}
	for _, s := range ch.Scores {
		pids = append(pids, s.ProfileID)
	}
	for _, m := range ch.Memberships {
		pids = append(pids, m.ProfileID)
	}
	for _, m := range ch.Merges {
		pids = append(pids, m.From, m.Into)
	}
	ids := make([]rapport.Identity, len(ch.Identities))
	for i, l := range ch.Identities {
		ids[i] = l.Identity
	}
	c.forget(pids, ids)
}

// recorded adds outcomes this process recorded to the histories of
// cached people. Histories are never changed in place: a decision may be
// reading the old one.
func (c *people) recorded(outcomes []rapport.Outcome) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, o := range outcomes {
		e, ok := c.byID[o.ProfileID]
		if !ok {
			continue
		}
		h := make([]rapport.Outcome, 0, len(e.history)+1)
		e.history = append(append(h, o), e.history...)
		if len(e.history) > historyLimit {
			e.history = e.history[:historyLimit]
		}
		c.byID[o.ProfileID] = e
	}
}
