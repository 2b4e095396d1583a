package scoring

import "time"

// State is what scoring keeps about one profile between events: the
// decayed engagement points and the daily counters of caps per interaction
// type, the lifecycle stage with its history, and the rules that are
// currently true. Its zero value is the state of a profile never scored.
// It is plain data: the caller stores it as JSON and hands it back.
//
// Its size is bounded: one entry per interaction type of the model, the
// counters of two days, and at most MaxHistory transitions.
type State struct {
	// Version is the model version that last scored the profile.
	Version int `json:"version,omitempty"`
	// EngagedAt is the time the engagement points are decayed to: the
	// latest interaction's time.
	EngagedAt time.Time `json:"engagedAt,omitzero"`
	// CapDay is the latest UTC day (days since 1970-01-01) an interaction
	// was seen on; the daily counters are kept for it and the day before.
	CapDay int64       `json:"capDay,omitempty"`
	Types  []TypeState `json:"types,omitempty"`

	Stage   Stage        `json:"stage,omitempty"`
	Since   time.Time    `json:"since,omitzero"`
	History []Transition `json:"history,omitempty"`

	// Active lists the rules that were true at the last scoring.
	Active []string `json:"active,omitempty"`
}

// TypeState is the engagement of one interaction type.
type TypeState struct {
	Type string `json:"type"`
	// Count is the interactions counted; Capped those over a daily cap.
	Count  int64 `json:"count,omitempty"`
	Capped int64 `json:"capped,omitempty"`
	// Earned is the sum of points before decay; Points what is left of
	// it at State.EngagedAt.
	Earned float64 `json:"earned,omitempty"`
	Points float64 `json:"points,omitempty"`
	// Today, Yesterday and Older count the interactions of CapDay, of the
	// day before, and of older days that arrived late since CapDay began.
	Today     uint32 `json:"today,omitempty"`
	Yesterday uint32 `json:"yesterday,omitempty"`
	Older     uint32 `json:"older,omitempty"`
}

// alignTypes makes st.Types follow the model's interaction types, keeping
// what it knows of types that are still there (the model may have changed).
func (st *State) alignTypes(c *compiled) {
	if len(st.Types) == len(c.types) {
		aligned := true
		for i := range c.types {
			if st.Types[i].Type != c.types[i].name {
				aligned = false
				break
			}
		}
		if aligned {
			return
		}
	}
	types := make([]TypeState, len(c.types))
	for i, t := range c.types {
		types[i].Type = t.name
		for _, old := range st.Types {
			if old.Type == t.name {
				types[i] = old
			}
		}
	}
	st.Types = types
}

// typesSeen counts the interaction types with anything counted or capped:
// the ones an explanation lists.
func (st *State) typesSeen() int {
	n := 0
	for i := range st.Types {
		if st.Types[i].Count > 0 || st.Types[i].Capped > 0 {
			n++
		}
	}
	return n
}
