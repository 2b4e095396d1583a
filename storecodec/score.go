package storecodec

import (
	"encoding/json"
	"math"

	"github.com/rapportdev/rapport"
)

// CheckScores rejects, with EINVALID, scores that name no profile or carry
// a number JSON cannot hold (NaN or an infinity).
func CheckScores(scores []rapport.ScoreRecord) error {
	for _, r := range scores {
		if r.ProfileID == "" {
			return rapport.Errorf(rapport.EINVALID, "score without profile id")
		}
		for _, x := range []float64{r.Fit, r.Engagement, r.Priority} {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return rapport.Errorf(rapport.EINVALID, "score of profile %q is not a number", r.ProfileID)
			}
		}
	}
	return nil
}

// ScoreJSON returns a score's state or result as stored: the JSON as given,
// or null when it is empty or not valid JSON (a score is derived data; a
// broken one is rebuilt by scoring again rather than failing a batch).
func ScoreJSON(b json.RawMessage) []byte {
	if len(b) == 0 || !json.Valid(b) {
		return []byte("null")
	}
	return b
}

// LeadLimit returns the page size of a leads query (see PageLimit) and a
// non-negative offset.
func LeadLimit(f rapport.LeadFilter) (limit, offset int) {
	return PageLimit(f.Limit), max(f.Offset, 0)
}

// LeadLists returns the filter's grade and stage lists, never nil, for
// queries that bind them as arrays.
func LeadLists(f rapport.LeadFilter) (grades, stages []string) {
	grades, stages = f.Grades, f.Stages
	if grades == nil {
		grades = []string{}
	}
	if stages == nil {
		stages = []string{}
	}
	return grades, stages
}
