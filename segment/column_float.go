package segment

import (
	"slices"
	"time"
)

// floatColumn holds a number per profile: a numeric field, an entry of a
// numeric map, an rfm score, a time (as Unix seconds) or a count(...).
// For a map entry, has holds whether the map has the key (a missing entry
// reads 0, but `"key" in map` tells them apart).
type floatColumn struct {
	vals    []float64
	get     func(*Env) float64
	set     func(*rowEnv, float64)
	present func(*Env) bool
	has     Bitset
}

func (c *floatColumn) add(env *Env) {
	i := len(c.vals)
	c.vals = append(c.vals, c.get(env))
	if c.present != nil {
		if i%64 == 0 {
			c.has = append(c.has, 0)
		}
		if c.present(env) {
			c.has.Set(i)
		}
	}
}

func (c *floatColumn) load(i int, r *rowEnv) {
	if c.present == nil || c.has.Has(i) {
		c.set(r, c.vals[i])
	}
}

func (c *floatColumn) grow(n int) {
	c.vals = slices.Grow(c.vals, n)
	if c.present != nil {
		c.has = slices.Grow(c.has, words(n))
	}
}

func newFloatColumn(k colKey) *floatColumn {
	switch kind := fieldKinds[k.field]; kind {
	case kindFloat:
		p := floatField(k.field)
		return &floatColumn{get: func(e *Env) float64 { return *p(e) }, set: func(r *rowEnv, v float64) { *p(&r.env) = v }}
	case kindInt, kindRFM:
		p := intField(k)
		return &floatColumn{get: func(e *Env) float64 { return float64(*p(e)) }, set: func(r *rowEnv, v float64) { *p(&r.env) = int(v) }}
	case kindTime:
		p := timeField(k.field)
		return &floatColumn{
			get: func(e *Env) float64 { return float64(p(e).Unix()) },
			set: func(r *rowEnv, v float64) { *p(&r.env) = time.Unix(int64(v), 0).UTC() },
		}
	case kindIntMap:
		m := intMap(k.field)
		return &floatColumn{
			get:     func(e *Env) float64 { return float64(m(e)[k.key]) },
			set:     func(r *rowEnv, v float64) { m(&r.env)[k.key] = int64(v) },
			present: func(e *Env) bool { _, ok := m(e)[k.key]; return ok },
		}
	case kindFloatMap:
		m := floatMap(k.field)
		return &floatColumn{
			get:     func(e *Env) float64 { return m(e)[k.key] },
			set:     func(r *rowEnv, v float64) { m(&r.env)[k.key] = v },
			present: func(e *Env) bool { _, ok := m(e)[k.key]; return ok },
		}
	}
	// count(name, days): the per-row Env's count reads the column.
	name, days := splitCount(k.key)
	return &floatColumn{
		get: func(e *Env) float64 {
			if e.Count == nil {
				return 0
			}
			return float64(e.Count(name, days))
		},
		set: func(*rowEnv, float64) {},
	}
}
