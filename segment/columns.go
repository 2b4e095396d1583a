package segment

import (
	"fmt"
	"slices"
	"time"
)

// Columns holds many profiles column-wise, as of one time, for bulk
// counts and full recomputes: a float64 column per number (orders,
// engagement, events["Order Completed"], count("Order Completed", 90)),
// a dictionary-encoded column per string (grade, stage, rfm.group), a
// column of codes per trait (strings and booleans in a dictionary,
// numbers beside), a bitset per membership and bought window. Only the
// columns of its Schema are kept, so that ten million profiles take a few
// hundred megabytes. Times are kept to the second, and numbers in traits
// as float64 (what JSON decoding gives).
//
// Count and Members only read Columns and may run concurrently with each
// other, but not with Append, Grow or SetMembers.
type Columns struct {
	now   time.Time
	n     int
	keys  []colKey
	cols  map[colKey]column
	order []column
}

// column is one column of Columns.
type column interface {
	// add appends env's value.
	add(env *Env)
	// load writes row i's value into the per-row Env r.
	load(i int, r *rowEnv)
	grow(n int)
}

// NewColumns returns empty columns of the schema's fields, for profiles
// evaluated as of now.
func NewColumns(s Schema, now time.Time) *Columns {
	c := &Columns{now: now, keys: slices.Clone(s.keys), cols: make(map[colKey]column, len(s.keys))}
	for _, k := range s.keys {
		col := newColumn(k)
		c.cols[k] = col
		c.order = append(c.order, col)
	}
	return c
}

// Len returns the number of profiles.
func (c *Columns) Len() int { return c.n }

// Now returns the time the columns are evaluated at.
func (c *Columns) Now() time.Time { return c.now }

// Grow makes room for n more profiles.
func (c *Columns) Grow(n int) {
	for _, col := range c.order {
		col.grow(n)
	}
}

// Append adds one profile, read from its Env (built with NewEnv as of the
// columns' time).
func (c *Columns) Append(env *Env) {
	for _, col := range c.order {
		col.add(env)
	}
	c.n++
}

// missing returns the keys a segment reads that the columns lack.
func (c *Columns) missing(seg *Segment) error {
	var lack []string
	for _, k := range seg.refs.keys {
		if _, ok := c.cols[k]; !ok && fieldKinds[k.field] != kindNow {
			lack = append(lack, k.String())
		}
	}
	if len(lack) > 0 {
		return fmt.Errorf("segment %q reads %v, which the columns lack: build them with a schema that includes it", seg.ID(), lack)
	}
	return nil
}

func newColumn(k colKey) column {
	switch kind := fieldKinds[k.field]; {
	case k.field == "rfm" && k.key == "group":
		return &stringColumn{key: k, get: func(e *Env) string { return e.RFM.Group }, set: func(e *Env, s string) { e.RFM.Group = s }}
	case kind == kindString:
		return newStringField(k)
	case kind == kindAnyMap:
		return &anyColumn{key: k.key}
	case k.field == "segments":
		return newSegmentColumn(k.key)
	case k.field == "bought":
		return newBoughtColumn(k)
	}
	return newFloatColumn(k)
}

// SetMembers replaces the memberships of segment id that cols holds (for
// `"id" in segments`), as after a recompute of id with Members.
func (c *Columns) SetMembers(id string, members Bitset) error {
	col, err := columnOf[*bitColumn](c, colKey{"segments", id})
	if err != nil {
		return err
	}
	if len(members) < words(c.n) {
		return fmt.Errorf("members of %q: room for %d rows, want %d", id, len(members)*64, c.n)
	}
	col.bits = append(col.bits[:0], members[:words(c.n)]...)
	return nil
}
