package rescore

import (
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/scoring"
)

// TestFillTakesTheScoreOfAProfileStoredUnscored: while the fill runs, the
// processor stores an account without scoring it (a group event changes
// the account, not its score). The fill's page, read before, holds the
// account's stored score: the entry must take it, under the processor's
// newer projection, or the score would never be loaded.
func TestFillTakesTheScoreOfAProfileStoredUnscored(t *testing.T) {
	h := NewHot()
	h.mu.Lock()
	h.updateLocked("acct", &update{subject: scoring.Subject{Traits: map[string]any{"plan": "new"}}})
	h.mu.Unlock()

	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	stored := update{scored: true, stored: at, subject: scoring.Subject{Traits: map[string]any{"plan": "old"}},
		state:  scoring.State{Version: 1},
		result: scoring.Result{Fit: scoring.Fit{Score: 90, Grade: "A"}, Priority: 80, Version: 1, At: at}}
	h.fillPage(&filledPage{ids: []string{"acct", "other"}, updates: []update{stored, stored}})

	for _, id := range []string{"acct", "other"} {
		c, j, ok := h.lookup(id)
		if !ok {
			t.Fatalf("%s not held", id)
		}
		c.mu.Lock()
		scored, plan, priority := c.scored(j), c.entries[j].subject.Traits["plan"], c.ranks[j].priority
		c.mu.Unlock()
		if !scored || priority != 80 {
			t.Errorf("%s: scored %v, priority %v; want the stored score (80)", id, scored, priority)
		}
		if want := map[string]string{"acct": "new", "other": "old"}[id]; plan != want {
			t.Errorf("%s: projection's plan %v, want %q", id, plan, want)
		}
	}
}

// TestAppliedScoresWithAModelSetMeanwhile: a model put in use while a
// stored batch is on its way into Hot (scored with the old one, waiting
// for Hot's lock the new model's pass holds) is applied to the batch's
// profiles, so no entry is left on the old model once the pass has run.
func TestAppliedScoresWithAModelSetMeanwhile(t *testing.T) {
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	v1, err := scoring.B2C().WithVersion(1)
	if err != nil {
		t.Fatal(err)
	}
	v2, err := scoring.B2C().WithVersion(2)
	if err != nil {
		t.Fatal(err)
	}
	live := NewLive(v1, fixedClock{at})
	h := NewHot()
	live.UseHot(h)
	p := &rapport.Profile{ID: "p1", Kind: rapport.ProfilePerson, Traits: map[string]any{"age": 40.0}, CreatedAt: at, UpdatedAt: at}
	rec, _, err := live.Rescore(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	h.mu.Lock() // the new model's pass would wait here; so does the batch
	done := make(chan struct{})
	go func() {
		live.Applied(rapport.Changes{Profiles: []*rapport.Profile{p}, Scores: []rapport.ScoreRecord{rec}})
		close(done)
	}()
	time.Sleep(100 * time.Millisecond) // the batch, scored with v1, waits for the lock
	live.SetModel(v2)
	h.mu.Unlock()
	<-done
	c, j, ok := h.lookup("p1")
	if !ok {
		t.Fatal("p1 not held")
	}
	c.mu.Lock()
	version, dirty := c.entries[j].state.Version, c.entries[j].dirty
	c.mu.Unlock()
	if version != 2 || !dirty {
		t.Errorf("p1 held at model version %d (dirty %v), want 2, to be written behind", version, dirty)
	}
}

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }
