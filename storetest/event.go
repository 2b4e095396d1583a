package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
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

func testAppendReadRoundTrip(t *testing.T, s rapport.Store) {
	in := []rapport.Event{fullEvent(), event("msg-min", "", "anon-2", at(0))}
	appendEvents(t, s, 2, in...)
	if in[0].Seq <= 0 || in[1].Seq <= in[0].Seq {
		t.Fatalf("Seq written back: got %d, %d, want increasing positive", in[0].Seq, in[1].Seq)
	}
	got, err := s.ReadEvents(context.Background(), 0, 10)
	if err != nil {
		t.Fatalf("ReadEvents: %v", err)
	}
	want := []rapport.Event{fullEvent(), in[1]}
	want[0].Seq = in[0].Seq
	want[0].Timestamp = want[0].Timestamp.UTC()
	want[0].OriginalTimestamp = want[0].OriginalTimestamp.UTC()
	want[0].SentAt = want[0].SentAt.UTC()
	equal(t, "events read back", got, want)
}

func testAppendDedupe(t *testing.T, s rapport.Store) {
	a, b, c := event("a", "u", "", at(0)), event("b", "u", "", at(1)), event("c", "u", "", at(2))
	first := []rapport.Event{a, b, a}
	appendEvents(t, s, 2, first...)
	if first[2].Seq != 0 {
		t.Errorf("duplicate within call got Seq %d, want 0 (left as it was)", first[2].Seq)
	}
	second := []rapport.Event{b, c}
	appendEvents(t, s, 1, second...)
	if second[0].Seq != 0 || second[1].Seq <= first[1].Seq {
		t.Errorf("second call Seqs %d, %d: want 0 for the retried event and one above %d", second[0].Seq, second[1].Seq, first[1].Seq)
	}
	appendEvents(t, s, 0, a, b, c)
	got, err := s.ReadEvents(context.Background(), 0, 100)
	if err != nil {
		t.Fatalf("ReadEvents: %v", err)
	}
	equal(t, "message ids", messageIDs(got), []string{"a", "b", "c"})
	for i := 1; i < len(got); i++ {
		if got[i].Seq <= got[i-1].Seq {
			t.Fatalf("seq not increasing: %d after %d", got[i].Seq, got[i-1].Seq)
		}
	}
	if n, err := s.AppendEvents(context.Background(), nil); err != nil || n != 0 {
		t.Fatalf("AppendEvents(nil) = %d, %v, want 0, nil", n, err)
	}
}

// testAppendConcurrent appends from several goroutines at once: no
// writer may fail with a busy or serialization error.
func testAppendConcurrent(t *testing.T, s rapport.Store) {
	const writers, batches, size = 4, 5, 50
	var wg sync.WaitGroup
	errs := make(chan error, writers*batches)
	for w := range writers {
		wg.Go(func() {
			for b := range batches {
				events := make([]rapport.Event, size)
				for i := range events {
					events[i] = event(fmt.Sprintf("w%d-b%d-%d", w, b, i), "u", "", at(i))
				}
				if n, err := s.AppendEvents(context.Background(), events); err != nil || n != size {
					errs <- fmt.Errorf("writer %d batch %d: appended %d, %v; want %d", w, b, n, err, size)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	got, err := s.ReadEvents(context.Background(), 0, writers*batches*size+10)
	if err != nil {
		t.Fatalf("ReadEvents: %v", err)
	}
	if len(got) != writers*batches*size {
		t.Fatalf("read %d events, want %d", len(got), writers*batches*size)
	}
}

func testReadEventsPaging(t *testing.T, s rapport.Store) {
	var all []rapport.Event
	for i := range 25 {
		all = append(all, event(fmt.Sprintf("m%02d", i), "", "anon", at(-i)))
	}
	appendEvents(t, s, 25, all...)
	var got []string
	var after int64
	for {
		page, err := s.ReadEvents(context.Background(), after, 10)
		if err != nil {
			t.Fatalf("ReadEvents(%d): %v", after, err)
		}
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
	last, err := s.ReadEvents(context.Background(), all[24].Seq, 10)
	if err != nil || len(last) != 0 {
		t.Fatalf("ReadEvents past the end = %d events, %v; want none", len(last), err)
	}
}
