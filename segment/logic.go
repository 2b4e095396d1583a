package segment

// constNode is true or false.
type constNode bool

func (n constNode) row(*Env) (bool, bool) { return bool(n), false }

// andNode is a && b: b is evaluated only when a is true, so b's errors
// count only there.
type andNode struct{ a, b pnode }

func (n *andNode) row(env *Env) (bool, bool) {
	t, e := n.a.row(env)
	if e || !t {
		return false, e
	}
	return n.b.row(env)
}

// orNode is a || b: b is evaluated only when a is false.
type orNode struct{ a, b pnode }

func (n *orNode) row(env *Env) (bool, bool) {
	t, e := n.a.row(env)
	if e || t {
		return t, e
	}
	return n.b.row(env)
}

// notNode is !a.
type notNode struct{ a pnode }

func (n *notNode) row(env *Env) (bool, bool) {
	t, e := n.a.row(env)
	return !t && !e, e
}
