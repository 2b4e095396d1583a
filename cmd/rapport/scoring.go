package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/scoring"
)

// scoringFlags choose the scoring model: a YAML file, or a shipped
// template.
type scoringFlags struct {
	file     string
	template string
}

func (f *scoringFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.file, "scoring", "", "YAML file holding the scoring model (see docs/scoring.md); default: --scoring-template")
	fs.StringVar(&f.template, "scoring-template", "b2c", "shipped scoring model used without --scoring: b2c or b2b")
}

// load reads the model: the file when given (errors name the field and
// line), else the template.
func (f *scoringFlags) load() (*scoring.Model, error) {
	if f.file == "" {
		b, err := scoring.TemplateYAML(f.template)
		if err != nil {
			return nil, fmt.Errorf("--scoring-template: %w", err)
		}
		return parseModel(b, "template "+f.template)
	}
	b, err := os.ReadFile(f.file)
	if err != nil {
		return nil, fmt.Errorf("--scoring: %w", err)
	}
	return parseModel(b, f.file)
}

func parseModel(b []byte, name string) (*scoring.Model, error) {
	m, err := scoring.ParseModel(b)
	if err != nil {
		return nil, fmt.Errorf("scoring model %s: %w", name, err)
	}
	return m, nil
}

// scorer implements processor.Scorer with the scoring package: one
// scoring.Score per event, at the clock's time.
type scorer struct {
	model *scoring.Model
	clock rapport.Clock
}

// scored is a profile's working state: the scoring state and the latest
// result.
type scored struct {
	state  scoring.State
	result scoring.Result
}

// Load decodes a stored state; nil is a profile never scored.
func (s scorer) Load(rec *rapport.ScoreRecord) (any, error) {
	st := &scored{}
	if rec != nil && len(rec.State) > 0 {
		if err := json.Unmarshal(rec.State, &st.state); err != nil {
			return nil, fmt.Errorf("decode scoring state: %w", err)
		}
	}
	return st, nil
}

// Score applies ev and turns the rules that became true into
// notifications of type "rule.<name>" carrying the score.
func (s scorer) Score(p *rapport.Profile, state any, ev *rapport.Event) ([]rapport.Notification, error) {
	st, ok := state.(*scored)
	if !ok {
		return nil, fmt.Errorf("scoring state of type %T", state)
	}
	now := s.clock.Now()
	var fired []string
	st.result, fired = scoring.Score(s.model, p, &st.state, ev, now)
	if len(fired) == 0 {
		return nil, nil
	}
	notes := make([]rapport.Notification, len(fired))
	for i, name := range fired {
		notes[i] = rapport.Notification{Type: "rule." + name, ProfileID: p.ID, At: now,
			Payload: map[string]any{"rule": name, "score": st.result}}
	}
	return notes, nil
}

// Record encodes the state and the latest result.
func (s scorer) Record(profileID string, state any) (rapport.ScoreRecord, error) {
	st, ok := state.(*scored)
	if !ok {
		return rapport.ScoreRecord{}, fmt.Errorf("scoring state of type %T", state)
	}
	stateJSON, err := json.Marshal(&st.state)
	if err != nil {
		return rapport.ScoreRecord{}, fmt.Errorf("encode scoring state: %w", err)
	}
	resultJSON, err := json.Marshal(&st.result)
	if err != nil {
		return rapport.ScoreRecord{}, fmt.Errorf("encode score: %w", err)
	}
	r := &st.result
	return rapport.ScoreRecord{ProfileID: profileID, Fit: r.Fit.Score, Grade: r.Fit.Grade,
		Engagement: r.Engagement.Score, Stage: string(r.Lifecycle.Stage), Priority: r.Priority,
		State: stateJSON, Result: resultJSON, UpdatedAt: s.clock.Now()}, nil
}
