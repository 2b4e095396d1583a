package rescore_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/demo"
	"github.com/rapportdev/rapport/processor"
	"github.com/rapportdev/rapport/rescore"
	"github.com/rapportdev/rapport/scoring"
	"github.com/rapportdev/rapport/sqlite"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// world is a store filled by the processor from the demo's events, scored
// by live (with a Hot when hot is set).
type world struct {
	store *sqlite.Store
	log   *sqlite.Log
	live  *rescore.Live
	hot   *rescore.Hot
	proc  *processor.Processor
}

// newWorld opens a store and a log, and a processor scoring with model
// at the clock's time. Profile ids are numbered, so two worlds fed the
// same events hold the same ids.
func newWorld(t *testing.T, m *scoring.Model, clock rapport.Clock, hot bool) *world {
	t.Helper()
	dir := t.TempDir()
	s, err := sqlite.Open(context.Background(), filepath.Join(dir, "rapport.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	l, err := sqlite.OpenLog(context.Background(), filepath.Join(dir, "log.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	w := &world{store: s, log: l, live: rescore.NewLive(m, clock)}
	var n atomic.Int64
	opts := processor.Options{Logger: quiet, Clock: clock, Scorer: w.live, BatchSize: 150, MaxBatchSize: 150,
		Linger: -1, NewID: func() string { return fmt.Sprintf("p_%06d", n.Add(1)) }}
	if hot {
		w.hot = rescore.NewHot()
		w.live.UseHot(w.hot)
		opts.OnApplied = w.live.Applied
	}
	w.proc = processor.New(l, s, opts)
	return w
}

// feed appends events and applies them.
func (w *world) feed(t *testing.T, events []rapport.Event) {
	t.Helper()
	if err := w.log.Append(context.Background(), events); err != nil {
		t.Fatal(err)
	}
	if _, err := w.proc.CatchUp(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// scores returns every stored score by profile id.
func scores(t *testing.T, s *sqlite.Store) map[string]*rapport.ScoreRecord {
	t.Helper()
	recs, _ := scoresAndProfiles(t, s)
	return recs
}

// scoresAndProfiles returns every stored score by profile id, and how
// many profiles are stored (accounts have no score).
func scoresAndProfiles(t *testing.T, s *sqlite.Store) (map[string]*rapport.ScoreRecord, int) {
	t.Helper()
	var ids []string
	after := ""
	for {
		ps, err := s.ScanProfiles(context.Background(), after, 500)
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) == 0 {
			break
		}
		for _, p := range ps {
			ids = append(ids, p.ID)
		}
		after = ps[len(ps)-1].ID
	}
	recs, err := s.FindScores(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	return recs, len(ids)
}

// sameRecord reports the first field in which two records differ.
func sameRecord(got, want *rapport.ScoreRecord) error {
	switch {
	case got.ProfileID != want.ProfileID:
		return fmt.Errorf("profile %s, want %s", got.ProfileID, want.ProfileID)
	case got.Fit != want.Fit || got.Grade != want.Grade || got.Engagement != want.Engagement ||
		got.Stage != want.Stage || got.Priority != want.Priority:
		return fmt.Errorf("columns %v %s %v %s %v, want %v %s %v %s %v", got.Fit, got.Grade, got.Engagement, got.Stage,
			got.Priority, want.Fit, want.Grade, want.Engagement, want.Stage, want.Priority)
	case !bytes.Equal(compact(got.State), compact(want.State)):
		return fmt.Errorf("state\n%s\nwant\n%s", got.State, want.State)
	case !bytes.Equal(compact(got.Result), compact(want.Result)):
		return fmt.Errorf("result\n%s\nwant\n%s", got.Result, want.Result)
	case !got.UpdatedAt.Equal(want.UpdatedAt):
		return fmt.Errorf("updated at %v, want %v", got.UpdatedAt, want.UpdatedAt)
	}
	return nil
}

func compact(b []byte) []byte {
	var out bytes.Buffer
	if err := json.Compact(&out, b); err != nil {
		return b
	}
	return out.Bytes()
}

// TestHotPassMatchesStorePass feeds the demo's events to two processors,
// one keeping a Hot, then changes the model: today's pass through the
// store on one, the pass in memory on the other. Hot must serve exactly
// the records the store pass wrote, before anything is written behind,
// rank the lead list as the store does, and the store written behind
// must hold the same records, field by field.
func TestHotPassMatchesStorePass(t *testing.T) {
	ctx := context.Background()
	v1, err := scoring.B2C().WithVersion(1)
	if err != nil {
		t.Fatal(err)
	}
	clock := fixedClock{now}
	events := demo.Events(7, now, 120)
	plain, hot := newWorld(t, v1, clock, false), newWorld(t, v1, clock, true)
	plain.feed(t, events)
	hot.feed(t, events)

	// Loading states from Hot scores exactly as decoding them does.
	before := scores(t, plain.store)
	hotBefore, profiles := scoresAndProfiles(t, hot.store)
	if len(before) < 100 || len(before) != len(hotBefore) || hot.hot.Len() != profiles {
		t.Fatalf("%d scores without Hot, %d with; %d profiles in Hot, %d stored; want the same, at least 100",
			len(before), len(hotBefore), hot.hot.Len(), profiles)
	}
	for id, want := range before {
		if err := sameRecord(hotBefore[id], want); err != nil {
			t.Fatalf("processor's score of %s with Hot: %v", id, err)
		}
	}

	// The model changes 40 days on (stages lapse, engagement decays) to
	// one with other weights and a rule that becomes true for everyone.
	later := now.Add(40 * 24 * time.Hour)
	b2c, err := scoring.TemplateYAML("b2c")
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(b2c), "\nrules:\n", "\nrules:\n  - name: anyone\n    when: {stages: [prospect, lead, new_customer, repeat_customer, loyal_customer, advocate, at_risk, lapsed]}\n", 1)
	edited = strings.Replace(edited, "  fit: 0.3\n  engagement: 0.35\n", "  fit: 0.5\n  engagement: 0.15\n", 1)
	m2, err := scoring.ParseModel([]byte(edited))
	if err != nil {
		t.Fatal(err)
	}
	v2, err := m2.WithVersion(2)
	if err != nil {
		t.Fatal(err)
	}
	storeLive := rescore.NewLive(v2, fixedClock{later})
	storeProg, err := rescore.Pass(ctx, plain.store, storeLive, rescore.Options{Page: 37})
	if err != nil {
		t.Fatalf("store pass: %v", err)
	}
	want := scores(t, plain.store)
	hot.live.SetModel(v2)
	reader := &rescore.Scores{Hot: hot.hot, Live: hot.live, Store: hot.store}
	if _, err := hot.hot.Fill(ctx, hot.store, rescore.Options{Page: 29}); err != nil {
		t.Fatalf("Fill: %v", err)
	}
	n, fired, err := hot.hot.RescoreHot(ctx, v2, later, 2)
	if err != nil || n != len(want) {
		t.Fatalf("RescoreHot = %d, %v; want %d profiles", n, err, len(want))
	}
	// The rules that became true are those of the store pass, and are
	// queued with the scores written behind.
	if fired != storeProg.Fired || fired == 0 {
		t.Errorf("%d rules fired in memory, %d through the store; want the same, some", fired, storeProg.Fired)
	}
	for id, w := range want {
		got, err := reader.FindScore(ctx, id)
		if err != nil {
			t.Fatalf("FindScore(%s) from Hot: %v", id, err)
		}
		if err := sameRecord(got, w); err != nil {
			t.Fatalf("score of %s served from Hot before the write behind: %v", id, err)
		}
	}
	compareLeads(t, reader, plain.store)

	prog := rescore.Progress{}
	if err := hot.hot.WriteBehind(ctx, hot.store, v2, rescore.Options{Page: 41}, &prog); err != nil {
		t.Fatalf("WriteBehind: %v", err)
	}
	if prog.Written != len(want) || prog.Fired != storeProg.Fired {
		t.Errorf("wrote %d scores behind with %d notifications, want %d with %d", prog.Written, prog.Fired, len(want), storeProg.Fired)
	}
	got := scores(t, hot.store)
	for id, w := range want {
		if err := sameRecord(got[id], w); err != nil {
			t.Fatalf("score of %s written behind: %v", id, err)
		}
	}
	// Written: nothing is left to write.
	prog = rescore.Progress{}
	if err := hot.hot.WriteBehind(ctx, hot.store, v2, rescore.Options{}, &prog); err != nil || prog.Written != 0 {
		t.Errorf("second WriteBehind wrote %d (%v), want nothing", prog.Written, err)
	}
}

// compareLeads checks that the lead list from Hot is the store's, for a
// few filters and pages.
func compareLeads(t *testing.T, hot, store rescore.ScoreReader) {
	t.Helper()
	ctx := context.Background()
	for _, f := range []rapport.LeadFilter{
		{Limit: 10},
		{Limit: 7, Offset: 20},
		{Grades: []string{"A", "B"}, Limit: 50},
		{Stages: []string{"lapsed", "at_risk", "lead"}, MinEngagement: 5, Limit: 25, Offset: 3},
		{Grades: []string{"D"}, Stages: []string{"prospect"}, Limit: 500},
		{Limit: 10, Offset: 100000},
	} {
		got, gotTotal, err := hot.FindLeads(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		want, wantTotal, err := store.FindLeads(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if gotTotal != wantTotal || len(got) != len(want) {
			t.Fatalf("leads %+v: %d of %d, want %d of %d", f, len(got), gotTotal, len(want), wantTotal)
		}
		for i := range want {
			if err := sameRecord(&got[i], &want[i]); err != nil {
				t.Fatalf("leads %+v, #%d: %v", f, i, err)
			}
		}
	}
}

// TestHotUnderIngestion changes the model while the processor applies
// events and readers read the lead list: after the pass, every score
// served is the new model's, and once written behind the store holds
// what Hot serves. Run it with -race.
func TestHotUnderIngestion(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	v1, _ := scoring.B2C().WithVersion(1)
	v2, _ := scoring.B2C().WithVersion(2)
	// Scores are told apart by the time they were stored at (the Prev of
	// a write behind), so this clock moves on with every reading.
	clock := &tickingClock{}
	events := demo.Events(11, now, 160)
	half := len(events) / 2
	w := newWorld(t, v1, clock, true)
	w.feed(t, events[:half])
	if _, err := w.hot.Fill(ctx, w.store, rescore.Options{Page: 50}); err != nil {
		t.Fatal(err)
	}
	reader := &rescore.Scores{Hot: w.hot, Live: w.live, Store: w.store}

	done := make(chan error, 1)
	go func() { done <- w.proc.Run(ctx) }()
	readers := make(chan error, 1)
	go func() {
		for ctx.Err() == nil {
			if _, _, err := reader.FindLeads(ctx, rapport.LeadFilter{Limit: 20}); err != nil && ctx.Err() == nil {
				readers <- err
				return
			}
		}
		readers <- nil
	}()
	for lo := half; lo < len(events); lo += 200 {
		if err := w.log.Append(ctx, events[lo:min(lo+200, len(events))]); err != nil {
			t.Fatal(err)
		}
		w.proc.Notify()
		if lo == half {
			w.live.SetModel(v2)
			if _, _, err := w.hot.RescoreHot(ctx, v2, clock.Now(), 2); err != nil {
				t.Fatal(err)
			}
		}
	}
	var prog rescore.Progress
	if err := w.hot.WriteBehind(ctx, w.store, v2, rescore.Options{Page: 64, Written: w.proc.Forget}, &prog); err != nil {
		t.Fatal(err)
	}
	waitApplied(t, w)
	// Whatever the processor stored after the write behind's last sweep
	// with the old model was rescored in memory; write it too.
	if err := w.hot.WriteBehind(ctx, w.store, v2, rescore.Options{}, &prog); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-readers; err != nil {
		t.Fatalf("lead list while ingesting: %v", err)
	}
	<-done

	stored, profiles := scoresAndProfiles(t, w.store)
	if w.hot.Len() != profiles {
		t.Fatalf("Hot holds %d profiles, the store %d", w.hot.Len(), profiles)
	}
	for id, rec := range stored {
		got, err := reader.FindScore(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		var st scoring.State
		if err := json.Unmarshal(got.State, &st); err != nil || st.Version != 2 {
			t.Fatalf("score of %s served with model version %d, want 2", id, st.Version)
		}
		if err := sameRecord(got, rec); err != nil {
			t.Fatalf("score of %s: Hot serves %v", id, err)
		}
	}
}

// tickingClock starts at now and moves a microsecond on at every reading.
type tickingClock struct{ n atomic.Int64 }

func (c *tickingClock) Now() time.Time {
	return now.Add(time.Duration(c.n.Add(1)) * time.Microsecond)
}

// waitApplied waits until the processor has applied the whole log.
func waitApplied(t *testing.T, w *world) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		events, err := w.log.Read(context.Background(), w.proc.Applied(), 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(events) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the processor did not catch up")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestHotForgetsMergedAndErased checks that profiles merged away and
// erased leave Hot and the lead list.
func TestHotForgetsMergedAndErased(t *testing.T) {
	ctx := context.Background()
	v1, _ := scoring.B2C().WithVersion(1)
	w := newWorld(t, v1, fixedClock{now}, true)
	at := now.Add(-time.Hour)
	ev := func(typ rapport.EventType, anon, user string, traits map[string]any) rapport.Event {
		return rapport.Event{Type: typ, AnonymousID: anon, UserID: user, Traits: traits, Timestamp: at,
			ReceivedAt: at, MessageID: rapport.NewID("m_")}
	}
	// Two visitors; the second logs in as the first's user: merged.
	w.feed(t, []rapport.Event{
		ev(rapport.EventIdentify, "a1", "u1", map[string]any{"email": "u1@example.com", "age": 40.0}),
		ev(rapport.EventPage, "a2", "", nil),
	})
	w.feed(t, []rapport.Event{ev(rapport.EventIdentify, "a2", "u1", nil)})
	stored := scores(t, w.store)
	if len(stored) != 1 || w.hot.Len() != 1 {
		t.Fatalf("after the merge: %d stored scores, %d in Hot; want 1 and 1", len(stored), w.hot.Len())
	}
	if _, err := w.hot.Fill(ctx, w.store, rescore.Options{}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := w.hot.RescoreHot(ctx, v1, now, 1); err != nil {
		t.Fatal(err)
	}
	reader := &rescore.Scores{Hot: w.hot, Live: w.live, Store: w.store}
	var id string
	for id = range stored {
	}
	if _, n, _ := reader.FindLeads(ctx, rapport.LeadFilter{}); n != 1 {
		t.Fatalf("%d leads before the erasure, want 1", n)
	}
	if _, err := w.proc.Erase(ctx, id); err != nil {
		t.Fatal(err)
	}
	w.hot.Remove(id)
	if _, err := reader.FindScore(ctx, id); rapport.ErrorCode(err) != rapport.ENOTFOUND {
		t.Errorf("score of an erased profile: %v, want ENOTFOUND", err)
	}
	if leads, n, _ := reader.FindLeads(ctx, rapport.LeadFilter{}); n != 0 || len(leads) != 0 {
		t.Errorf("%d leads after the erasure, want none", n)
	}
	var prog rescore.Progress
	if err := w.hot.WriteBehind(ctx, w.store, v1, rescore.Options{}, &prog); err != nil || prog.Written != 0 {
		t.Errorf("write behind after the erasure wrote %d (%v)", prog.Written, err)
	}
}

// TestKeeperRecoversUnwrittenPass stands for a crash after a model change
// was rescored in memory and before it was written behind: the store
// holds version 1's scores while version 2 is the model stored. A restart
// fills Hot, its start pass rescores in memory, and every stored score
// ends of version 2.
func TestKeeperRecoversUnwrittenPass(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	seed(t, s, 700)
	b2c, err := scoring.TemplateYAML("b2c")
	if err != nil {
		t.Fatal(err)
	}
	k := rescore.NewKeeper(rescore.NewLive(scoring.B2C(), fixedClock{now}), s, quiet, rescore.Options{})
	if _, err := k.Declare(ctx, b2c, "template b2c"); err != nil {
		t.Fatal(err)
	}
	k.Start("start")
	if st := k.Wait(); st.Written != 700 || st.InMemory {
		t.Fatalf("first pass without Hot: %+v; want 700 written through the store", st)
	}
	// The crash: version 2 stored, nothing rescored.
	edited := bytes.Replace(b2c, []byte("\nname: "), []byte("\nname: edited # "), 1)
	if _, err := s.PutModel(ctx, rapport.ModelVersion{Kind: rapport.ModelScoring, Body: edited, Source: rescore.SourceAPI}); err != nil {
		t.Fatal(err)
	}

	live := rescore.NewLive(scoring.B2C(), fixedClock{now.Add(time.Hour)})
	hot := rescore.NewHot()
	live.UseHot(hot)
	var progress []rescore.Progress
	k2 := rescore.NewKeeper(live, s, quiet, rescore.Options{Page: 100, Progress: func(p rescore.Progress) { progress = append(progress, p) }})
	if changed, err := k2.Declare(ctx, b2c, "template b2c"); err != nil || changed || live.Model().Version != 2 {
		t.Fatalf("restart: changed %v, version %d, %v; want version 2 kept", changed, live.Model().Version, err)
	}
	k2.Fill(ctx)
	k2.Start("start")
	st := k2.Wait()
	k2.Close()
	if !st.InMemory || st.Scanned != 700 || st.Written != 700 || st.Error != "" || st.Hot == nil || !st.Hot.Filled ||
		st.Hot.ServingVersion != 2 || st.Served <= 0 || st.Served > st.Elapsed {
		t.Fatalf("start pass after the crash: %+v (hot %+v); want 700 rescored in memory and written", st, st.Hot)
	}
	if len(progress) < 2 || !progress[0].InMemory || progress[0].Written != 0 {
		t.Errorf("progress %+v: want the pass in memory reported before the pages written", progress)
	}
	for id, rec := range scores(t, s) {
		var state scoring.State
		if err := json.Unmarshal(rec.State, &state); err != nil || state.Version != 2 || !rec.UpdatedAt.Equal(now.Add(time.Hour)) {
			t.Fatalf("score of %s after the restart: version %d at %v, want 2 at %v", id, state.Version, rec.UpdatedAt, now.Add(time.Hour))
		}
	}
}
