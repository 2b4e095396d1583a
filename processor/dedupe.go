package processor

import (
	"context"
	"fmt"

	"github.com/rapportdev/rapport"
)

// duplicatesOf returns the seqs of the events not to apply: those whose
// messageId the store already holds, and those whose messageId an earlier
// event of the batch carries. Batches are stored in log order, each with
// its events, so this covers every earlier batch too. The store is asked
// every batch rather than a memory of recent messageIds trusted: only the
// store knows what another processor applied, and one query per batch is
// cheap next to writing the batch.
func (p *Processor) duplicatesOf(ctx context.Context, events []rapport.Event) (map[int64]bool, error) {
	dups := map[int64]bool{}
	seen := make(map[string]bool, len(events))
	ids := make([]string, 0, len(events))
	for i := range events {
		id := events[i].MessageID
		switch {
		case id == "":
			// Ingest refuses such events; with nothing to tell a retry
			// by, the event is applied.
		case seen[id]:
			dups[events[i].Seq] = true
		default:
			seen[id] = true
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return dups, nil
	}
	stored, err := p.store.FindMessageIDs(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("find stored message ids: %w", err)
	}
	for i := range events {
		if id := events[i].MessageID; id != "" && stored[id] {
			dups[events[i].Seq] = true
		}
	}
	return dups, nil
}
