package predict

import (
	"runtime"
	"sync"
)

// slot is one histogram bin: sums of gradients and hessians and a count.
type slot struct {
	g, h float64
	n    int
}

// grower grows one tree leaf-wise from gradient and hessian histograms.
type grower struct {
	data    *binned
	opts    *BoostedOptions
	g, h    []float64 // per training row
	idx     []int     // row indices, partitioned so each leaf holds a range
	scratch []int
	pool    [][]slot
	tree    Tree
}

// leafState is a leaf that may still be split.
type leafState struct {
	node       int // index in tree.Nodes
	start, end int // range of idx
	depth      int
	g, h       float64
	hist       []slot
	best       split
}

// split is the best split found for a leaf; ok is false when there is none.
type split struct {
	ok           bool
	gain         float64
	feature, bin int
	gl, hl       float64
	nl           int
}

// newGrower prepares a grower over every row of data.
func newGrower(data *binned, opts *BoostedOptions) *grower {
	return &grower{data: data, opts: opts, idx: make([]int, data.rows), scratch: make([]int, data.rows)}
}

// grow fits one tree to gradients g and hessians h, and adds its output to
// raw (the training rows' log-odds).
func (gr *grower) grow(g, h, raw []float64) Tree {
	gr.g, gr.h = g, h
	for i := range gr.idx {
		gr.idx[i] = i
	}
	gr.tree = Tree{}
	root := &leafState{end: len(gr.idx)}
	for i := range g {
		root.g += g[i]
		root.h += h[i]
	}
	root.node = gr.addNode(root.g, root.h)
	root.hist = gr.histogram(root.start, root.end)
	gr.findSplit(root)
	leaves := []*leafState{root}
	for len(leaves) < gr.opts.MaxLeaves {
		k := bestLeaf(leaves)
		if k < 0 {
			break
		}
		l, r := gr.split(leaves[k])
		leaves[k] = l
		leaves = append(leaves, r)
	}
	for _, l := range leaves {
		v := gr.tree.Nodes[l.node].Value
		for _, i := range gr.idx[l.start:l.end] {
			raw[i] += v
		}
		gr.release(l)
	}
	return gr.tree
}

// bestLeaf returns the leaf with the largest positive gain, or -1.
func bestLeaf(leaves []*leafState) int {
	k := -1
	for i, l := range leaves {
		if l.best.ok && (k < 0 || l.best.gain > leaves[k].best.gain) {
			k = i
		}
	}
	return k
}

// addNode appends a leaf node with the value of gradient sums g and h.
func (gr *grower) addNode(g, h float64) int {
	gr.tree.Nodes = append(gr.tree.Nodes, Node{Feature: -1, Value: gr.leafValue(g, h)})
	return len(gr.tree.Nodes) - 1
}

// leafValue is the Newton step −G/(H+λ), shrunk by the learning rate.
func (gr *grower) leafValue(g, h float64) float64 {
	return -g / (h + gr.opts.L2) * gr.opts.LearningRate
}

// split splits leaf s at its best split into two new leaves.
func (gr *grower) split(s *leafState) (*leafState, *leafState) {
	b := s.best
	mid := gr.partition(s.start, s.end, b.feature, b.bin)
	left := &leafState{start: s.start, end: mid, depth: s.depth + 1, g: b.gl, h: b.hl}
	right := &leafState{start: mid, end: s.end, depth: s.depth + 1, g: s.g - b.gl, h: s.h - b.hl}
	left.node = gr.addNode(left.g, left.h)
	right.node = gr.addNode(right.g, right.h)
	n := &gr.tree.Nodes[s.node]
	n.Feature, n.Threshold = b.feature, gr.data.thresholds[b.feature][b.bin]
	n.Left, n.Right, n.Gain = left.node, right.node, b.gain
	// Build the smaller child's histogram; the larger one's is the parent's
	// minus it, computed in the parent's storage.
	small, large := left, right
	if mid-s.start > s.end-mid {
		small, large = right, left
	}
	small.hist = gr.histogram(small.start, small.end)
	large.hist, s.hist = s.hist, nil
	for i := range large.hist {
		large.hist[i].g -= small.hist[i].g
		large.hist[i].h -= small.hist[i].h
		large.hist[i].n -= small.hist[i].n
	}
	gr.findSplit(left)
	gr.findSplit(right)
	return left, right
}

// partition reorders idx[start:end] stably so rows with bin ≤ bin of the
// feature come first; it returns where the others begin.
func (gr *grower) partition(start, end, feature, bin int) int {
	col := gr.data.cols[feature]
	l, r := start, 0
	for _, i := range gr.idx[start:end] {
		if int(col[i]) <= bin {
			gr.idx[l] = i
			l++
		} else {
			gr.scratch[r] = i
			r++
		}
	}
	copy(gr.idx[l:end], gr.scratch[:r])
	return l
}

// histogram sums gradients, hessians and counts per bin of every feature
// over the rows idx[start:end], features split among the CPUs when the
// work is large enough to pay for it.
func (gr *grower) histogram(start, end int) []slot {
	hist := gr.alloc()
	rows := gr.idx[start:end]
	nf := len(gr.data.cols)
	workers := min(runtime.GOMAXPROCS(0), nf)
	if len(rows)*nf < 200_000 || workers < 2 {
		gr.histFeatures(hist, rows, 0, nf)
		return hist
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			gr.histFeatures(hist, rows, w*nf/workers, (w+1)*nf/workers)
		}()
	}
	wg.Wait()
	return hist
}

// histFeatures fills the histogram slots of features [from, to).
func (gr *grower) histFeatures(hist []slot, rows []int, from, to int) {
	g, h := gr.g, gr.h
	for f := from; f < to; f++ {
		col, hs := gr.data.cols[f], hist[gr.data.offsets[f]:]
		for _, i := range rows {
			s := &hs[col[i]]
			s.g += g[i]
			s.h += h[i]
			s.n++
		}
	}
}

// findSplit sets s.best to the split of largest gain that leaves at least
// MinLeaf rows on each side.
func (gr *grower) findSplit(s *leafState) {
	s.best = split{}
	n, o := s.end-s.start, gr.opts
	if n < 2*o.MinLeaf || (o.MaxDepth > 0 && s.depth >= o.MaxDepth) {
		return
	}
	parent := s.g * s.g / (s.h + o.L2)
	for f, t := range gr.data.thresholds {
		hs := s.hist[gr.data.offsets[f] : gr.data.offsets[f]+len(t)+1]
		var gl, hl float64
		nl := 0
		for b := range t {
			gl, hl, nl = gl+hs[b].g, hl+hs[b].h, nl+hs[b].n
			if nl < o.MinLeaf || hl < minHessian {
				continue
			}
			gR, hR := s.g-gl, s.h-hl
			if n-nl < o.MinLeaf || hR < minHessian {
				break
			}
			gain := gl*gl/(hl+o.L2) + gR*gR/(hR+o.L2) - parent
			if gain > minGain && (!s.best.ok || gain > s.best.gain) {
				s.best = split{ok: true, gain: gain, feature: f, bin: b, gl: gl, hl: hl, nl: nl}
			}
		}
	}
}

// Floors below which a split is not worth making.
const (
	minHessian = 1e-3
	minGain    = 1e-9
)

// alloc returns a zeroed histogram, reusing released ones.
func (gr *grower) alloc() []slot {
	if k := len(gr.pool); k > 0 {
		h := gr.pool[k-1]
		gr.pool = gr.pool[:k-1]
		clear(h)
		return h
	}
	return make([]slot, gr.data.slots)
}

// release returns a leaf's histogram to the pool.
func (gr *grower) release(s *leafState) {
	if s.hist != nil {
		gr.pool = append(gr.pool, s.hist)
		s.hist = nil
	}
}
