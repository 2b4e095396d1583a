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

// ScoreUpdate is a score computed outside the processor, by a rescoring
// pass: it is written only if the stored score is still the one the pass
// read, so a score the processor wrote meanwhile (from a newer event) wins.
type ScoreUpdate struct {
	Record ScoreRecord
	// Prev is the UpdatedAt of the score the pass read; the zero time means
	// the profile had none, and the update then only inserts.
	Prev time.Time
	// Notifications are the rules the new score fired; they are queued in
	// the same transaction, and only if the score is written.
	Notifications []Notification
}

// Model kinds kept in the ModelStore.
const (
	// ModelScoring is the 3D scoring model (YAML, scoring.Model).
	ModelScoring = "scoring"
	// ModelConversion is a trained conversion model (JSON, predict.Scorer
	// with the outcome it predicts).
	ModelConversion = "conversion"
)

// ModelVersion is one stored version of a model. Versions of a kind are
// numbered by the store from 1, each change the next number, so a score
// can name the version that made it.
type ModelVersion struct {
	Kind    string `json:"kind"`
	Version int    `json:"version"`
	// Body is the model as declared (YAML for scoring) or trained (JSON).
	Body []byte `json:"-"`
	// Source says where it came from: "api", "file rapport.yaml",
	// "template b2c", "rapport model train".
	Source string `json:"source"`
	// Digest is the SHA-256 of the declaration it was read from, so a
	// restart with an unchanged file does not undo a change made through
	// the API.
	Digest    string    `json:"digest,omitempty"`
	CreatedAt time.Time `json:"createdAt"`
}
