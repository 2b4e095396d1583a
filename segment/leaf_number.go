package segment

import "github.com/expr-lang/expr/ast"

// maxExact is the largest integer every smaller integer of which a float64
// holds exactly: integer constants beyond it are left to the program.
const maxExact = 1 << 53

// numberSource reads a number: a numeric field, an rfm score, an entry of
// a numeric map, or count(name, days) with constant arguments.
type numberSource struct {
	key colKey
	// get returns the value, or e when the program would fail (a nil
	// count function).
	get func(*Env) (v float64, e bool)
}

func numberField(k colKey) *numberSource {
	s := &numberSource{key: k}
	switch kind := fieldKinds[k.field]; kind {
	case kindFloat:
		p := floatField(k.field)
		s.get = func(e *Env) (float64, bool) { return *p(e), false }
	case kindInt, kindRFM:
		p := intField(k)
		s.get = func(e *Env) (float64, bool) { return float64(*p(e)), false }
	case kindIntMap:
		m := intMap(k.field)
		s.get = func(e *Env) (float64, bool) { return float64(m(e)[k.key]), false }
	case kindFloatMap:
		m := floatMap(k.field)
		s.get = func(e *Env) (float64, bool) { return m(e)[k.key], false }
	}
	return s
}

// countSource reads count(name, days) with constant arguments.
func countSource(n *ast.CallNode) source {
	id, ok := n.Callee.(*ast.IdentifierNode)
	if !ok || id.Value != "count" {
		return nil
	}
	args, ok := constArgs(n.Arguments)
	if !ok || len(args) != 2 {
		return nil
	}
	d, ok := n.Arguments[1].(*ast.IntegerNode)
	if !ok {
		return nil
	}
	name, days := args[0], d.Value
	return &numberSource{
		key: colKey{"count", joinArgs(args)},
		get: func(e *Env) (float64, bool) {
			if e.Count == nil {
				return 0, true
			}
			return float64(e.Count(name, days)), false
		},
	}
}

func (s *numberSource) leaf(op string, c any, left bool) pnode {
	var test numTest
	switch op {
	case "==", "!=", "<", "<=", ">", ">=":
		f, ok := exactNumber(c)
		if !ok {
			return nil
		}
		if !left {
			op = flip(op)
		}
		test = numTest{op: numOps[op], c: f}
	case "in":
		set, ok := numberSet(c)
		if !ok || !left {
			return nil
		}
		test = numTest{op: opIn, set: set}
	default:
		return nil
	}
	return &numberLeaf{src: s, test: test}
}

// numberLeaf compares a number source with a constant.
type numberLeaf struct {
	src  *numberSource
	test numTest
}

func (l *numberLeaf) row(env *Env) (bool, bool) {
	v, e := l.src.get(env)
	if e {
		return false, true
	}
	return l.test.eval(v), false
}

// numTest is a comparison with a number, or membership of a set of
// numbers, as the program's runtime compares numbers of any Go type:
// as float64, which is exact for the integers exactNumber lets through.
type numTest struct {
	op  numOp
	c   float64
	set []float64
}

// numOp is a numeric operator.
type numOp uint8

const (
	opEq numOp = iota
	opNe
	opLt
	opLe
	opGt
	opGe
	opIn
)

var numOps = map[string]numOp{"==": opEq, "!=": opNe, "<": opLt, "<=": opLe, ">": opGt, ">=": opGe, "in": opIn}

func (t *numTest) eval(v float64) bool {
	switch t.op {
	case opEq:
		return v == t.c
	case opNe:
		return v != t.c
	case opLt:
		return v < t.c
	case opLe:
		return v <= t.c
	case opGt:
		return v > t.c
	case opGe:
		return v >= t.c
	}
	for _, x := range t.set {
		if v == x {
			return true
		}
	}
	return false
}

// exactNumber returns a numeric constant as float64 when the comparison
// of float64 values gives what the program's comparison gives.
func exactNumber(c any) (float64, bool) {
	switch c := c.(type) {
	case int:
		if c >= -maxExact && c <= maxExact {
			return float64(c), true
		}
	case float64:
		return c, true
	}
	return 0, false
}

// numberSet returns the numbers of a constant list (other elements never
// equal a number), or of the set the optimiser makes of a list of ints.
func numberSet(c any) ([]float64, bool) {
	var set []float64
	switch c := c.(type) {
	case []any:
		for _, v := range c {
			switch v.(type) {
			case int, float64:
				f, ok := exactNumber(v)
				if !ok {
					return nil, false
				}
				set = append(set, f)
			case string, bool, nil:
			default:
				return nil, false
			}
		}
	case map[int]struct{}:
		for v := range c {
			f, ok := exactNumber(v)
			if !ok {
				return nil, false
			}
			set = append(set, f)
		}
	default:
		return nil, false
	}
	return set, true
}

// flip returns the operator that gives the same answer with the operands
// swapped.
func flip(op string) string {
	switch op {
	case "<":
		return ">"
	case "<=":
		return ">="
	case ">":
		return "<"
	case ">=":
		return "<="
	}
	return op
}
