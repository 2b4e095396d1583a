package leads

import (
	"context"
	"slices"
	"sync"

	"github.com/rapportdev/rapport"
)

// maxGroup bounds the leads stored in one transaction.
const maxGroup = 2000

// grouper stores the leads of concurrent intake calls in one CreateLeads
// transaction: SQLite has one writer, and a transaction's fixed costs (the
// commit's fsync, the index pages written) are paid once per group instead
// of once per request. The first caller to find no group running runs
// groups until the queue is empty; the others wait for their part.
type grouper struct {
	store rapport.LeadStore

	mu      sync.Mutex
	queue   []*groupCall
	running bool
}

// groupCall is one intake call's share of a group.
type groupCall struct {
	leads    []rapport.Lead
	keys     [][]string
	caps     []rapport.LeadCap
	complete func(*rapport.Lead)
	out      []rapport.CreatedLead
	err      error
	done     chan struct{}
}

// create stores leads as LeadStore.CreateLeads does, grouped with the
// calls waiting at the same moment. The store counts a group's caps in
// its transaction, in order, so calls of one capped vendor grouped
// together share the cap's places as if made one after the other.
func (g *grouper) create(ctx context.Context, leads []rapport.Lead, keys [][]string, caps []rapport.LeadCap,
	complete func(*rapport.Lead)) ([]rapport.CreatedLead, error) {
	c := &groupCall{leads: leads, keys: keys, caps: caps, complete: complete, done: make(chan struct{})}
	g.mu.Lock()
	g.queue = append(g.queue, c)
	lead := !g.running
	g.running = true
	g.mu.Unlock()
	if lead {
		// The group outlives this caller's request: the others wait on it.
		g.run(context.WithoutCancel(ctx))
	}
	select {
	case <-c.done:
		return c.out, c.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// run stores groups until the queue is empty.
func (g *grouper) run(ctx context.Context) {
	for {
		g.mu.Lock()
		calls, caps := g.take()
		if len(calls) == 0 {
			g.running = false
			g.mu.Unlock()
			return
		}
		g.mu.Unlock()
		g.store1(ctx, calls, caps)
	}
}

// take removes calls from the queue up to maxGroup leads (at least one
// call), and stops before a call whose caps differ from those of a call
// taken (its vendor's terms changed, or the UTC day turned between
// them): a group holds one set of caps per vendor. It returns the calls
// and their caps. The caller holds g.mu.
func (g *grouper) take() ([]*groupCall, []rapport.LeadCap) {
	n, leads := 0, 0
	var caps []rapport.LeadCap
	for n < len(g.queue) && (n == 0 || leads+len(g.queue[n].leads) <= maxGroup) {
		merged, ok := mergeCaps(caps, g.queue[n].caps)
		if !ok {
			break
		}
		caps = merged
		leads += len(g.queue[n].leads)
		n++
	}
	calls := g.queue[:n:n]
	g.queue = g.queue[n:]
	return calls, caps
}

// mergeCaps adds caps to a group's, once each; false when one of them
// names a vendor's term that the group caps otherwise.
func mergeCaps(group, caps []rapport.LeadCap) ([]rapport.LeadCap, bool) {
	for _, c := range caps {
		i := slices.IndexFunc(group, func(h rapport.LeadCap) bool { return h.VendorID == c.VendorID && h.Term == c.Term })
		switch {
		case i < 0:
			group = append(group, c)
		case group[i].Limit != c.Limit || !group[i].Since.Equal(c.Since) || group[i].Unpaid != c.Unpaid:
			return nil, false
		}
	}
	return group, true
}

// store1 stores one group under its caps and hands each call its leads.
func (g *grouper) store1(ctx context.Context, calls []*groupCall, caps []rapport.LeadCap) {
	var leads []rapport.Lead
	var keys [][]string
	byID := map[string]func(*rapport.Lead){}
	for _, c := range calls {
		leads, keys = append(leads, c.leads...), append(keys, c.keys...)
		for i := range c.leads {
			byID[c.leads[i].ID] = c.complete
		}
	}
	out, err := g.store.CreateLeads(ctx, leads, keys, caps, func(l *rapport.Lead) {
		if f := byID[l.ID]; f != nil {
			f(l)
		}
	})
	at := 0
	for _, c := range calls {
		if err != nil {
			c.err = err
		} else {
			c.out = out[at : at+len(c.leads)]
		}
		at += len(c.leads)
		close(c.done)
	}
}
