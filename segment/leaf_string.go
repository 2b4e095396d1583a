package segment

import (
	"regexp"
	"strings"
)

// stringSource reads a string field: grade, stage or rfm.group.
type stringSource struct {
	key colKey
	get func(*Env) string
}

func stringField(name string) *stringSource {
	if name == "grade" {
		return &stringSource{key: colKey{name, ""}, get: func(e *Env) string { return e.Grade }}
	}
	return &stringSource{key: colKey{name, ""}, get: func(e *Env) string { return e.Stage }}
}

// leaf plans the tests of a string with a constant. Typed strings never
// fail at run time, so the test is a plain function of the value.
func (s *stringSource) leaf(op string, c any, left bool) pnode {
	if op == "in" {
		if !left {
			return nil
		}
		if test := stringIn(c); test != nil {
			return &stringLeaf{src: s, test: test}
		}
		return nil
	}
	cs, ok := c.(string)
	if !ok {
		return nil
	}
	if op == "matches" {
		re, err := regexp.Compile(cs)
		if err != nil || !left {
			return nil
		}
		return &stringLeaf{src: s, test: re.MatchString}
	}
	f := stringOps[op]
	if f == nil {
		return nil
	}
	if left {
		return &stringLeaf{src: s, test: func(v string) bool { return f(v, cs) }}
	}
	return &stringLeaf{src: s, test: func(v string) bool { return f(cs, v) }}
}

// stringOps are the binary string operators, as the program computes
// them for two strings.
var stringOps = map[string]func(a, b string) bool{
	"==":         func(a, b string) bool { return a == b },
	"!=":         func(a, b string) bool { return a != b },
	"<":          func(a, b string) bool { return a < b },
	"<=":         func(a, b string) bool { return a <= b },
	">":          func(a, b string) bool { return a > b },
	">=":         func(a, b string) bool { return a >= b },
	"startsWith": strings.HasPrefix,
	"endsWith":   strings.HasSuffix,
	"contains":   strings.Contains,
}

// stringIn tests membership of a string in a constant list (the elements
// equal to it are strings) or in the set the optimiser makes of a list of
// strings.
func stringIn(c any) func(string) bool {
	switch c := c.(type) {
	case map[string]struct{}:
		return func(v string) bool { _, ok := c[v]; return ok }
	case []any:
		var set []string
		for _, e := range c {
			switch e := e.(type) {
			case string:
				set = append(set, e)
			case int, float64, bool, nil:
			default:
				return nil
			}
		}
		return func(v string) bool {
			for _, s := range set {
				if s == v {
					return true
				}
			}
			return false
		}
	}
	return nil
}

// stringLeaf tests a string source.
type stringLeaf struct {
	src  *stringSource
	test func(string) bool
}

func (l *stringLeaf) row(env *Env) (bool, bool) { return l.test(l.src.get(env)), false }
