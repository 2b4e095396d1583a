package dashboard

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/rapportdev/rapport"
)

// adminRecheck is how long the list of admin tokens is trusted: revoking
// the token a session was opened with ends the session within this time
// (at once when revoked through the dashboard).
const adminRecheck = 10 * time.Second

// adminKeys knows which admin tokens exist, by key id, reloading them
// from the store at most every adminRecheck. It runs on the monotonic
// clock: the policy is about load on the store, not domain time.
type adminKeys struct {
	store rapport.KeyStore

	mu       sync.Mutex
	ids      map[string]bool
	loadedAt time.Time
}

// valid reports whether id is a stored admin token.
func (a *adminKeys) valid(ctx context.Context, id string) (bool, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.ids == nil || time.Since(a.loadedAt) > adminRecheck {
		keys, err := a.store.FindKeys(ctx)
		if err != nil {
			return false, fmt.Errorf("find keys: %w", err)
		}
		a.ids = map[string]bool{}
		for _, k := range keys {
			if k.Kind == rapport.KeyAdmin {
				a.ids[k.ID] = true
			}
		}
		a.loadedAt = time.Now()
	}
	return a.ids[id], nil
}

// forget makes the next check reload, after a key was changed here.
func (a *adminKeys) forget() {
	a.mu.Lock()
	a.ids = nil
	a.mu.Unlock()
}
