package rapport

import (
	"encoding/json"
	"time"
)

// ScoreRecord is a profile's stored 3D score: the columns leads are
// filtered and ranked by, the scoring state the next event continues from,
// and the full result with its explanation. The processor writes it
// through Changes.Scores in the transaction of the events that moved it.
type ScoreRecord struct {
	ProfileID  string  `json:"profileId"`
	Fit        float64 `json:"fit"`
	Grade      string  `json:"grade"`
	Engagement float64 `json:"engagement"`
	Stage      string  `json:"stage"`
	Priority   float64 `json:"priority"`
	// State is the scoring state (scoring.State) as JSON.
	State json.RawMessage `json:"state"`
	// Result is the score (scoring.Result: fit, engagement, lifecycle,
	// priority and explanation) as JSON.
	Result    json.RawMessage `json:"result"`
	UpdatedAt time.Time       `json:"updatedAt"`
}

// LeadFilter selects a page of scored profiles for the leads list: a grade
// among Grades and a stage among Stages (an empty list does not
// constrain), and an engagement of at least MinEngagement.
type LeadFilter struct {
	Grades        []string
	Stages        []string
	MinEngagement float64
	Offset        int
	Limit         int
}
