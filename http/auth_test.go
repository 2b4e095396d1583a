package http_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	rhttp "github.com/rapportdev/rapport/http"
)

// countingKeys counts the loads of a key store.
type countingKeys struct {
	rapport.KeyStore
	loads atomic.Int64
}

func (c *countingKeys) FindKeys(ctx context.Context) ([]*rapport.Key, error) {
	c.loads.Add(1)
	return c.KeyStore.FindKeys(ctx)
}

// newKeyRing returns a key ring over a fresh store holding the test keys.
func newKeyRing(t *testing.T) (*rhttp.KeyRing, *countingKeys) {
	t.Helper()
	env := newTrackEnv(t, trackConfig{})
	keys := &countingKeys{KeyStore: env.store}
	return rhttp.NewKeyRing(keys, rapport.SystemClock{}), keys
}

func TestKeyRingAuthenticate(t *testing.T) {
	ring, _ := newKeyRing(t)
	tests := []struct {
		secret string
		kind   rapport.KeyKind
		want   string
	}{
		{trackWriteKey, rapport.KeyWrite, ""},
		{trackAdminToken, rapport.KeyAdmin, ""},
		{trackAdminToken, rapport.KeyWrite, rapport.EUNAUTHORIZED},
		{trackWriteKey, rapport.KeyAdmin, rapport.EUNAUTHORIZED},
		{"wk_unknown", rapport.KeyWrite, rapport.EUNAUTHORIZED},
		{"", rapport.KeyWrite, rapport.EUNAUTHORIZED},
	}
	for _, tt := range tests {
		key, err := ring.Authenticate(context.Background(), tt.secret, tt.kind)
		if got := rapport.ErrorCode(err); got != tt.want {
			t.Errorf("Authenticate(%q, %s): code %q, want %q", tt.secret, tt.kind, got, tt.want)
		}
		if err == nil && key.Kind != tt.kind {
			t.Errorf("Authenticate(%q, %s): key kind %s", tt.secret, tt.kind, key.Kind)
		}
	}
}

func TestKeyRingBadKeysDoNotHammerTheStore(t *testing.T) {
	ring, keys := newKeyRing(t)
	start := time.Now()
	for i := range 1000 {
		ring.Authenticate(context.Background(), fmt.Sprintf("wk_bad_%d", i), rapport.KeyWrite)
	}
	allowed := int64(time.Since(start)/time.Second) + 1
	if got := keys.loads.Load(); got > allowed {
		t.Errorf("1000 bad keys loaded the keys %d times, want at most %d (once a second)", got, allowed)
	}
}

func TestKeyRingNewKeyWorksWithinASecond(t *testing.T) {
	ring, keys := newKeyRing(t)
	ctx := context.Background()
	if _, err := ring.Authenticate(ctx, trackWriteKey, rapport.KeyWrite); err != nil {
		t.Fatalf("existing key: %v", err)
	}
	createTrackKey(t, keys, rapport.KeyWrite, "wk_new")
	deadline := time.Now().Add(1500 * time.Millisecond)
	for {
		_, err := ring.Authenticate(ctx, "wk_new", rapport.KeyWrite)
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("new key still refused after 1.5s: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestKeyRingRefresh(t *testing.T) {
	ring, keys := newKeyRing(t)
	ctx := context.Background()
	stored, err := keys.FindKeys(ctx)
	if err != nil {
		t.Fatalf("find keys: %v", err)
	}
	if _, err := ring.Authenticate(ctx, trackWriteKey, rapport.KeyWrite); err != nil {
		t.Fatalf("before revoking: %v", err)
	}
	for _, k := range stored {
		if k.Kind == rapport.KeyWrite {
			if err := keys.DeleteKey(ctx, k.ID); err != nil {
				t.Fatalf("delete key: %v", err)
			}
		}
	}
	if err := ring.Refresh(ctx); err != nil {
		t.Fatalf("refresh: %v", err)
	}
	_, err = ring.Authenticate(ctx, trackWriteKey, rapport.KeyWrite)
	if got := rapport.ErrorCode(err); got != rapport.EUNAUTHORIZED {
		t.Errorf("revoked key after Refresh: code %q, want %q", got, rapport.EUNAUTHORIZED)
	}
}
