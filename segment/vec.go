package segment

import (
	"fmt"
	"math/bits"
)

// chunkRows is how many rows a worker evaluates at a time: 64 Ki rows, so
// that a chunk's bitsets (8 KiB each) stay in the L1 cache. It is a
// multiple of 64, and a variable only so that tests cross chunk edges
// with few rows.
var chunkRows = 1 << 16

// vnode evaluates a plan over rows lo..hi of Columns (lo a multiple of
// 64): t gets a bit per true row, e a bit per row where the program
// would fail. It returns false when no row can fail; e is then left as
// it was and reads as zero.
type vnode interface {
	eval(lo, hi int, t, e []uint64, sc *scratch) bool
}

// scratch hands out chunk-sized bitsets to one worker.
type scratch struct {
	free [][]uint64
}

func (s *scratch) get(n int) []uint64 {
	if k := len(s.free); k > 0 {
		b := s.free[k-1]
		s.free = s.free[:k-1]
		return b[:n]
	}
	return make([]uint64, n, chunkRows/64)
}

func (s *scratch) put(b ...[]uint64) { s.free = append(s.free, b...) }

// tailMask keeps the bits of the rows in a chunk of n rows in its last
// word.
func tailMask(n int) uint64 {
	if r := n % 64; r != 0 {
		return 1<<uint(r) - 1
	}
	return ^uint64(0)
}

// Logic over (t, e) bitsets follows the program's short-circuit
// evaluation: a && b fails where a fails, or a is true and b fails.

func (n constNode) bind(*Columns) (vnode, error) { return n, nil }

func (n constNode) eval(lo, hi int, t, _ []uint64, _ *scratch) bool {
	v := uint64(0)
	if n {
		v = ^uint64(0)
	}
	for i := range t {
		t[i] = v
	}
	t[len(t)-1] &= tailMask(hi - lo)
	return false
}

type andVec struct{ a, b vnode }

func (n *andNode) bind(c *Columns) (vnode, error) {
	a, b, err := bind2(c, n.a, n.b)
	return &andVec{a, b}, err
}

func (n *andVec) eval(lo, hi int, t, e []uint64, sc *scratch) bool {
	ea := n.a.eval(lo, hi, t, e, sc)
	tb, eb := sc.get(len(t)), sc.get(len(t))
	defer sc.put(tb, eb)
	hasB := n.b.eval(lo, hi, tb, eb, sc)
	for i := range t {
		ta := t[i]
		var errs uint64
		if ea {
			errs = e[i]
		}
		if hasB {
			errs |= ta & eb[i]
		}
		t[i] = ta & tb[i]
		e[i] = errs
	}
	return ea || hasB
}

type orVec struct{ a, b vnode }

func (n *orNode) bind(c *Columns) (vnode, error) {
	a, b, err := bind2(c, n.a, n.b)
	return &orVec{a, b}, err
}

func (n *orVec) eval(lo, hi int, t, e []uint64, sc *scratch) bool {
	ea := n.a.eval(lo, hi, t, e, sc)
	tb, eb := sc.get(len(t)), sc.get(len(t))
	defer sc.put(tb, eb)
	hasB := n.b.eval(lo, hi, tb, eb, sc)
	for i := range t {
		ta := t[i]
		var errA, errB uint64
		if ea {
			errA = e[i]
		}
		if hasB {
			errB = eb[i]
		}
		// b runs where a is false and did not fail.
		t[i] = ta | (tb[i] &^ errA)
		e[i] = errA | (errB &^ ta &^ errA)
	}
	return ea || hasB
}

type notVec struct{ a vnode }

func (n *notNode) bind(c *Columns) (vnode, error) {
	a, err := n.a.bind(c)
	return &notVec{a}, err
}

func (n *notVec) eval(lo, hi int, t, e []uint64, sc *scratch) bool {
	has := n.a.eval(lo, hi, t, e, sc)
	for i := range t {
		v := ^t[i]
		if has {
			v &^= e[i]
		}
		t[i] = v
	}
	t[len(t)-1] &= tailMask(hi - lo)
	return has
}

func bind2(c *Columns, a, b pnode) (vnode, vnode, error) {
	va, err := a.bind(c)
	if err != nil {
		return nil, nil, err
	}
	vb, err := b.bind(c)
	return va, vb, err
}

// column returns the column of k as type T.
func columnOf[T column](c *Columns, k colKey) (T, error) {
	col, ok := c.cols[k].(T)
	if !ok {
		var zero T
		return zero, fmt.Errorf("columns lack %s", k)
	}
	return col, nil
}

// bitVec reads a bit column.
type bitVec struct{ bits Bitset }

func (l segmentLeaf) bind(c *Columns) (vnode, error) {
	col, err := columnOf[*bitColumn](c, colKey{"segments", string(l)})
	if err != nil {
		return nil, err
	}
	return &bitVec{col.bits}, nil
}

func (l *boughtLeaf) bind(c *Columns) (vnode, error) {
	col, err := columnOf[*bitColumn](c, colKey{"bought", joinArgs([]string{l.category, l.from, l.to})})
	if err != nil {
		return nil, err
	}
	return &bitVec{col.bits}, nil
}

func (v *bitVec) eval(lo, hi int, t, _ []uint64, _ *scratch) bool {
	copy(t, v.bits[lo/64:])
	t[len(t)-1] &= tailMask(hi - lo)
	return false
}

func trailingZeros(w uint64) int { return bits.TrailingZeros64(w) }

// popcount counts the set bits.
func popcount(b []uint64) int {
	n := 0
	for _, w := range b {
		n += bits.OnesCount64(w)
	}
	return n
}
