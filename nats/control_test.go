package nats_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/nats"
)

// TestPartitionReadsStopAtControlMessages checks that a partition's reads
// return the events before a control message, then nothing (telling the
// reader where they stand) until a read starts after it, whichever way
// the reads got there; that a second publish with the same message id is
// dropped; and that TrimPartition purges the control message with the
// events.
func TestPartitionReadsStopAtControlMessages(t *testing.T) {
	url := natsURL(t)
	ctx := context.Background()
	opts := newStream(t, url)
	opts.Partitions = 2
	opts.Route = func(_ context.Context, events []rapport.Event) ([]int, error) {
		return make([]int, len(events)), nil // all on partition 0
	}
	l, err := nats.OpenLog(ctx, url, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	appendIDs := func(ids ...string) []rapport.Event {
		events := make([]rapport.Event, len(ids))
		for i, id := range ids {
			events[i] = rapport.Event{MessageID: id, Type: rapport.EventTrack, Event: "E", UserID: "u"}
		}
		if err := l.Append(ctx, events); err != nil {
			t.Fatal(err)
		}
		return events
	}
	before := appendIDs("m1", "m2")
	seq, err := l.PublishControl(ctx, 0, "erase", "ctl-1", []byte(`{"x":1}`))
	if err != nil {
		t.Fatal(err)
	}
	if again, err := l.PublishControl(ctx, 0, "erase", "ctl-1", []byte(`{"x":1}`)); err != nil || again != seq {
		t.Fatalf("second publish of ctl-1: seq %d, err %v; want %d (a duplicate)", again, err, seq)
	}
	appendIDs("m3")

	var mu sync.Mutex
	var reached []string
	p0 := l.PartitionControlled(0, func(after int64, c nats.Control) {
		mu.Lock()
		defer mu.Unlock()
		reached = append(reached, fmt.Sprintf("%d@%d:%s:%s", after, c.Seq, c.Kind, c.Body))
	})
	defer p0.Close()
	want := fmt.Sprintf("%d@%d:erase:{\"x\":1}", before[1].Seq, seq)
	if got := readIDs(t, p0, 0); fmt.Sprint(got) != "[m1 m2]" {
		t.Fatalf("first read: %v, want [m1 m2]", got)
	}
	for range 2 {
		if got := readIDs(t, p0, before[1].Seq); len(got) != 0 {
			t.Fatalf("read at the control message: %v, want nothing", got)
		}
	}
	// A read starting over (a processor rebuilding a batch) stops there too.
	if got := readIDs(t, p0, before[0].Seq); fmt.Sprint(got) != "[m2]" {
		t.Fatalf("read again after m1: %v, want [m2]", got)
	}
	if got := readIDs(t, p0, before[1].Seq); len(got) != 0 {
		t.Fatalf("read at the control message again: %v, want nothing", got)
	}
	mu.Lock()
	if fmt.Sprint(reached) != fmt.Sprint([]string{want, want, want}) {
		t.Fatalf("reached: %v, want %s three times", reached, want)
	}
	mu.Unlock()
	if got := readIDs(t, p0, seq); fmt.Sprint(got) != "[m3]" {
		t.Fatalf("read after the control message: %v, want [m3] (the duplicate dropped)", got)
	}
	// A fresh reader at the control message is told at once.
	fresh := l.PartitionControlled(0, func(after int64, c nats.Control) {
		mu.Lock()
		defer mu.Unlock()
		reached = append(reached, fmt.Sprintf("fresh %d@%d", after, c.Seq))
	})
	defer fresh.Close()
	if got := readIDs(t, fresh, before[1].Seq); len(got) != 0 {
		t.Fatalf("fresh read at the control message: %v, want nothing", got)
	}
	mu.Lock()
	if last := reached[len(reached)-1]; last != fmt.Sprintf("fresh %d@%d", before[1].Seq, seq) {
		t.Fatalf("fresh reader reached %q", last)
	}
	mu.Unlock()

	if err := l.TrimPartition(ctx, 0, seq); err != nil {
		t.Fatal(err)
	}
	if got := readIDs(t, l.Partition(0), 0); fmt.Sprint(got) != "[m3]" {
		t.Fatalf("after trimming up to the control message: %v, want [m3]", got)
	}
}
