package nats_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/nats"
)

// TestPartitionedLog checks that events go to the partition Route gives,
// that a partition reads only its own in order, that a forward published
// twice is stored once, and that trimming a partition leaves the others.
func TestPartitionedLog(t *testing.T) {
	url := natsURL(t)
	ctx := context.Background()
	opts := newStream(t, url)
	opts.Partitions = 3
	opts.Route = func(_ context.Context, events []rapport.Event) ([]int, error) {
		parts := make([]int, len(events))
		for i := range events {
			parts[i] = i % 3
		}
		return parts, nil
	}
	l, err := nats.OpenLog(ctx, url, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	events := make([]rapport.Event, 9)
	for i := range events {
		events[i] = rapport.Event{MessageID: fmt.Sprintf("m%d", i), Type: rapport.EventTrack, Event: "E", UserID: "u"}
	}
	if err := l.Append(ctx, events); err != nil {
		t.Fatal(err)
	}
	p1 := l.Partition(1)
	got := readIDs(t, p1, 0)
	if want := []string{"m1", "m4", "m7"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("partition 1 read %v, want %v", got, want)
	}
	fwd := rapport.Forward{Seq: events[0].Seq, To: 1, Event: events[0]}
	for range 2 {
		if err := l.Forward(ctx, 0, []rapport.Forward{fwd}); err != nil {
			t.Fatal(err)
		}
	}
	got = readIDs(t, p1, events[7].Seq)
	if want := []string{"m0"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("partition 1 after the forward read %v, want %v (once)", got, want)
	}
	if err := p1.Trim(ctx, events[8].Seq+10); err != nil {
		t.Fatal(err)
	}
	if got := readIDs(t, p1, 0); len(got) != 0 {
		t.Fatalf("partition 1 after trim read %v", got)
	}
	if got, want := readIDs(t, l.Partition(2), 0), []string{"m2", "m5", "m8"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("partition 2 after trimming 1 read %v, want %v", got, want)
	}
	if err := p1.Append(ctx, events[:1]); rapport.ErrorCode(err) != rapport.EINVALID {
		t.Fatalf("append to a partition: got %v, want EINVALID", err)
	}
}

func readIDs(t *testing.T, l rapport.EventLog, after int64) []string {
	t.Helper()
	evs, err := l.Read(context.Background(), after, 100)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range evs {
		ids = append(ids, e.MessageID)
	}
	return ids
}
