package segment

import (
	"slices"
	"strconv"
	"strings"

	"github.com/expr-lang/expr/ast"
)

// colKey names what a segment reads and a column holds: a field of Env
// (key ""), an entry of one of its maps, a field of rfm, or one call of a
// function with constant arguments (its arguments joined by NUL).
type colKey struct {
	field string
	key   string
}

func (k colKey) String() string {
	switch {
	case k.key == "":
		return k.field
	case k.field == "count" || k.field == "bought" || k.field == "has_trait":
		return k.field + "(" + k.key + ")"
	}
	return k.field + "[" + strconv.Quote(k.key) + "]"
}

// refs is what a segment reads from its Env.
type refs struct {
	keys []colKey
	// whole lists the fields read as a whole or with computed keys
	// (len(traits), traits[stage], count(name, days) with a computed
	// name): columns hold only the entries that segments name.
	whole []string
	// segments lists the segment ids read with `"id" in segments`.
	segments []string
}

func collectRefs(n ast.Node) refs {
	var r refs
	r.walk(n)
	return r
}

func (r *refs) add(field, key string) {
	k := colKey{field, key}
	if !slices.Contains(r.keys, k) {
		r.keys = append(r.keys, k)
	}
}

func (r *refs) addWhole(field string) {
	if !slices.Contains(r.whole, field) {
		r.whole = append(r.whole, field)
	}
}

func (r *refs) walk(n ast.Node) {
	switch n := n.(type) {
	case nil:
	case *ast.IdentifierNode:
		r.ident(n.Value)
	case *ast.MemberNode:
		if field, key, ok := memberKey(n); ok {
			r.add(field, key)
			return
		}
		r.walkAll(n.Node, n.Property)
	case *ast.BinaryNode:
		if field, key, ok := inKey(n); ok {
			r.add(field, key)
			if field == "segments" && !slices.Contains(r.segments, key) {
				r.segments = append(r.segments, key)
			}
			return
		}
		r.walkAll(n.Left, n.Right)
	case *ast.CallNode:
		if r.call(n) {
			return
		}
		r.walk(n.Callee)
		r.walkAll(n.Arguments...)
	default:
		r.walkAll(children(n)...)
	}
}

func (r *refs) walkAll(nodes ...ast.Node) {
	for _, n := range nodes {
		r.walk(n)
	}
}

// ident records a field read as a whole.
func (r *refs) ident(name string) {
	kind, ok := fieldKinds[name]
	switch {
	case !ok: // a variable of the expression (let, a predicate's #)
	case kind == kindRFM:
		for _, k := range []string{"r", "f", "m", "group"} {
			r.add("rfm", k)
		}
	case kind.isMap() || kind == kindSegments || kind == kindFunc:
		r.addWhole(name)
	default:
		r.add(name, "")
	}
}

// call records count, bought and has_trait with constant arguments, and
// reports whether n was one of them.
func (r *refs) call(n *ast.CallNode) bool {
	id, ok := n.Callee.(*ast.IdentifierNode)
	if !ok || fieldKinds[id.Value] != kindFunc {
		return false
	}
	args, ok := constArgs(n.Arguments)
	if !ok {
		r.addWhole(id.Value)
		r.walkAll(n.Arguments...)
		return true
	}
	if id.Value == "has_trait" {
		r.add("traits", args[0])
	} else {
		r.add(id.Value, joinArgs(args))
	}
	return true
}

// constArgs returns the arguments of a call as text when all are string
// or integer literals.
func constArgs(nodes []ast.Node) ([]string, bool) {
	args := make([]string, len(nodes))
	for i, a := range nodes {
		switch a := a.(type) {
		case *ast.StringNode:
			args[i] = a.Value
		case *ast.IntegerNode:
			args[i] = strconv.Itoa(a.Value)
		default:
			return nil, false
		}
	}
	return args, true
}

func joinArgs(args []string) string { return strings.Join(args, "\x00") }

// splitCount reads the key of a count column.
func splitCount(key string) (name string, days int) {
	name, d, _ := strings.Cut(key, "\x00")
	days, _ = strconv.Atoi(d)
	return name, days
}

// splitBought reads the key of a bought column.
func splitBought(key string) (category, from, to string) {
	parts := strings.SplitN(key, "\x00", 3)
	for len(parts) < 3 {
		parts = append(parts, "")
	}
	return parts[0], parts[1], parts[2]
}

// memberKey reads `traits.x`, `events["x"]` and `rfm.group`.
func memberKey(n *ast.MemberNode) (field, key string, ok bool) {
	id, ok1 := n.Node.(*ast.IdentifierNode)
	prop, ok2 := n.Property.(*ast.StringNode)
	if !ok1 || !ok2 || n.Optional {
		return "", "", false
	}
	kind := fieldKinds[id.Value]
	if !kind.isMap() && kind != kindRFM {
		return "", "", false
	}
	if kind == kindRFM && !slices.Contains([]string{"r", "f", "m", "group"}, prop.Value) {
		return "", "", false
	}
	return id.Value, prop.Value, true
}

// inKey reads `"vip" in segments` and `"x" in traits`.
func inKey(n *ast.BinaryNode) (field, key string, ok bool) {
	s, ok1 := n.Left.(*ast.StringNode)
	id, ok2 := n.Right.(*ast.IdentifierNode)
	if n.Operator != "in" || !ok1 || !ok2 {
		return "", "", false
	}
	kind := fieldKinds[id.Value]
	if !kind.isMap() && kind != kindSegments {
		return "", "", false
	}
	return id.Value, s.Value, true
}

// children returns the nodes under n.
func children(n ast.Node) []ast.Node {
	switch n := n.(type) {
	case *ast.UnaryNode:
		return []ast.Node{n.Node}
	case *ast.BinaryNode:
		return []ast.Node{n.Left, n.Right}
	case *ast.ChainNode:
		return []ast.Node{n.Node}
	case *ast.MemberNode:
		return []ast.Node{n.Node, n.Property}
	case *ast.SliceNode:
		return []ast.Node{n.Node, n.From, n.To}
	case *ast.CallNode:
		return append([]ast.Node{n.Callee}, n.Arguments...)
	case *ast.BuiltinNode:
		return append(slices.Clone(n.Arguments), n.Map)
	case *ast.PredicateNode:
		return []ast.Node{n.Node}
	case *ast.VariableDeclaratorNode:
		return []ast.Node{n.Value, n.Expr}
	case *ast.SequenceNode:
		return n.Nodes
	case *ast.ConditionalNode:
		return []ast.Node{n.Cond, n.Exp1, n.Exp2}
	case *ast.ArrayNode:
		return n.Nodes
	case *ast.MapNode:
		return n.Pairs
	case *ast.PairNode:
		return []ast.Node{n.Key, n.Value}
	}
	return nil
}
