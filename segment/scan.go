package segment

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/expr-lang/expr/vm"
)

// Count returns how many profiles of cols are in seg. The common shapes
// of expression (comparisons of a field, map entry, trait or count(...)
// with constants, `in` constant lists, string tests, memberships, bought
// and has_trait, combined with &&, || and !) are evaluated column-wise
// over bitsets; for anything else the compiled program runs per row on an
// Env rebuilt from the columns, only for the rows that pass the
// column-wise conjuncts of a top-level &&. Both give what the program
// gives on the columns' profiles. The scan uses every CPU (GOMAXPROCS) in
// chunks of 64 Ki rows; its result does not depend on their scheduling.
func Count(seg *Segment, cols *Columns) (int, error) {
	return scan(seg, cols, nil, false)
}

// Members returns the rows of cols in seg as a bitset, in dst when it has
// room for cols.Len() rows.
func Members(seg *Segment, cols *Columns, dst Bitset) (Bitset, error) {
	n := words(cols.Len())
	if cap(dst) < n {
		dst = make(Bitset, n)
	}
	dst = dst[:n]
	_, err := scan(seg, cols, dst, false)
	return dst, err
}

// scan evaluates seg over cols, counting members and, when dst is not
// nil, setting their bits. perRow runs the program on every row, without
// the plan: the reference the tests compare the plan with.
func scan(seg *Segment, cols *Columns, dst Bitset, perRow bool) (int, error) {
	if err := cols.missing(seg); err != nil {
		return 0, err
	}
	full, pre, err := bindPlan(seg, cols, perRow)
	if err != nil {
		return 0, fmt.Errorf("segment %q: %w", seg.ID(), err)
	}
	chunks := (cols.n + chunkRows - 1) / chunkRows
	counts := make([]int, chunks)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), chunks) {
		wg.Go(func() {
			w := &worker{seg: seg, cols: cols, full: full, pre: pre}
			for {
				i := int(next.Add(1) - 1)
				if i >= chunks {
					return
				}
				counts[i] = w.chunk(i, dst)
			}
		})
	}
	wg.Wait()
	total := 0
	for _, n := range counts {
		total += n
	}
	return total, nil
}

func bindPlan(seg *Segment, cols *Columns, perRow bool) (full vnode, pre []vnode, err error) {
	if perRow {
		return nil, nil, nil
	}
	if seg.plan.full != nil {
		full, err = seg.plan.full.bind(cols)
		return full, nil, err
	}
	for _, p := range seg.plan.pre {
		v, err := p.bind(cols)
		if err != nil {
			return nil, nil, err
		}
		pre = append(pre, v)
	}
	return nil, pre, nil
}

// worker scans chunks on one goroutine, with its own scratch bitsets,
// expression VM and per-row Env.
type worker struct {
	seg  *Segment
	cols *Columns
	full vnode
	pre  []vnode
	sc   scratch
	vm   vm.VM
	row  *rowEnv
}

// chunk evaluates chunk i and returns its member count.
func (w *worker) chunk(i int, dst Bitset) int {
	lo := i * chunkRows
	hi := min(lo+chunkRows, w.cols.n)
	n := words(hi - lo)
	t, e := w.sc.get(n), w.sc.get(n)
	defer w.sc.put(t, e)
	if w.full != nil {
		if w.full.eval(lo, hi, t, e, &w.sc) {
			andNot(t, e)
		}
	} else {
		w.candidates(lo, hi, t, e)
		w.runRows(lo, t)
	}
	if dst != nil {
		copy(dst[lo/64:], t)
	}
	return popcount(t)
}

// candidates sets t to the rows that pass every planned conjunct (all
// rows when there is none).
func (w *worker) candidates(lo, hi int, t, e []uint64) {
	constNode(true).eval(lo, hi, t, e, &w.sc)
	if len(w.pre) == 0 {
		return
	}
	ct, ce := w.sc.get(len(t)), w.sc.get(len(t))
	defer w.sc.put(ct, ce)
	for _, p := range w.pre {
		fails := p.eval(lo, hi, ct, ce, &w.sc)
		for k := range t {
			t[k] &= ct[k]
			if fails {
				t[k] &^= ce[k]
			}
		}
	}
}

// runRows runs the program for each row set in t and keeps those it
// finds true.
func (w *worker) runRows(lo int, t []uint64) {
	if w.row == nil {
		w.row = newRowEnv(w.cols, w.cols.loadList(w.seg))
	}
	for k, word := range t {
		for word != 0 {
			j := trailingZeros(word)
			word &= word - 1
			out, err := w.vm.Run(w.seg.program, w.row.at(lo+k*64+j))
			if b, _ := out.(bool); err != nil || !b {
				t[k] &^= 1 << uint(j)
			}
		}
	}
}

func andNot(t, e []uint64) {
	for i := range t {
		t[i] &^= e[i]
	}
}
