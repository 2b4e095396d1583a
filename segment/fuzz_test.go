package segment

import (
	"math/rand/v2"
	"testing"
)

// FuzzCompile compiles arbitrary expression text: it never panics, and
// when it compiles, the plan agrees with the program on every profile of
// a small random population, one Env at a time and over columns.
func FuzzCompile(f *testing.F) {
	for _, src := range testExpressions {
		f.Add(src)
	}
	for _, src := range []string{"", "orders >", "foo > 1", "grade == 1", "orders + 1", `bought("x", "13-01", "01-01")`} {
		f.Add(src)
	}
	r := rand.New(rand.NewPCG(5, 6))
	envs := make([]Env, 200)
	for i := range envs {
		envs[i] = randomEnv(r)
	}
	defer func(n int) { chunkRows = n }(chunkRows)
	chunkRows = 64
	f.Fuzz(func(t *testing.T, src string) {
		seg, err := Compile(Definition{ID: "f", Expression: src})
		if err != nil {
			if _, ok := err.(*CompileError); !ok {
				t.Fatalf("compile %q: error of type %T: %v", src, err, err)
			}
			return
		}
		set, err := NewSet(seg)
		if err != nil {
			t.Fatal(err)
		}
		cols := NewColumns(SchemaFor(seg), now)
		for i := range envs {
			env := &envs[i]
			cols.Append(env)
			want, err := seg.Match(env)
			if p := seg.plan.full; p != nil {
				if got, fails := p.row(env); fails != (err != nil) || (err == nil && got != want) {
					t.Fatalf("%q on env %d: plan gives %v (fails %v), program %v (%v)", src, i, got, fails, want, err)
				}
			}
			if got := set.Evaluate(env).Has(0); got != want {
				t.Fatalf("%q on env %d: set gives %v, program %v (%v)", src, i, got, want, err)
			}
		}
		got, err := Count(seg, cols)
		if err != nil {
			t.Fatal(err)
		}
		want, err := scan(seg, cols, nil, true)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Fatalf("%q: Count %d, per row %d", src, got, want)
		}
	})
}
