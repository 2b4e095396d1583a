package storetest

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"testing"

	"github.com/rapportdev/rapport"
)

// RunLog runs the event log conformance suite. open must return a new,
// empty log and a function that opens the same log (file or table) again,
// which the suite calls only after closing the first. The suite closes
// every log it gets when the subtest ends, before any cleanup open
// registered itself (such as dropping a schema) runs.
func RunLog(t *testing.T, open func(t *testing.T) (log rapport.EventLog, reopen func() rapport.EventLog)) {
	tests := []struct {
		name string
		fn   func(t *testing.T, l rapport.EventLog, reopen func() rapport.EventLog)
	}{
		{"RoundTrip", testLogRoundTrip},
		{"SeqsIncrease", testLogSeqsIncrease},
		{"DuplicatesKept", testLogDuplicatesKept},
		{"ReadPaging", testLogReadPaging},
		{"Trim", testLogTrim},
		{"TrimMany", testLogTrimMany},
		{"ConcurrentAppend", testLogConcurrentAppend},
		{"HostileText", testLogHostileText},
		{"Close", testLogClose},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, reopen := open(t)
			t.Cleanup(func() { l.Close() })
			tt.fn(t, l, func() rapport.EventLog {
				l := reopen()
				t.Cleanup(func() { l.Close() })
				return l
			})
		})
	}
}

// appendLog appends events and fails the test on error.
func appendLog(t *testing.T, l rapport.EventLog, events ...rapport.Event) []rapport.Event {
	t.Helper()
	if err := l.Append(context.Background(), events); err != nil {
		t.Fatalf("Append: %v", err)
	}
	return events
}

// readLog reads up to limit events after a seq.
func readLog(t *testing.T, l rapport.EventLog, after int64, limit int) []rapport.Event {
	t.Helper()
	got, err := l.Read(context.Background(), after, limit)
	if err != nil {
		t.Fatalf("Read(%d, %d): %v", after, limit, err)
	}
	return got
}

// trimLog trims the log up to a seq.
func trimLog(t *testing.T, l rapport.EventLog, upTo int64) {
	t.Helper()
	if err := l.Trim(context.Background(), upTo); err != nil {
		t.Fatalf("Trim(%d): %v", upTo, err)
	}
}

// numbered returns n minimal events with ids prefix-0, prefix-1, ...
func numbered(prefix string, n int) []rapport.Event {
	events := make([]rapport.Event, n)
	for i := range events {
		events[i] = event(fmt.Sprintf("%s-%d", prefix, i), "u", "", at(i))
	}
	return events
}

func testLogRoundTrip(t *testing.T, l rapport.EventLog, _ func() rapport.EventLog) {
	in := appendLog(t, l, fullEvent(), event("msg-min", "", "anon-2", at(0)))
	if in[0].Seq <= 0 || in[1].Seq <= in[0].Seq {
		t.Fatalf("Seq written back: got %d, %d, want increasing positive", in[0].Seq, in[1].Seq)
	}
	want := fullEvent()
	want.Seq = in[0].Seq
	equal(t, "events read back", readLog(t, l, 0, 10), []rapport.Event{inUTC(want), in[1]})
}

// testLogSeqsIncrease checks that Seqs grow across calls and that the
// Seqs written back are the ones Read reports.
func testLogSeqsIncrease(t *testing.T, l rapport.EventLog, _ func() rapport.EventLog) {
	var all []rapport.Event
	for i, n := range []int{1, 3, 2} {
		all = append(all, appendLog(t, l, numbered(fmt.Sprintf("call%d", i), n)...)...)
	}
	for i := 1; i < len(all); i++ {
		if all[i].Seq <= all[i-1].Seq {
			t.Fatalf("Seq %d (%s) after %d: want increasing", all[i].Seq, all[i].MessageID, all[i-1].Seq)
		}
	}
	got := readLog(t, l, 0, 100)
	equal(t, "message ids", messageIDs(got), messageIDs(all))
	equal(t, "seqs", seqs(got), seqs(all))
	if err := l.Append(context.Background(), nil); err != nil {
		t.Fatalf("Append(nil): %v", err)
	}
}

func testLogDuplicatesKept(t *testing.T, l rapport.EventLog, _ func() rapport.EventLog) {
	a := event("a", "u", "", at(0))
	appendLog(t, l, a, a)
	appendLog(t, l, a)
	got := readLog(t, l, 0, 10)
	equal(t, "message ids", messageIDs(got), []string{"a", "a", "a"})
	if got[0].Seq >= got[1].Seq || got[1].Seq >= got[2].Seq {
		t.Fatalf("seqs %v: want increasing", seqs(got))
	}
}

func testLogReadPaging(t *testing.T, l rapport.EventLog, _ func() rapport.EventLog) {
	var all []rapport.Event
	for i := range 25 {
		all = append(all, event(fmt.Sprintf("m%02d", i), "", "anon", at(-i)))
	}
	appendLog(t, l, all...)
	var got []string
	var after int64
	for page := readLog(t, l, 0, 10); len(page) > 0; page = readLog(t, l, after, 10) {
		if len(page) > 10 {
			t.Fatalf("Read returned %d events, want at most 10", len(page))
		}
		got = append(got, messageIDs(page)...)
		after = page[len(page)-1].Seq
	}
	equal(t, "paged message ids (seq order, not time order)", got, messageIDs(all))
	appendLog(t, l, numbered("more", 1000)...)
	if got := readLog(t, l, 0, 0); len(got) != 1000 {
		t.Fatalf("Read with limit 0 returned %d events, want 1000", len(got))
	}
}

// testLogTrim checks that trimmed events are gone and that their Seqs are
// never handed out again, even once the log is empty and reopened: a
// reader whose checkpoint is past them would skip the new events.
func testLogTrim(t *testing.T, l rapport.EventLog, reopen func() rapport.EventLog) {
	in := appendLog(t, l, numbered("e", 10)...)
	trimLog(t, l, in[3].Seq)
	equal(t, "after trimming four", seqs(readLog(t, l, 0, 100)), seqs(in[4:]))
	trimLog(t, l, in[1].Seq) // already gone: nothing to do
	trimLog(t, l, 0)
	equal(t, "after trimming again below", seqs(readLog(t, l, 0, 100)), seqs(in[4:]))
	trimLog(t, l, in[9].Seq)
	equal(t, "after trimming all", seqs(readLog(t, l, 0, 100)), []int64{})
	next := appendLog(t, l, event("next", "u", "", at(0)))
	if next[0].Seq <= in[9].Seq {
		t.Fatalf("Seq after trimming all = %d, want above %d", next[0].Seq, in[9].Seq)
	}
	trimLog(t, l, next[0].Seq)
	if err := l.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	l = reopen()
	again := appendLog(t, l, event("again", "u", "", at(0)))
	if again[0].Seq <= next[0].Seq {
		t.Fatalf("Seq after reopening an emptied log = %d, want above %d", again[0].Seq, next[0].Seq)
	}
	equal(t, "after reopening", messageIDs(readLog(t, l, 0, 100)), []string{"again"})
}

// testLogTrimMany trims more events than a backend deletes at once.
func testLogTrimMany(t *testing.T, l rapport.EventLog, _ func() rapport.EventLog) {
	var in []rapport.Event
	for b := range 5 {
		in = append(in, appendLog(t, l, numbered(fmt.Sprintf("b%d", b), 5000)...)...)
	}
	trimLog(t, l, in[20999].Seq)
	n := 0
	for page := readLog(t, l, 0, 1000); len(page) > 0; page = readLog(t, l, page[len(page)-1].Seq, 1000) {
		if n == 0 && page[0].Seq != in[21000].Seq {
			t.Fatalf("first Seq after trim = %d, want %d", page[0].Seq, in[21000].Seq)
		}
		n += len(page)
	}
	if n != 4000 {
		t.Fatalf("%d events left after trim, want 4000", n)
	}
}

// testLogConcurrentAppend appends from several goroutines while a reader
// follows the log as the processor does: it must see Seqs strictly
// increasing and end with every event. A Seq committed after a larger
// one the reader has passed would be skipped and missing at the end.
func testLogConcurrentAppend(t *testing.T, l rapport.EventLog, _ func() rapport.EventLog) {
	// Many small appends make many commits for a reader to fall between.
	const writers, batches, size = 8, 100, 5
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Go(func() {
			for b := range batches {
				if err := l.Append(ctx, numbered(fmt.Sprintf("w%d-b%d", w, b), size)); err != nil {
					errs <- fmt.Errorf("writer %d batch %d: %w", w, b, err)
					return
				}
			}
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	seen := followLog(t, l, done)
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if len(seen) != writers*batches*size {
		t.Fatalf("reader saw %d distinct events, want %d", len(seen), writers*batches*size)
	}
}

// followLog reads l until done is closed and a read after that finds
// nothing new, checking Seqs increase; it returns the messageIds seen.
func followLog(t *testing.T, l rapport.EventLog, done <-chan struct{}) map[string]bool {
	t.Helper()
	seen := map[string]bool{}
	var after int64
	finished := false
	for {
		page := readLog(t, l, after, 64)
		for _, e := range page {
			if e.Seq <= after {
				t.Fatalf("read Seq %d after %d: want strictly increasing", e.Seq, after)
			}
			after = e.Seq
			seen[e.MessageID] = true
		}
		if len(page) > 0 {
			continue
		}
		if finished {
			return seen
		}
		select {
		case <-done:
			finished = true
		default:
			runtime.Gosched()
		}
	}
}

// testLogHostileText checks that text a client can send (NUL bytes,
// invalid UTF-8, quotes) is logged without error: one bad message must
// not fail the appends of everyone grouped with it.
func testLogHostileText(t *testing.T, l rapport.EventLog, _ func() rapport.EventLog) {
	e := event("hostile\x00id", "nul\x00user\xff'\"", "", at(1))
	e.Properties = map[string]any{"text": "a\x00b\xfe", "bad\x00key\xff": 1.0}
	// A json.RawMessage is encoded as sent, invalid UTF-8 and all.
	e.Integrations = []byte("{\"x\\u0000\xff\":\"\\u0000\"}")
	appendLog(t, l, e, event("after", "u", "", at(2)))
	got := readLog(t, l, 0, 10)
	equal(t, "message ids", messageIDs(got), []string{"hostile\x00id", "after"})
}

func testLogClose(t *testing.T, l rapport.EventLog, _ func() rapport.EventLog) {
	if err := l.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
}
