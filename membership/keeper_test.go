package membership_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/membership"
	"github.com/rapportdev/rapport/segment"
	"github.com/rapportdev/rapport/sqlite"
)

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

var now = time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)

// shop stores 100 people: p000..p099; person i ordered i%5 times, the
// last i days ago, in store when i is even; every tenth is an influencer.
func shop(t *testing.T) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "rapport.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	var c rapport.Changes
	for i := range 100 {
		p := &rapport.Profile{ID: fmt.Sprintf("p%03d", i), Kind: rapport.ProfilePerson,
			Traits: map[string]any{"influencer": i%10 == 0, "followers": float64(i * 100)}}
		a := &p.Aggregates
		a.FirstSeen, a.LastSeen = now.AddDate(-1, 0, 0), now.AddDate(0, 0, -i)
		for k := range i % 5 {
			at := now.AddDate(0, 0, -i-k*10)
			a.Orders++
			a.Revenue += 50
			a.Recent.Add(rapport.EventOrderCompleted, at, rapport.HistoryDays)
			a.Events = map[string]int64{rapport.EventOrderCompleted: a.Orders}
			a.FirstOrderAt, a.LastOrderAt = at, now.AddDate(0, 0, -i)
			if i%2 == 0 {
				a.PurchaseChannels = map[string]int64{"in-store": a.Orders}
			}
		}
		c.Profiles = append(c.Profiles, p)
	}
	c.Checkpoint = 1
	if err := s.ApplyChanges(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	return s
}

func newKeeper(t *testing.T, s *sqlite.Store) *membership.Keeper {
	k := membership.NewKeeper(s, fixedClock{now}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := k.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(k.Close)
	return k
}

func rule(id, expr string) *rapport.Segment {
	return &rapport.Segment{ID: id, Name: id, Kind: rapport.SegmentRule, Expression: expr, CreatedAt: now, UpdatedAt: now}
}

// want counts the people of shop matching pred.
func want(pred func(i int) bool) int {
	n := 0
	for i := range 100 {
		if pred(i) {
			n++
		}
	}
	return n
}

func TestPutComputesMembers(t *testing.T) {
	ctx := context.Background()
	s := shop(t)
	k := newKeeper(t, s)
	segs := []struct {
		seg  *rapport.Segment
		want int
	}{
		{rule("repeat-90d", `count("Order Completed", 90) >= 2`), want(func(i int) bool {
			n := 0
			for j := range i % 5 {
				if i+j*10 < 90 {
					n++
				}
			}
			return n >= 2
		})},
		{rule("in-store", `purchase_channels["in-store"] > 0`), want(func(i int) bool { return i%2 == 0 && i%5 > 0 })},
		{rule("influencer", `traits.influencer == true || (traits.followers ?? 0) >= 9000`), want(func(i int) bool { return i%10 == 0 || i >= 90 })},
		{rule("vip-in-store", `"in-store" in segments && orders >= 4`), want(func(i int) bool { return i%2 == 0 && i%5 == 4 })},
		{rule("champions", `rfm.group == "champions"`), -1},
	}
	for _, sg := range segs {
		if err := k.Put(ctx, sg.seg); err != nil {
			t.Fatalf("Put(%s): %v", sg.seg.ID, err)
		}
	}
	st := k.Wait()
	if st.Error != "" || st.Scanned != 100 {
		t.Fatalf("pass: %+v", st)
	}
	for _, sg := range segs {
		counts, err := s.CountMembers(ctx, []string{sg.seg.ID})
		if err != nil {
			t.Fatal(err)
		}
		if sg.want >= 0 && counts[sg.seg.ID] != sg.want {
			t.Errorf("%s: %d members, want %d", sg.seg.ID, counts[sg.seg.ID], sg.want)
		}
		if sg.want < 0 && counts[sg.seg.ID] == 0 {
			t.Errorf("%s: no members", sg.seg.ID)
		}
	}
	// A second pass changes nothing.
	k.Start("again")
	if st := k.Wait(); st.Changes != 0 {
		t.Errorf("second pass made %d changes", st.Changes)
	}
	// Narrowing a segment records the exits.
	if err := k.Put(ctx, rule("in-store", `purchase_channels["in-store"] >= 4`)); err != nil {
		t.Fatal(err)
	}
	k.Wait()
	counts, _ := s.CountMembers(ctx, []string{"in-store", "vip-in-store"})
	if counts["in-store"] != want(func(i int) bool { return i%2 == 0 && i%5 == 4 }) {
		t.Errorf("narrowed in-store: %d", counts["in-store"])
	}
	hist, _ := s.FindHistory(ctx, rapport.HistoryFilter{SegmentID: "in-store", Limit: 1000})
	left := 0
	for _, h := range hist {
		if !h.Entered {
			left++
		}
	}
	if left == 0 {
		t.Error("no exits recorded after narrowing")
	}
}

func TestValidate(t *testing.T) {
	s := shop(t)
	k := newKeeper(t, s)
	if err := k.Put(context.Background(), rule("a", `"b" in segments`)); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		seg  *rapport.Segment
	}{
		{"no name", &rapport.Segment{ID: "x", Kind: rapport.SegmentRule, Expression: "true"}},
		{"bad id", rule("Has Space", "true")},
		{"reserved id", rule("preview", "true")},
		{"cluster kind", &rapport.Segment{ID: "c", Name: "c", Kind: rapport.SegmentCluster}},
		{"cycle", rule("b", `"a" in segments`)},
	} {
		if err := k.Validate(tt.seg); rapport.ErrorCode(err) != rapport.EINVALID {
			t.Errorf("%s: Validate = %v, want EINVALID", tt.name, err)
		}
	}
	err := k.Validate(rule("typo", "orders >= 2 &&\n  revenu > 100"))
	var ce *segment.CompileError
	if !errors.As(err, &ce) || ce.Line != 2 {
		t.Fatalf("Validate(typo) = %v, want a compile error on line 2", err)
	}
}

func TestPreview(t *testing.T) {
	s := shop(t)
	k := newKeeper(t, s)
	matched, scanned, err := k.Preview(context.Background(), `orders >= 3`, 20000)
	if err != nil || scanned != 100 || matched != want(func(i int) bool { return i%5 >= 3 }) {
		t.Fatalf("Preview = %d of %d, %v", matched, scanned, err)
	}
	if _, scanned, _ := k.Preview(context.Background(), `orders >= 3`, 30); scanned != 30 {
		t.Errorf("sample of 30 scanned %d", scanned)
	}
	if _, _, err := k.Preview(context.Background(), `orders >=`, 10); rapport.ErrorCode(err) != rapport.EINVALID {
		t.Errorf("Preview of a broken expression: %v", err)
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{"Valentine's flower buyers": "valentine-s-flower-buyers", "  VIP  ": "vip", "Ünïcode!": "n-code"} {
		if got := membership.Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestRFMSegmentsWaitForQuintiles restarts a keeper (an empty RFM scale)
// and checks that segments reading rfm are not decided until a pass has
// placed the quintiles, so a restart does not empty them.
func TestRFMSegmentsWaitForQuintiles(t *testing.T) {
	ctx := context.Background()
	s := shop(t)
	k := newKeeper(t, s)
	if err := k.Put(ctx, rule("recent", `rfm.r >= 4`)); err != nil {
		t.Fatal(err)
	}
	if err := k.Put(ctx, rule("big", `orders >= 4`)); err != nil {
		t.Fatal(err)
	}
	k.Wait()
	restarted := newKeeper(t, s)
	live := restarted.Live()
	if live.Manages("recent") || !live.Manages("big") {
		t.Fatalf("before a pass: manages recent %v, big %v; want only big", live.Manages("recent"), live.Manages("big"))
	}
	p, err := s.FindProfileByID(ctx, "p004")
	if err != nil {
		t.Fatal(err)
	}
	if got := live.Memberships(p, nil, []string{"recent"}, now); len(got) != 1 || got[0] != "big" {
		t.Fatalf("memberships before a pass = %v, want [big] (recent left as stored)", got)
	}
	restarted.Start("start")
	restarted.Wait()
	if !live.Manages("recent") {
		t.Fatal("recent not managed after a pass")
	}
}

// TestSegmentsReadOtherKinds checks that a rule reading `segments` sees a
// discovered bucket the profile is in, live and in a preview.
func TestSegmentsReadOtherKinds(t *testing.T) {
	ctx := context.Background()
	s := shop(t)
	if err := s.PutSegment(ctx, &rapport.Segment{ID: "cluster-1", Name: "Influencers", Kind: rapport.SegmentCluster,
		CreatedAt: now, UpdatedAt: now}); err != nil {
		t.Fatal(err)
	}
	if err := s.ApplyMemberships(ctx, []rapport.MembershipChange{{SegmentID: "cluster-1", ProfileID: "p001", Entered: true, At: now}}); err != nil {
		t.Fatal(err)
	}
	k := newKeeper(t, s)
	if err := k.Put(ctx, rule("bucket-buyers", `"cluster-1" in segments && orders >= 1`)); err != nil {
		t.Fatal(err)
	}
	k.Wait()
	members, total, err := s.FindMembers(ctx, "bucket-buyers", 0, 10)
	if err != nil || total != 1 || members[0].ProfileID != "p001" {
		t.Fatalf("members %v (%d), %v; want p001", members, total, err)
	}
	if matched, _, err := k.Preview(ctx, `"cluster-1" in segments`, 1000); err != nil || matched != 1 {
		t.Fatalf("preview = %d, %v; want 1", matched, err)
	}
	if matched, _, err := k.Preview(ctx, `"bucket-buyers" in segments`, 1000); err != nil || matched != 1 {
		t.Fatalf("preview reading a rule segment = %d, %v; want 1", matched, err)
	}
}
