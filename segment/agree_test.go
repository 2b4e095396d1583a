package segment

import (
	"math/rand/v2"
	"testing"
)

// TestPlanAgreesWithProgram checks, for every test expression and many
// random profiles, that the plan gives what the compiled program gives:
// the same value, and a failure exactly where the program fails.
func TestPlanAgreesWithProgram(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	envs := make([]Env, 3000)
	for i := range envs {
		envs[i] = randomEnv(r)
	}
	for _, src := range testExpressions {
		seg := mustCompile(t, "t", src)
		set, err := NewSet(seg)
		if err != nil {
			t.Fatal(err)
		}
		for i := range envs {
			env := &envs[i]
			want, err := seg.Match(env)
			if p := seg.plan.full; p != nil {
				got, fails := p.row(env)
				if fails != (err != nil) || (err == nil && got != want) {
					t.Fatalf("%s on env %d: plan gives %v (fails %v), program %v (%v)", src, i, got, fails, want, err)
				}
			}
			if got := set.Evaluate(env).Has(0); got != want {
				t.Fatalf("%s on env %d: set gives %v, program %v (%v)", src, i, got, want, err)
			}
		}
	}
}

// TestColumnsAgreeWithRows checks Count and Members against the program
// run on every row.
func TestColumnsAgreeWithRows(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var segs []*Segment
	for i, src := range testExpressions {
		segs = append(segs, mustCompile(t, "t"+string(rune('a'+i%26))+string(rune('a'+i/26)), src))
	}
	defer func(n int) { chunkRows = n }(chunkRows)
	chunkRows = 1024
	cols := NewColumns(SchemaFor(segs...), now)
	// Many chunks and a bit, so that chunk edges and a partial last word
	// are crossed.
	envs := make([]Env, 20*chunkRows+77)
	for i := range envs {
		envs[i] = randomEnv(r)
		cols.Append(&envs[i])
	}
	for _, seg := range segs {
		if len(seg.refs.whole) == 0 {
			checkFaithful(t, seg, cols, envs)
		}
		got, err := Count(seg, cols)
		if err != nil {
			t.Fatal(err)
		}
		wantMembers := NewBitset(cols.Len())
		want, err := scan(seg, cols, wantMembers, true)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%s: Count %d, per row %d", seg.def.Expression, got, want)
		}
		members, err := Members(seg, cols, nil)
		if err != nil {
			t.Fatal(err)
		}
		if members.Len() != got {
			t.Errorf("%s: Members holds %d, Count says %d", seg.def.Expression, members.Len(), got)
		}
		for i := range wantMembers {
			if members[i] != wantMembers[i] {
				t.Errorf("%s: Members word %d is %x, per row %x", seg.def.Expression, i, members[i], wantMembers[i])
				break
			}
		}
	}
}

// checkFaithful checks that the columns hold what seg reads: it counts the
// same members on them as on the profiles they were built from.
func checkFaithful(t *testing.T, seg *Segment, cols *Columns, envs []Env) {
	t.Helper()
	want := 0
	for i := range envs {
		if ok, _ := seg.Match(&envs[i]); ok {
			want++
		}
	}
	got, err := Count(seg, cols)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("%s: %d members on the columns, %d on the profiles", seg.def.Expression, got, want)
	}
}
