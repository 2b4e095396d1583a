package segment

import (
	"github.com/expr-lang/expr/ast"
)

// plan is the part of a segment's expression that this package evaluates
// itself, without the expression VM: comparisons of one field, map entry,
// trait or count(...) with constants, `in` with constant lists, string
// tests with constant strings, membership and bought(...), has_trait(...),
// combined with &&, || and !. It is built from the compiled (type-checked
// and optimised) tree, so it computes what the program computes: the same
// result, and an error exactly where the program fails.
//
// The same plan evaluates one Env per event (row) and whole Columns
// (bind, then vector evaluation over bitsets).
type plan struct {
	// full is the whole expression, or nil when some part is not planned.
	full pnode
	// pre holds the planned conjuncts of a top-level && when full is nil:
	// a profile can only be a member if each of them is true, so the
	// program runs only for profiles that pass them.
	pre []pnode
}

// pnode is a planned boolean expression. row evaluates it for one Env:
// its value, or e when the program would fail with a run-time error.
// bind prepares it for vector evaluation over c.
type pnode interface {
	row(env *Env) (t, e bool)
	bind(c *Columns) (vnode, error)
}

func newPlan(root ast.Node) plan {
	if n := planNode(root); n != nil {
		return plan{full: n}
	}
	var p plan
	for _, c := range conjuncts(root) {
		if n := planNode(c); n != nil {
			p.pre = append(p.pre, n)
		}
	}
	return p
}

// conjuncts splits a chain of && into its operands.
func conjuncts(n ast.Node) []ast.Node {
	if b, ok := n.(*ast.BinaryNode); ok && (b.Operator == "&&" || b.Operator == "and") {
		return append(conjuncts(b.Left), conjuncts(b.Right)...)
	}
	return []ast.Node{n}
}

// planNode returns the plan of n, or nil.
func planNode(n ast.Node) pnode {
	switch n := n.(type) {
	case *ast.BoolNode:
		return constNode(n.Value)
	case *ast.UnaryNode:
		if n.Operator == "!" || n.Operator == "not" {
			if a := planNode(n.Node); a != nil {
				return &notNode{a}
			}
		}
	case *ast.BinaryNode:
		switch n.Operator {
		case "&&", "and", "||", "or":
			a, b := planNode(n.Left), planNode(n.Right)
			if a == nil || b == nil {
				return nil
			}
			if n.Operator == "&&" || n.Operator == "and" {
				return &andNode{a, b}
			}
			return &orNode{a, b}
		}
		return planLeaf(n)
	case *ast.CallNode:
		return planCall(n)
	}
	return nil
}

// planLeaf plans a comparison or test between a source and a constant.
func planLeaf(n *ast.BinaryNode) pnode {
	if field, key, ok := inKey(n); ok {
		if field == "segments" {
			return segmentLeaf(key)
		}
		return &presenceLeaf{field: field, key: key}
	}
	if src := planSource(n.Left); src != nil {
		if c, ok := constValue(n.Right); ok {
			return src.leaf(n.Operator, c, true)
		}
	}
	if src := planSource(n.Right); src != nil {
		if c, ok := constValue(n.Left); ok {
			return src.leaf(n.Operator, c, false)
		}
	}
	return nil
}

// planCall plans bought(...) and has_trait(...) with constant arguments.
func planCall(n *ast.CallNode) pnode {
	id, ok := n.Callee.(*ast.IdentifierNode)
	if !ok {
		return nil
	}
	args, ok := constArgs(n.Arguments)
	if !ok {
		return nil
	}
	switch {
	case id.Value == "bought" && len(args) == 3:
		return &boughtLeaf{category: args[0], from: args[1], to: args[2]}
	case id.Value == "has_trait" && len(args) == 1:
		return hasTraitLeaf(args[0])
	}
	return nil
}

// constValue returns the value of a literal: what the program pushes for
// it.
func constValue(n ast.Node) (any, bool) {
	switch n := n.(type) {
	case *ast.IntegerNode:
		return n.Value, true
	case *ast.FloatNode:
		return n.Value, true
	case *ast.StringNode:
		return n.Value, true
	case *ast.BoolNode:
		return n.Value, true
	case *ast.NilNode:
		return nil, true
	case *ast.ConstantNode:
		return n.Value, true
	case *ast.ArrayNode:
		list := make([]any, len(n.Nodes))
		for i, e := range n.Nodes {
			v, ok := constValue(e)
			if !ok {
				return nil, false
			}
			list[i] = v
		}
		return list, true
	}
	return nil, false
}

// source is where a leaf reads its value from.
type source interface {
	// leaf returns the plan of `source op c` (left) or `c op source`, or
	// nil.
	leaf(op string, c any, left bool) pnode
}

// planSource returns the source n reads, or nil.
func planSource(n ast.Node) source {
	switch n := n.(type) {
	case *ast.IdentifierNode:
		switch fieldKinds[n.Value] {
		case kindFloat, kindInt:
			return numberField(colKey{n.Value, ""})
		case kindString:
			return stringField(n.Value)
		}
	case *ast.MemberNode:
		field, key, ok := memberKey(n)
		switch {
		case !ok:
		case field == "traits":
			return &traitSource{key: key}
		case field == "rfm" && key == "group":
			return &stringSource{key: colKey{"rfm", "group"}, get: func(e *Env) string { return e.RFM.Group }}
		default:
			return numberField(colKey{field, key})
		}
	case *ast.CallNode:
		return countSource(n)
	case *ast.BinaryNode:
		return coalesceSource(n)
	}
	return nil
}

// coalesceSource reads `source ?? constant`.
func coalesceSource(n *ast.BinaryNode) source {
	if n.Operator != "??" {
		return nil
	}
	def, ok := constValue(n.Right)
	if !ok {
		return nil
	}
	switch src := planSource(n.Left).(type) {
	case *traitSource:
		if !src.hasDef {
			return &traitSource{key: src.key, def: def, hasDef: true}
		}
	case *numberSource, *stringSource:
		return src // never nil
	}
	return nil
}
