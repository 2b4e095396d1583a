package rescore_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/rescore"
	"github.com/rapportdev/rapport/scoring"
	"github.com/rapportdev/rapport/sqlite"
)

// fixedClock is a clock that stays at one time.
type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

var now = time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)

func openStore(t *testing.T) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "rapport.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// seed stores n people: even ones are customers with orders, every third
// one already has a score from version 0 of the model.
func seed(t *testing.T, s *sqlite.Store, n int) {
	t.Helper()
	var c rapport.Changes
	for i := range n {
		p := &rapport.Profile{ID: fmt.Sprintf("p%05d", i), Kind: rapport.ProfilePerson,
			Traits:    map[string]any{"email": fmt.Sprintf("p%d@example.com", i), "age": 20 + i%50},
			CreatedAt: now.AddDate(0, 0, -400), UpdatedAt: now.AddDate(0, 0, -i%300)}
		p.Aggregates.FirstSeen, p.Aggregates.LastSeen = p.CreatedAt, p.UpdatedAt
		if i%2 == 0 {
			p.Aggregates.Orders, p.Aggregates.Revenue = int64(1+i%5), float64(40*(1+i%5))
			p.Aggregates.FirstOrderAt, p.Aggregates.LastOrderAt = p.CreatedAt, p.UpdatedAt
		}
		c.Profiles = append(c.Profiles, p)
		if i%3 == 0 {
			c.Scores = append(c.Scores, rapport.ScoreRecord{ProfileID: p.ID, Grade: "D", Stage: "prospect",
				State: []byte(`{}`), Result: []byte(`{}`), UpdatedAt: now.Add(-time.Hour)})
		}
	}
	c.Checkpoint = 1
	if err := s.ApplyChanges(context.Background(), c); err != nil {
		t.Fatal(err)
	}
}

func TestPassScoresEveryProfile(t *testing.T) {
	s := openStore(t)
	seed(t, s, 1234)
	m, err := scoring.B2C().WithVersion(7)
	if err != nil {
		t.Fatal(err)
	}
	live := rescore.NewLive(m, fixedClock{now})
	var calls int
	prog, err := rescore.Pass(context.Background(), s, live, rescore.Options{Page: 100, Progress: func(rescore.Progress) { calls++ }})
	if err != nil {
		t.Fatalf("Pass: %v", err)
	}
	if prog.Scanned != 1234 || prog.Written != 1234 || calls != 13 {
		t.Errorf("progress %+v after %d calls; want 1234 scanned and written in 13 pages", prog, calls)
	}
	stages := map[string]int{}
	for i := range 1234 {
		rec, err := s.FindScore(context.Background(), fmt.Sprintf("p%05d", i))
		if err != nil {
			t.Fatalf("profile %d: %v", i, err)
		}
		if !rec.UpdatedAt.Equal(now) {
			t.Fatalf("profile %d scored at %v, want %v", i, rec.UpdatedAt, now)
		}
		var st scoring.State
		if err := json.Unmarshal(rec.State, &st); err != nil || st.Version != 7 {
			t.Fatalf("profile %d: state %s (%v), want version 7", i, rec.State, err)
		}
		stages[rec.Stage]++
	}
	// Customers who stopped buying long ago lapse with time alone.
	if stages["lapsed"] == 0 || stages["prospect"]+stages["lead"] == 0 {
		t.Errorf("stages %v: want lapsed customers and prospects", stages)
	}
}

func TestPassStopsWithContext(t *testing.T) {
	s := openStore(t)
	seed(t, s, 500)
	ctx, cancel := context.WithCancel(context.Background())
	live := rescore.NewLive(scoring.B2C(), fixedClock{now})
	prog, err := rescore.Pass(ctx, s, live, rescore.Options{Page: 50, Progress: func(p rescore.Progress) {
		if p.Scanned >= 100 {
			cancel()
		}
	}})
	if err == nil || prog.Scanned >= 500 {
		t.Fatalf("Pass after cancel = %+v, %v; want an error before the end", prog, err)
	}
}

func TestKeeperVersions(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	seed(t, s, 300)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	declare := func(body []byte, source string) (*rescore.Keeper, bool) {
		t.Helper()
		k := rescore.NewKeeper(rescore.NewLive(scoring.B2C(), fixedClock{now}), s, log, rescore.Options{})
		changed, err := k.Declare(ctx, body, source)
		if err != nil {
			t.Fatalf("Declare(%s): %v", source, err)
		}
		return k, changed
	}
	b2c, err := scoring.TemplateYAML("b2c")
	if err != nil {
		t.Fatal(err)
	}
	k, changed := declare(b2c, "template b2c")
	if !changed || k.Live().Model().Version != 1 {
		t.Fatalf("first start: changed %v, version %d; want a new version 1", changed, k.Live().Model().Version)
	}
	if _, changed = declare(b2c, "template b2c"); changed {
		t.Fatal("restart with the same template stored a new version")
	}

	// A change through the API is kept across a restart with the same
	// declaration, and rescores every profile.
	edited := bytes.Replace(b2c, []byte("\nname: "), []byte("\nname: edited through the API # "), 1)
	m, err := k.Replace(ctx, edited)
	if err != nil {
		t.Fatalf("Replace: %v", err)
	}
	st := k.Wait()
	if m.Version != 2 || st.ModelVersion != 2 || st.ModelSource != "api" || st.Written != 300 || st.Error != "" || st.Running {
		t.Fatalf("after Replace: model version %d, status %+v; want version 2 from the api, 300 rescored", m.Version, st)
	}
	k2, changed := declare(b2c, "template b2c")
	if changed || k2.Live().Model().Version != 2 || k2.Live().Model().Name != "edited through the API" {
		t.Fatalf("restart after an API change: changed %v, model %d %q; want version 2 kept",
			changed, k2.Live().Model().Version, k2.Live().Model().Name)
	}
	// A changed declaration wins.
	b2b, err := scoring.TemplateYAML("b2b")
	if err != nil {
		t.Fatal(err)
	}
	k3, changed := declare(b2b, "template b2b")
	if !changed || k3.Live().Model().Version != 3 {
		t.Fatalf("new declaration: changed %v, version %d; want version 3", changed, k3.Live().Model().Version)
	}

	// An invalid model names the field and changes nothing.
	_, err = k3.Replace(ctx, []byte("fit:\n  rules:\n    - trait: age\n      wieght: 3\n"))
	if rapport.ErrorCode(err) != rapport.EINVALID {
		t.Fatalf("Replace(invalid) = %v, want EINVALID", err)
	}
	if cur, _ := s.CurrentModel(ctx, rapport.ModelScoring); cur.Version != 3 {
		t.Errorf("invalid model stored as version %d", cur.Version)
	}
}

func TestAdoptStoresNothing(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	b2b, _ := scoring.TemplateYAML("b2b")
	ingest := rescore.NewKeeper(rescore.NewLive(scoring.B2C(), fixedClock{now}), s, log, rescore.Options{})
	if err := ingest.Adopt(ctx, b2b, "template b2b"); err != nil || ingest.Model().Name != "B2B" {
		t.Fatalf("Adopt with nothing stored: %v, model %q", err, ingest.Model().Name)
	}
	if _, err := s.CurrentModel(ctx, rapport.ModelScoring); rapport.ErrorCode(err) != rapport.ENOTFOUND {
		t.Fatalf("Adopt stored a model: %v", err)
	}
	b2c, _ := scoring.TemplateYAML("b2c")
	all := rescore.NewKeeper(rescore.NewLive(scoring.B2C(), fixedClock{now}), s, log, rescore.Options{})
	if _, err := all.Declare(ctx, b2c, "template b2c"); err != nil {
		t.Fatal(err)
	}
	if err := ingest.Adopt(ctx, b2b, "template b2b"); err != nil || ingest.Model().Name != "B2C" || ingest.Model().Version != 1 {
		t.Fatalf("Adopt after the applying process declared: %v, model %q v%d; want its B2C v1", err, ingest.Model().Name, ingest.Model().Version)
	}
}
