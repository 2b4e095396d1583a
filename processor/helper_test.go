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

// openStore opens the SQLite store in dir, closed when the test ends.
func openStore(t testing.TB, dir string) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(dir, "rapport.db"))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// openLog opens the SQLite event log in dir, closed when the test ends.
func openLog(t testing.TB, dir string) *sqlite.Log {
	t.Helper()
	l, err := sqlite.OpenLog(context.Background(), filepath.Join(dir, "log.db"))
	if err != nil {
		t.Fatalf("open log: %v", err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// newStores opens a new log and store in a temporary directory, and
// returns the directory for reopening them.
func newStores(t testing.TB) (*sqlite.Log, *sqlite.Store, string) {
	t.Helper()
	dir := t.TempDir()
	return openLog(t, dir), openStore(t, dir), dir
}

// quiet is a logger that drops everything, so test output stays readable.
var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func newProcessor(l rapport.EventLog, s rapport.Store, opts processor.Options) *processor.Processor {
	if opts.Logger == nil {
		opts.Logger = quiet
	}
	return processor.New(l, s, opts)
}

// appendEvents appends events to the log, giving each a messageId and
// receivedAt when missing.
func appendEvents(t testing.TB, l rapport.EventLog, events ...rapport.Event) {
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
	if err := l.Append(context.Background(), events); err != nil {
		t.Fatalf("append events: %v", err)
	}
}

// storedEvents returns every event the store keeps.
func storedEvents(t testing.TB, s rapport.EventStore) []rapport.Event {
	t.Helper()
	events, err := s.ReadEvents(context.Background(), 0, 1_000_000)
	if err != nil {
		t.Fatalf("read stored events: %v", err)
	}
	return events
}

// logged returns every event left in the log.
func logged(t testing.TB, l rapport.EventLog) []rapport.Event {
	t.Helper()
	events, err := l.Read(context.Background(), 0, 1_000_000)
	if err != nil {
		t.Fatalf("read log: %v", err)
	}
	return events
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

// withID sets the event's messageId, as a client retrying it would send.
func withID(ev rapport.Event, messageID string) rapport.Event {
	ev.MessageID = messageID
	return ev
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

// closeAll closes the log and the store, as a process stopping would.
func closeAll(t testing.TB, l rapport.EventLog, s rapport.Store) {
	t.Helper()
	if err := l.Close(); err != nil {
		t.Fatalf("close log: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("close store: %v", err)
	}
}
