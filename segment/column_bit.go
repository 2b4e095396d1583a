package segment

import "slices"

// bitColumn holds a yes or no per profile: a membership (`"vip" in
// segments`) or a bought(...) window.
type bitColumn struct {
	bits Bitset
	n    int
	get  func(*Env) bool
	set  func(*rowEnv)
}

func (c *bitColumn) add(env *Env) {
	if c.n%64 == 0 {
		c.bits = append(c.bits, 0)
	}
	if c.get(env) {
		c.bits.Set(c.n)
	}
	c.n++
}

func (c *bitColumn) load(i int, r *rowEnv) {
	if c.bits.Has(i) {
		c.set(r)
	}
}

func (c *bitColumn) grow(n int) { c.bits = slices.Grow(c.bits, words(n)) }

func newSegmentColumn(id string) *bitColumn {
	return &bitColumn{
		get: func(e *Env) bool { return slices.Contains(e.Segments, id) },
		set: func(r *rowEnv) { r.env.Segments = append(r.env.Segments, id) },
	}
}

// newBoughtColumn holds bought(category, from, to); the per-row Env's
// bought reads the column.
func newBoughtColumn(k colKey) *bitColumn {
	cat, from, to := splitBought(k.key)
	return &bitColumn{
		get: func(e *Env) bool { return e.Bought != nil && e.Bought(cat, from, to) },
		set: func(*rowEnv) {},
	}
}
