package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
)

// fullEvent sets every field of an Event, with nested JSON, and times in
// a zone other than UTC with nanoseconds.
func fullEvent() rapport.Event {
	zone := time.FixedZone("CET", 3600)
	return rapport.Event{
		SourceID: "src_1", MessageID: "msg-full", Type: rapport.EventTrack,
		UserID: "user-1", AnonymousID: "anon-1", PreviousID: "prev-1", GroupID: "group-1",
		Event: rapport.EventOrderCompleted, Name: "Checkout",
		Traits:            map[string]any{"email": "ada@example.com", "age": 36.0, "vip": true},
		Properties:        map[string]any{"revenue": 42.5, "products": []any{map[string]any{"sku": "A-1", "qty": 2.0}}, "none": nil},
		Context:           map[string]any{"ip": "192.0.2.1", "library": map[string]any{"name": "analytics.js", "version": "4.1.0"}},
		Integrations:      json.RawMessage(`{"All":true,"Mixpanel":false}`),
		Timestamp:         time.Date(2025, 3, 14, 16, 9, 26, 535897932, zone),
		OriginalTimestamp: time.Date(2025, 3, 14, 16, 9, 25, 1, zone),
		SentAt:            time.Date(2025, 3, 14, 16, 9, 27, 999999999, zone),
		ReceivedAt:        time.Date(2025, 3, 14, 15, 9, 28, 123456789, time.UTC),
	}
}

// inUTC returns e with its times in UTC, as a backend reads them back.
func inUTC(e rapport.Event) rapport.Event {
	e.Timestamp = e.Timestamp.UTC()
	e.OriginalTimestamp = e.OriginalTimestamp.UTC()
	e.SentAt = e.SentAt.UTC()
	e.ReceivedAt = e.ReceivedAt.UTC()
	return e
}

func testStoreReadRoundTrip(t *testing.T, s rapport.Store) {
	in := withSeqs(fullEvent(), event("msg-min", "", "anon-2", at(0)))
	apply(t, s, rapport.Changes{Events: in, Checkpoint: 2})
	equal(t, "events read back", readEvents(t, s, 0, 10), []rapport.Event{inUTC(in[0]), in[1]})
}

// testStoreDedupe stores a messageId once, keeping the first Seq, and
// skips a row whose Seq is taken: neither fails the batch.
func testStoreDedupe(t *testing.T, s rapport.Store) {
	a, b, c := event("a", "u", "", at(0)), event("b", "u", "", at(1)), event("c", "u", "", at(2))
	apply(t, s, rapport.Changes{Events: withSeqs(a, b, a), Checkpoint: 3})
	retried, taken := b, event("x", "u", "", at(3))
	retried.Seq, c.Seq, taken.Seq = 4, 5, 1
	apply(t, s, rapport.Changes{Events: []rapport.Event{retried, c, taken}, Base: 3, Checkpoint: 5})
	got := readEvents(t, s, 0, 100)
	equal(t, "message ids", messageIDs(got), []string{"a", "b", "c"})
	equal(t, "seqs", seqs(got), []int64{1, 2, 5})
}

// testStoreEventsAtomic checks that refused changes store no events.
func testStoreEventsAtomic(t *testing.T, s rapport.Store) {
	ctx := context.Background()
	apply(t, s, rapport.Changes{Events: withSeqs(event("a", "u", "", at(0))), Checkpoint: 1})
	late := event("late", "u", "", at(1))
	late.Seq = 2
	err := s.ApplyChanges(ctx, rapport.Changes{Events: []rapport.Event{late}, Base: 0, Checkpoint: 2})
	wantCode(t, "ApplyChanges from a stale base", err, rapport.ECONFLICT)
	err = s.ApplyChanges(ctx, rapport.Changes{Events: []rapport.Event{late}, Base: 1, Checkpoint: 2,
		Profiles: []*rapport.Profile{{Kind: rapport.ProfilePerson}}})
	wantCode(t, "ApplyChanges with a profile without id", err, rapport.EINVALID)
	equal(t, "stored events", messageIDs(readEvents(t, s, 0, 10)), []string{"a"})
}

func testReadEventsPaging(t *testing.T, s rapport.Store) {
	var all []rapport.Event
	for i := range 25 {
		all = append(all, event(fmt.Sprintf("m%02d", i), "", "anon", at(-i)))
	}
	apply(t, s, rapport.Changes{Events: withSeqs(all...), Checkpoint: 25})
	var got []string
	var after int64
	for {
		page := readEvents(t, s, after, 10)
		if len(page) > 10 {
			t.Fatalf("ReadEvents returned %d events, want at most 10", len(page))
		}
		if len(page) == 0 {
			break
		}
		got = append(got, messageIDs(page)...)
		after = page[len(page)-1].Seq
	}
	equal(t, "paged message ids (seq order, not time order)", got, messageIDs(all))
	if last := readEvents(t, s, 25, 10); len(last) != 0 {
		t.Fatalf("ReadEvents past the end = %d events; want none", len(last))
	}
}

func testFindMessageIDs(t *testing.T, s rapport.Store) {
	ctx := context.Background()
	// More than any one lookup statement of a backend carries.
	var stored []rapport.Event
	for i := range 1200 {
		stored = append(stored, event(fmt.Sprintf("m%04d", i), "u", "", at(i)))
	}
	stored = append(stored, event("hostile\x00id'", "u", "", at(0)))
	apply(t, s, rapport.Changes{Events: withSeqs(stored...), Checkpoint: int64(len(stored))})
	var ask []string
	want := map[string]bool{}
	for i := 0; i < 1200; i += 3 {
		id := fmt.Sprintf("m%04d", i)
		ask = append(ask, id, "unknown-"+id)
		want[id] = true
	}
	ask = append(ask, "hostile\x00id'", "m0000")
	want["hostile\x00id'"] = true
	got, err := s.FindMessageIDs(ctx, ask)
	if err != nil {
		t.Fatalf("FindMessageIDs: %v", err)
	}
	equal(t, "found message ids", got, want)
	if got, err := s.FindMessageIDs(ctx, nil); err != nil || len(got) != 0 {
		t.Fatalf("FindMessageIDs(nil) = %v, %v; want none", got, err)
	}
}

// seqs returns the Seqs of events, in order.
func seqs(events []rapport.Event) []int64 {
	out := make([]int64, len(events))
	for i, e := range events {
		out[i] = e.Seq
	}
	return out
}
