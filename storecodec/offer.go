package storecodec

import (
	"time"

	"github.com/rapportdev/rapport"
)

// Day is a day in nanoseconds: offer_daily keys its rows by the UTC
// midnight starting a day, at / Day × Day.
const Day = int64(24 * time.Hour)

// TrimChunk is how much time one transaction of TrimOffers covers: an
// hour of decisions and outcomes keeps each transaction short even at a
// thousand decisions a second.
const TrimChunk = int64(time.Hour)

// TrimEnd returns the end (exclusive) of the next chunk to trim, from the
// oldest record left, in nanoseconds: an hour after it, but never past
// before.
func TrimEnd(oldest, before int64) int64 {
	return min(oldest/TrimChunk*TrimChunk+TrimChunk, before)
}

// FunnelBuilder collects the rows of a funnel query (period number,
// stage index, kind "shown", "accepted" or "entered", count, advanced)
// into rapport.FunnelCounts; rows come ordered by period and stage.
type FunnelBuilder struct {
	out []rapport.FunnelCount
}

// Add counts one row.
func (b *FunnelBuilder) Add(q rapport.FunnelQuery, k int64, stage int, kind string, n, advanced int64) {
	if stage < 0 || stage >= len(rapport.OfferStages) {
		return
	}
	start := q.Origin.Add(time.Duration(k) * q.Length).UTC()
	name := rapport.OfferStages[stage]
	last := len(b.out) - 1
	if last < 0 || !b.out[last].Start.Equal(start) || b.out[last].Stage != name {
		b.out = append(b.out, rapport.FunnelCount{Start: start, Stage: name})
		last++
	}
	c := &b.out[last]
	switch kind {
	case rapport.OutcomeShown:
		c.Shown = n
	case rapport.OutcomeAccepted:
		c.Accepted = n
	case "entered":
		c.Entered, c.Advanced = n, advanced
	}
}

// Counts returns what was added, never nil.
func (b *FunnelBuilder) Counts() []rapport.FunnelCount {
	if b.out == nil {
		return []rapport.FunnelCount{}
	}
	return b.out
}
