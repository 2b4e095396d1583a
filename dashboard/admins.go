package dashboard

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/rapportdev/rapport"
)

// adminRecheck is how long the list of who may sign in is trusted:
// revoking the admin token a session was opened with, or removing the
// user, ends the session within this time (at once when done through the
// dashboard).
const adminRecheck = 10 * time.Second

// credentialStore is where admin tokens and user accounts are kept.
type credentialStore interface {
	rapport.KeyStore
	rapport.UserStore
}

// adminKeys knows which admin tokens and user accounts exist, by key or
// user id, reloading them from the store at most every adminRecheck. It
// runs on the monotonic clock: the policy is about load on the store, not
// domain time.
type adminKeys struct {
	store credentialStore

	mu sync.Mutex
	// epochs holds, per key or user id, the session epoch a session must
	// carry: 0 for admin tokens, the user's SessionEpoch for users, so
	// changing a password signs out the sessions opened before.
	epochs   map[string]int64
	loadedAt time.Time
}

// valid reports whether a session of id opened in epoch is still backed
// by a stored admin token or user.
func (a *adminKeys) valid(ctx context.Context, id string, epoch int64) (bool, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.epochs == nil || time.Since(a.loadedAt) > adminRecheck {
		if err := a.load(ctx); err != nil {
			return false, err
		}
	}
	current, ok := a.epochs[id]
	return ok && current == epoch, nil
}

func (a *adminKeys) load(ctx context.Context) error {
	keys, err := a.store.FindKeys(ctx)
	if err != nil {
		return fmt.Errorf("find keys: %w", err)
	}
	users, err := a.store.FindUsers(ctx)
	if err != nil {
		return fmt.Errorf("find users: %w", err)
	}
	a.epochs = make(map[string]int64, len(keys)+len(users))
	for _, k := range keys {
		if k.Kind == rapport.KeyAdmin {
			a.epochs[k.ID] = 0
		}
	}
	for _, u := range users {
		a.epochs[u.ID] = u.SessionEpoch
	}
	a.loadedAt = time.Now()
	return nil
}

// forget makes the next check reload, after a key or user was changed
// here.
func (a *adminKeys) forget() {
	a.mu.Lock()
	a.epochs = nil
	a.mu.Unlock()
}
