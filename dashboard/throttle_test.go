package dashboard

import (
	"net/http"
	"testing"
	"time"
)

func TestThrottle(t *testing.T) {
	now := time.Unix(1_000_000, 0)
	th := newThrottle()
	th.now = func() time.Time { return now }
	r := &http.Request{RemoteAddr: "192.0.2.7:51234"}
	mia := signInKeys(r, " Mia@Example.com")
	for i := range freeFailsPerEmail {
		if d := th.wait(mia); d != 0 {
			t.Fatalf("try %d: wait %s, want none within the free failures", i+1, d)
		}
		th.fail(mia)
	}
	// The failures past the free ones double the wait.
	for over, want := range []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute} {
		th.fail(mia)
		if d := th.wait(mia); d != want {
			t.Errorf("after %d failures past the free ones: wait %s, want %s", over+1, d, want)
		}
	}
	if d := th.wait(signInKeys(r, "mia@example.com")); d == 0 {
		t.Error("the same address in other case and spacing is not throttled")
	}
	other := signInKeys(&http.Request{RemoteAddr: "192.0.2.7:9"}, "bob@example.com")
	if d := th.wait(other); d != 0 {
		t.Errorf("another address from the same network waits %s; it has its own allowance", d)
	}
	now = now.Add(2*time.Minute + time.Second)
	if d := th.wait(mia); d != 0 {
		t.Errorf("after the wait: %s more", d)
	}
	th.succeed("MIA@example.com")
	if d := th.wait(mia); d != 0 {
		t.Errorf("after a good sign-in: wait %s", d)
	}
	// The network's allowance is separate and larger.
	for range freeFailsPerRemote {
		th.fail(other)
	}
	th.fail(signInKeys(&http.Request{RemoteAddr: "192.0.2.7:10"}, "carol@example.com"))
	if d := th.wait(signInKeys(&http.Request{RemoteAddr: "192.0.2.7:11"}, "dave@example.com")); d == 0 {
		t.Error("a network past its allowance is not throttled for a fresh address")
	}
	// Failures are forgotten after the window.
	now = now.Add(failWindow + time.Hour)
	th.fail(mia)
	if f := th.fails[emailKey("mia@example.com")]; f.n != 1 {
		t.Errorf("failures after the window: %d, want a fresh count of 1", f.n)
	}
}

func TestLockoutIsBounded(t *testing.T) {
	for _, over := range []int{1, 10, 11, 21, 64, 1 << 20} {
		if d := lockout(over); d <= 0 || d > maxLockout {
			t.Errorf("lockout(%d) = %s, want within (0, %s]", over, d, maxLockout)
		}
	}
}

func TestRoundUp(t *testing.T) {
	for d, want := range map[time.Duration]string{
		300 * time.Millisecond: "1 second", 1500 * time.Millisecond: "2 seconds",
		119 * time.Second: "119 seconds", 150 * time.Second: "3 minutes",
	} {
		if got := roundUp(d); got != want {
			t.Errorf("roundUp(%s) = %q, want %q", d, got, want)
		}
	}
}
