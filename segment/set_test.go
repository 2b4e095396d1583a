package segment

import (
	"slices"
	"strings"
	"testing"

	"github.com/rapportdev/rapport"
)

func TestSetEvaluateAndDiff(t *testing.T) {
	segs := []*Segment{
		mustCompile(t, "buyers", `orders >= 1`),
		mustCompile(t, "vip", `revenue >= 1000`),
		mustCompile(t, "engaged", `engagement >= 70`),
		mustCompile(t, "engaged-buyer", `"engaged" in segments && "buyers" in segments`),
		mustCompile(t, "subscriber", `"newsletter" in segments`), // newsletter is kept by the caller
	}
	set, err := NewSet(segs...)
	if err != nil {
		t.Fatal(err)
	}
	p := &rapport.Profile{ID: "p", Aggregates: rapport.Aggregates{Orders: 0}}
	score := &rapport.ScoreRecord{Engagement: 80}
	env := NewEnv(p, score, nil, RFM{}, now)
	env.Segments = []string{"newsletter", "buyers"} // stale: buyers is recomputed
	before := set.Evaluate(&env)
	if got, want := set.IDs(before), []string{"engaged", "subscriber"}; !slices.Equal(got, want) {
		t.Fatalf("before: %v, want %v", got, want)
	}
	if !slices.Equal(env.Segments, []string{"newsletter", "buyers"}) {
		t.Errorf("env.Segments is %v after Evaluate, want it restored", env.Segments)
	}

	p.Aggregates.Orders, p.Aggregates.Revenue = 1, 50
	score.Engagement = 65
	env = NewEnv(p, score, nil, RFM{}, now)
	after := set.Evaluate(&env) // no longer on the newsletter either
	entered, left := set.Diff(before, after)
	if !slices.Equal(entered, []string{"buyers"}) || !slices.Equal(left, []string{"engaged", "subscriber"}) {
		t.Errorf("entered %v, left %v; want [buyers], [engaged subscriber]", entered, left)
	}
	score.Engagement = 90
	env = NewEnv(p, score, nil, RFM{}, now)
	third := set.Evaluate(&env)
	if entered, left := set.Diff(after, third); !slices.Equal(entered, []string{"engaged", "engaged-buyer"}) || left != nil {
		t.Errorf("entered %v, left %v; want [engaged engaged-buyer], none", entered, left)
	}
	if entered, left := set.Diff(nil, third); len(entered) != 3 || left != nil {
		t.Errorf("from nothing: entered %v, left %v", entered, left)
	}
}

func TestSetOrdersDependencies(t *testing.T) {
	// "top" reads "vip", which comes after it in the set.
	set, err := NewSet(
		mustCompile(t, "top", `"vip" in segments && engagement > 50`),
		mustCompile(t, "vip", `revenue > 100`),
	)
	if err != nil {
		t.Fatal(err)
	}
	env := NewEnv(&rapport.Profile{Aggregates: rapport.Aggregates{Revenue: 500}}, &rapport.ScoreRecord{Engagement: 60}, nil, RFM{}, now)
	if got := set.IDs(set.Evaluate(&env)); !slices.Equal(got, []string{"top", "vip"}) {
		t.Errorf("members %v, want [top vip]", got)
	}
}

func TestNewSetErrors(t *testing.T) {
	tests := []struct {
		name string
		segs []Definition
		want string
	}{
		{"duplicate", []Definition{{ID: "a", Expression: "true"}, {ID: "a", Expression: "false"}}, `id "a" twice`},
		{"cycle", []Definition{
			{ID: "a", Expression: `"b" in segments`},
			{ID: "b", Expression: `"c" in segments`},
			{ID: "c", Expression: `"a" in segments || orders > 1`},
		}, "read each other: [a b c a]"},
		{"self", []Definition{{ID: "a", Expression: `"a" in segments`}}, "read each other: [a a]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var segs []*Segment
			for _, d := range tt.segs {
				segs = append(segs, mustCompile(t, d.ID, d.Expression))
			}
			_, err := NewSet(segs...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want it to contain %q", err, tt.want)
			}
			if code := rapport.ErrorCode(err); code != rapport.EINVALID {
				t.Errorf("code %q, want %q", code, rapport.EINVALID)
			}
		})
	}
}

func TestSetFailures(t *testing.T) {
	set, err := NewSet(mustCompile(t, "big", `traits.followers > 1000`), mustCompile(t, "any", `orders >= 0`))
	if err != nil {
		t.Fatal(err)
	}
	env := NewEnv(&rapport.Profile{Traits: map[string]any{"followers": "many"}}, nil, nil, RFM{}, now)
	m := set.Evaluate(&env)
	if m.Has(0) || !m.Has(1) {
		t.Errorf("members %v, want [any]", set.IDs(m))
	}
	f := set.Failures()
	if len(f) != 1 || f[0].Segment != "big" || f[0].Count != 1 || !strings.Contains(f[0].Last, "invalid operation") {
		t.Errorf("failures %+v, want one of big", f)
	}
}
