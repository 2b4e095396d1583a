package segment

import (
	"regexp"

	"github.com/expr-lang/expr/vm/runtime"
)

// traitSource reads a trait, of any type; with hasDef, `traits.x ?? def`.
type traitSource struct {
	key    string
	def    any
	hasDef bool
}

func (s *traitSource) leaf(op string, c any, left bool) pnode {
	l := &traitLeaf{src: *s, op: op, c: c, left: left}
	switch op {
	case "==", "!=", "<", "<=", ">", ">=":
		if f, ok := exactNumber(c); ok {
			o := op
			if !left {
				o = flip(op)
			}
			l.num = &numTest{op: numOps[o], c: f}
		}
	case "in":
		if set, ok := numberSet(c); ok && left {
			l.num = &numTest{op: opIn, set: set}
		}
	case "matches":
		cs, ok := c.(string)
		if !ok || !left {
			return nil
		}
		re, err := regexp.Compile(cs)
		if err != nil {
			return nil
		}
		l.re = re
	case "startsWith", "endsWith", "contains":
	default:
		return nil
	}
	return l
}

// traitLeaf tests a trait against a constant with the program's own
// runtime functions, so that values of every type compare as they do in
// the program, and fail where it fails (a string compared with <).
type traitLeaf struct {
	src  traitSource
	op   string
	c    any
	left bool
	// num, when set, tests float64 values directly: what the runtime
	// computes for a number and a numeric constant.
	num *numTest
	re  *regexp.Regexp
}

func (l *traitLeaf) row(env *Env) (bool, bool) { return l.test(env.Traits[l.src.key]) }

// test evaluates the leaf for the trait's value v (nil when not set).
func (l *traitLeaf) test(v any) (bool, bool) {
	if l.src.hasDef && runtime.IsNil(v) {
		v = l.src.def
	}
	if l.num != nil {
		if f, ok := v.(float64); ok {
			return l.num.eval(f), false
		}
	}
	return l.general(v)
}

// general runs the operator as the VM does; a panic is the program's
// run-time error.
func (l *traitLeaf) general(v any) (t, e bool) {
	defer func() {
		if recover() != nil {
			t, e = false, true
		}
	}()
	a, b := v, l.c
	if !l.left {
		a, b = b, a
	}
	switch l.op {
	case "==":
		return runtime.Equal(a, b), false
	case "!=":
		return !runtime.Equal(a, b), false
	case "<":
		return runtime.Less(a, b), false
	case "<=":
		return runtime.LessOrEqual(a, b), false
	case ">":
		return runtime.More(a, b), false
	case ">=":
		return runtime.MoreOrEqual(a, b), false
	case "in":
		return runtime.In(a, b), false
	case "matches":
		if runtime.IsNil(a) {
			return false, false
		}
		return l.re.MatchString(a.(string)), false
	}
	if runtime.IsNil(a) || runtime.IsNil(b) {
		return false, false
	}
	return stringOps[l.op](a.(string), b.(string)), false
}

// presenceLeaf is `"key" in field` for a map field: whether the map holds
// the key.
type presenceLeaf struct {
	field, key string
}

func (l *presenceLeaf) row(env *Env) (bool, bool) {
	var ok bool
	switch kind := fieldKinds[l.field]; kind {
	case kindAnyMap:
		_, ok = env.Traits[l.key]
	case kindIntMap:
		_, ok = intMap(l.field)(env)[l.key]
	case kindFloatMap:
		_, ok = floatMap(l.field)(env)[l.key]
	}
	return ok, false
}

// hasTraitLeaf is has_trait(key).
type hasTraitLeaf string

func (l hasTraitLeaf) row(env *Env) (bool, bool) {
	if env.HasTrait == nil {
		return false, true
	}
	return env.HasTrait(string(l)), false
}

// boughtLeaf is bought(category, from, to) with constant arguments.
type boughtLeaf struct {
	category, from, to string
}

func (l *boughtLeaf) row(env *Env) (bool, bool) {
	if env.Bought == nil {
		return false, true
	}
	return env.Bought(l.category, l.from, l.to), false
}

// segmentLeaf is `"id" in segments`.
type segmentLeaf string

func (l segmentLeaf) row(env *Env) (bool, bool) {
	for _, id := range env.Segments {
		if id == string(l) {
			return true, false
		}
	}
	return false, false
}
