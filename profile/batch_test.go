package profile_test

import (
	"context"
	"testing"

	"github.com/rapportdev/rapport"
)

func TestChangesCarryAppliedEvents(t *testing.T) {
	v := newMemView()
	b := v.applier().NewBatch(v, 0)
	events := []*rapport.Event{page("a1", 0), page("a2", 1), page("a1", 2)}
	for i, ev := range events {
		ev.Seq, ev.MessageID = int64(i+1), string(rune('x'+i))
	}
	ctx := context.Background()
	if err := b.Apply(ctx, events[0]); err != nil {
		t.Fatalf("apply: %v", err)
	}
	// The processor skips a duplicate: the checkpoint passes it, the store
	// must not keep it again.
	b.Skip(events[1])
	if err := b.Apply(ctx, events[2]); err != nil {
		t.Fatalf("apply: %v", err)
	}
	c := b.Changes()
	if len(c.Events) != 2 || c.Events[0].MessageID != "x" || c.Events[1].MessageID != "z" {
		t.Errorf("events = %+v, want x and z", c.Events)
	}
	if c.Checkpoint != 3 || b.Len() != 2 {
		t.Errorf("checkpoint, len = %d, %d, want 3, 2", c.Checkpoint, b.Len())
	}
}
