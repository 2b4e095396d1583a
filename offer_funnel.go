package rapport

import (
	"time"
)

// DefaultOfferRetention is how long decisions and outcomes are kept
// whole when rapport.yaml says nothing: a year and a month, so that a
// report of this year against the last still has every person in it.
// Older ones are rolled up into daily counts (OfferStore.TrimOffers).
const DefaultOfferRetention = 400 * 24 * time.Hour

// FunnelQuery asks for the counts behind the acquisition → activation →
// activity funnel (docs/offers.md): per period and stage, the people
// shown an offer of the stage, those who accepted one, those who accepted
// one for the first time, and of those the ones who went on to accept an
// offer of the next stage.
type FunnelQuery struct {
	// Stages gives each offer's stage (OfferStages); outcomes of offers
	// not in it are left out.
	Stages map[string]string
	// From and To bound the outcomes counted, [From, To).
	From, To time.Time
	// Origin is the start of a period; periods are [Origin + k×Length,
	// Origin + (k+1)×Length). It is at or before From.
	Origin time.Time
	Length time.Duration
}

// FunnelCount counts people in one stage in one period. A person is a
// profile: outcomes of visitors without one are left out.
type FunnelCount struct {
	// Start is the period's start.
	Start time.Time
	Stage string
	// Shown counts the people shown an offer of the stage in the period,
	// Accepted those who accepted one.
	Shown, Accepted int64
	// Entered counts the people whose first accept of an offer of the
	// stage ever (among the outcomes kept) is in the period.
	Entered int64
	// Advanced counts the people of Entered whose first accept of an
	// offer of the next stage is at or after their entry into this one,
	// and before To.
	Advanced int64
}

// OfferTrim says what OfferStore.TrimOffers removed.
type OfferTrim struct {
	// Decisions and Outcomes count the rows deleted; the outcomes were
	// rolled up into daily counts first.
	Decisions int64 `json:"decisions"`
	Outcomes  int64 `json:"outcomes"`
}

// Validate returns an EINVALID error naming what is wrong with the query.
func (q *FunnelQuery) Validate() error {
	switch {
	case q.Length <= 0:
		return Errorf(EINVALID, "funnel: period length must be positive")
	case !q.To.After(q.From):
		return Errorf(EINVALID, "funnel: to must be after from")
	case q.Origin.After(q.From):
		return Errorf(EINVALID, "funnel: the periods' origin must be at or before from")
	}
	for id, st := range q.Stages {
		if StageIndex(st) < 0 {
			return Errorf(EINVALID, "funnel: offer %s: stage %q is not one of %v", id, st, OfferStages)
		}
	}
	return nil
}

// StageIndex returns the place of a stage in OfferStages, or -1.
func StageIndex(stage string) int {
	for i, s := range OfferStages {
		if s == stage {
			return i
		}
	}
	return -1
}
