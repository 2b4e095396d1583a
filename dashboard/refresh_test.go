package dashboard

import (
	"context"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
)

// TestRefresher: a result is reused for the ttl, and computed again
// sooner only when what it read changed after it started.
func TestRefresher(t *testing.T) {
	var calls atomic.Int32
	c := newRefresher("test", time.Hour, rapport.SystemClock{}, slog.New(slog.NewTextHandler(io.Discard, nil)),
		func(context.Context) (int, error) { return int(calls.Add(1)), nil })
	ctx := context.Background()
	for _, step := range []struct {
		name   string
		before func()
		want   int
	}{
		{"first", nil, 1},
		{"within the ttl", nil, 1},
		{"changed before it started", func() { c.expireBefore(time.Now().Add(-time.Minute)) }, 1},
		// Not sooner than ten times the last computation's duration (µs).
		{"changed after it started", func() { c.expireBefore(time.Now().Add(time.Minute)); time.Sleep(50 * time.Millisecond) }, 2},
		{"within the ttl again", nil, 2},
	} {
		if step.before != nil {
			step.before()
		}
		if got := c.get(ctx, 5*time.Second); got != step.want {
			t.Errorf("%s: got result %d, want %d", step.name, got, step.want)
		}
	}
}
