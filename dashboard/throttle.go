package dashboard

import (
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Password guessing is slowed per address tried and per network address
// the tries come from. The network allowance is larger: behind a proxy
// every visitor shares one, and a few forgetful people must not lock the
// office out.
const (
	freeFailsPerEmail  = 5
	freeFailsPerRemote = 50
	// failWindow is how long a failure is remembered after the last one.
	failWindow = 15 * time.Minute
	// maxLockout bounds the wait, which doubles with each failure past
	// the free ones.
	maxLockout = 15 * time.Minute
	// maxThrottled bounds the memory of failures; past it, the stale ones
	// are dropped, and if none is stale, all are (a flood of addresses
	// must not exhaust memory).
	maxThrottled = 100_000
)

// failures is what is remembered of one key's failed sign-ins.
type failures struct {
	n     int
	last  time.Time
	until time.Time
}

// throttle counts failed sign-ins by key and says how long a key must
// wait. It runs on the monotonic clock: the policy is about load, not
// domain time.
type throttle struct {
	now func() time.Time

	mu    sync.Mutex
	fails map[string]*failures
}

func newThrottle() *throttle {
	return &throttle{now: time.Now, fails: map[string]*failures{}}
}

// signInKeys are the throttle's keys of a sign-in with email from r, with
// the failures each is allowed before waits begin.
func signInKeys(r *http.Request, email string) map[string]int {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return map[string]int{emailKey(email): freeFailsPerEmail, "remote:" + host: freeFailsPerRemote}
}

// emailKey is the throttle's key of an address as typed (trimmed, lower
// case): one that is not an address at all is counted too.
func emailKey(email string) string {
	return "email:" + strings.ToLower(strings.TrimSpace(email))
}

// wait returns how long the keys must wait before the next try: the
// longest of them, 0 when they may try now.
func (t *throttle) wait(keys map[string]int) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	var d time.Duration
	for k := range keys {
		if f := t.fails[k]; f != nil && now.Before(f.until) {
			d = max(d, f.until.Sub(now))
		}
	}
	return d
}

// fail records a failed try for every key.
func (t *throttle) fail(keys map[string]int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	if len(t.fails) >= maxThrottled {
		t.prune(now)
	}
	for k, free := range keys {
		f := t.fails[k]
		if f == nil || now.Sub(f.last) > failWindow {
			f = &failures{}
			t.fails[k] = f
		}
		f.n++
		f.last = now
		if over := f.n - free; over > 0 {
			f.until = now.Add(lockout(over))
		}
	}
}

// succeed forgets the failures of the address signed in with; those of
// the network address stay, so one good account cannot reset a guesser.
func (t *throttle) succeed(email string) {
	t.mu.Lock()
	delete(t.fails, emailKey(email))
	t.mu.Unlock()
}

// firstLockout is the wait after the first failure past the free ones.
const firstLockout = 30 * time.Second

// lockout is the wait after the over-th failure past the free ones:
// firstLockout, doubling, at most maxLockout.
func lockout(over int) time.Duration {
	if over > 10 {
		return maxLockout
	}
	return min(firstLockout<<(over-1), maxLockout)
}

func (t *throttle) prune(now time.Time) {
	for k, f := range t.fails {
		if now.Sub(f.last) > failWindow && !now.Before(f.until) {
			delete(t.fails, k)
		}
	}
	if len(t.fails) >= maxThrottled {
		clear(t.fails)
	}
}
