package dashboard

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/scoring"
)

// decodeResult reads the stored score with its explanation. The stored
// columns win over the result's copy for the priority, which the store
// ranks by.
func decodeResult(rec *rapport.ScoreRecord) (scoring.Result, error) {
	var res scoring.Result
	if err := json.Unmarshal(rec.Result, &res); err != nil {
		return res, fmt.Errorf("decode score of %s: %w", rec.ProfileID, err)
	}
	res.Priority = rec.Priority
	return res, nil
}

// decodeState reads the stored scoring state: the lifecycle history.
func decodeState(rec *rapport.ScoreRecord) (scoring.State, error) {
	var st scoring.State
	if len(rec.State) == 0 {
		return st, nil
	}
	if err := json.Unmarshal(rec.State, &st); err != nil {
		return st, fmt.Errorf("decode scoring state of %s: %w", rec.ProfileID, err)
	}
	return st, nil
}

// displayName returns what people call a profile: its name trait, else
// first and last name, else its email, user id or group id, else its id.
func displayName(p *rapport.Profile) string {
	if s := textTrait(p, "name"); s != "" {
		return s
	}
	first, last := textTrait(p, "first_name", "firstName"), textTrait(p, "last_name", "lastName")
	if s := strings.TrimSpace(first + " " + last); s != "" {
		return s
	}
	for _, kind := range []rapport.IdentityKind{rapport.IdentityEmail, rapport.IdentityUserID, rapport.IdentityGroupID} {
		for _, id := range p.Identities {
			if id.Kind == kind {
				return id.Value
			}
		}
	}
	return p.ID
}

// textTrait returns the first of the named traits that holds text.
func textTrait(p *rapport.Profile, names ...string) string {
	for _, n := range names {
		if s, ok := p.Traits[n].(string); ok && strings.TrimSpace(s) != "" {
			return strings.TrimSpace(s)
		}
	}
	return ""
}
