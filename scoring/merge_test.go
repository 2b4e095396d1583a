package scoring_test

import (
	"math"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/scoring"
)

// TestMergeStatesKeepsBothEngagements scores two profiles of one person
// separately, merges their states, and checks the engagement equals that
// of one profile that saw every interaction.
func TestMergeStatesKeepsBothEngagements(t *testing.T) {
	m := scoring.B2C()
	base := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	p := &rapport.Profile{ID: "p", Kind: rapport.ProfilePerson, Traits: map[string]any{"email": "a@example.com"}}
	ev := func(name string, day int) *rapport.Event {
		return &rapport.Event{Type: rapport.EventTrack, Event: name, UserID: "u", Timestamp: base.AddDate(0, 0, day)}
	}
	now := base.AddDate(0, 0, 20)
	var a, b, one scoring.State
	for _, e := range []*rapport.Event{ev("Email Opened", 0), ev("Webinar Attended", 3)} {
		scoring.Score(m, p, &a, e, now)
		scoring.Score(m, p, &one, e, now)
	}
	for _, e := range []*rapport.Event{ev("Store Visited", 10), ev("Email Opened", 12)} {
		scoring.Score(m, p, &b, e, now)
		scoring.Score(m, p, &one, e, now)
	}
	merged := scoring.MergeStates(m, a, b)
	got, _ := scoring.Rescore(m, p, &merged, now)
	want, _ := scoring.Rescore(m, p, &one, now)
	if math.Abs(got.Engagement.Score-want.Engagement.Score) > 0.05 || got.Engagement.Score == 0 {
		t.Fatalf("merged engagement %.2f, want %.2f as if one profile saw it all", got.Engagement.Score, want.Engagement.Score)
	}
	aOnly, _ := scoring.Rescore(m, p, &a, now)
	if got.Engagement.Score <= aOnly.Engagement.Score {
		t.Errorf("merged %.2f is not above the survivor's own %.2f", got.Engagement.Score, aOnly.Engagement.Score)
	}
	// The arguments are not modified.
	if len(a.Types) > 0 && a.Types[0].Count != one.Types[0].Count-b.Types[0].Count {
		t.Errorf("the survivor's state changed")
	}
	// Merging with a never-scored state changes nothing.
	same := scoring.MergeStates(m, a, scoring.State{})
	if r, _ := scoring.Rescore(m, p, &same, now); math.Abs(r.Engagement.Score-aOnly.Engagement.Score) > 1e-9 {
		t.Errorf("merge with an empty state moved engagement from %.4f to %.4f", aOnly.Engagement.Score, r.Engagement.Score)
	}
}
