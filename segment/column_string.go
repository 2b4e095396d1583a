package segment

import "slices"

// stringColumn holds a string per profile as a code into a dictionary of
// the distinct values.
type stringColumn struct {
	key   colKey
	codes []uint32
	dict  []string
	index map[string]uint32
	get   func(*Env) string
	set   func(*Env, string)
}

func newStringField(k colKey) *stringColumn {
	c := &stringColumn{key: k}
	if k.field == "grade" {
		c.get, c.set = func(e *Env) string { return e.Grade }, func(e *Env, s string) { e.Grade = s }
	} else {
		c.get, c.set = func(e *Env) string { return e.Stage }, func(e *Env, s string) { e.Stage = s }
	}
	return c
}

func (c *stringColumn) add(env *Env) {
	s := c.get(env)
	code, ok := c.index[s]
	if !ok {
		if c.index == nil {
			c.index = make(map[string]uint32)
		}
		code = uint32(len(c.dict))
		c.dict = append(c.dict, s)
		c.index[s] = code
	}
	c.codes = append(c.codes, code)
}

func (c *stringColumn) load(i int, r *rowEnv) { c.set(&r.env, c.dict[c.codes[i]]) }
func (c *stringColumn) grow(n int)            { c.codes = slices.Grow(c.codes, n) }
