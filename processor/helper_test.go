package processor_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/processor"
	"github.com/rapportdev/rapport/sqlite"
)

// openStore opens a SQLite store at path, closed when the test ends.
func openStore(t testing.TB, path string) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func newStore(t testing.TB) (*sqlite.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "rapport.db")
	return openStore(t, path), path
}

// quiet is a logger that drops everything, so test output stays readable.
var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func newProcessor(s rapport.Store, opts processor.Options) *processor.Processor {
	if opts.Logger == nil {
		opts.Logger = quiet
	}
	return processor.New(s, opts)
}

// appendEvents appends events, giving each a messageId and receivedAt
// when missing.
func appendEvents(t testing.TB, s rapport.EventLog, events ...rapport.Event) {
	t.Helper()
	for i := range events {
		e := &events[i]
		if e.MessageID == "" {
			e.MessageID = rapport.NewID("m_")
		}
		if e.ReceivedAt.IsZero() {
			e.ReceivedAt = e.Timestamp
		}
	}
	if _, err := s.AppendEvents(context.Background(), events); err != nil {
		t.Fatalf("append events: %v", err)
	}
}

func catchUp(t testing.TB, p *processor.Processor) int {
	t.Helper()
	n, err := p.CatchUp(context.Background())
	if err != nil {
		t.Fatalf("catch up: %v", err)
	}
	return n
}

// profileOf returns the profile holding the identity.
func profileOf(t testing.TB, s rapport.ProfileStore, kind rapport.IdentityKind, value string) *rapport.Profile {
	t.Helper()
	ctx := context.Background()
	id, err := s.FindProfileIDByIdentity(ctx, rapport.Identity{Kind: kind, Value: value})
	if err != nil {
		t.Fatalf("find %s %s: %v", kind, value, err)
	}
	p, err := s.FindProfileByID(ctx, id)
	if err != nil {
		t.Fatalf("find profile %s: %v", id, err)
	}
	return p
}

func user(t testing.TB, s rapport.ProfileStore, id string) *rapport.Profile {
	t.Helper()
	return profileOf(t, s, rapport.IdentityUserID, id)
}

// at returns an event time, minutes after a fixed start.
func at(minutes int) time.Time {
	return time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC).Add(time.Duration(minutes) * time.Minute)
}

func page(user, anon string, minute int) rapport.Event {
	return rapport.Event{Type: rapport.EventPage, UserID: user, AnonymousID: anon, Timestamp: at(minute)}
}

func identify(user, anon string, minute int, traits map[string]any) rapport.Event {
	return rapport.Event{Type: rapport.EventIdentify, UserID: user, AnonymousID: anon, Traits: traits, Timestamp: at(minute)}
}

func order(user, orderID string, minute int, revenue float64) rapport.Event {
	return rapport.Event{Type: rapport.EventTrack, Event: rapport.EventOrderCompleted, UserID: user, Timestamp: at(minute),
		Properties: map[string]any{"order_id": orderID, "revenue": revenue}}
}

// traffic returns n page views spread over the users u0..u(users-1), each
// user's views a minute apart.
func traffic(users, n int) []rapport.Event {
	events := make([]rapport.Event, n)
	for i := range events {
		events[i] = page(fmt.Sprintf("u%d", i%users), "", i/users)
	}
	return events
}
