package cluster

import "context"

// lloyd runs Lloyd iterations from the given centres (k × d, flat) until no
// label changes, the centres move less than tol in total (squared), or
// maxIter passes. As in scikit-learn, the labels and inertia reported are
// those of a last assignment to the final centres.
func lloyd(ctx context.Context, x Matrix, centers []float64, maxIter int, tol float64, workers int) (*Result, error) {
	k := len(centers) / x.Cols
	a := newAssigner(x, k, workers)
	labels := make([]int, x.Rows)
	for i := range labels {
		labels[i] = -1
	}
	res := &Result{Labels: labels}
	next := make([]float64, len(centers))
	for res.Iterations < maxIter {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		res.Iterations++
		changed := a.assign(centers, labels)
		a.newCenters(centers, labels, next)
		shift := sqDist(centers, next)
		centers, next = next, centers
		if changed == 0 || shift <= tol {
			res.Converged = true
			break
		}
	}
	a.assign(centers, labels)
	res.Centers = Matrix{Rows: k, Cols: x.Cols, Data: centers}
	res.Sizes = append([]int(nil), a.counts...)
	res.Inertia = a.inertia
	return res, nil
}

// assigner does the assignment step in parallel: each chunk of rows keeps
// its own centre sums, counts, inertia and number of changed labels, which
// are then added in chunk order.
type assigner struct {
	x       Matrix
	k       int
	workers int
	parts   []part
	// Totals of the last assign.
	sums    []float64
	counts  []int
	inertia float64
}

// part is one chunk's share of an assignment.
type part struct {
	sums    []float64
	counts  []int
	inertia float64
	changed int
}

func newAssigner(x Matrix, k, workers int) *assigner {
	a := &assigner{x: x, k: k, workers: workers, parts: make([]part, numChunks(x.Rows)),
		sums: make([]float64, k*x.Cols), counts: make([]int, k)}
	for i := range a.parts {
		a.parts[i] = part{sums: make([]float64, k*x.Cols), counts: make([]int, k)}
	}
	return a
}

// assign labels every row with its nearest centre and returns how many
// labels changed.
func (a *assigner) assign(centers []float64, labels []int) int {
	d := a.x.Cols
	forChunks(a.x.Rows, a.workers, func(ch, lo, hi int) {
		p := &a.parts[ch]
		clear(p.sums)
		clear(p.counts)
		p.inertia, p.changed = 0, 0
		for i := lo; i < hi; i++ {
			row := a.x.Row(i)
			c, dist := nearest(row, centers, a.k)
			if labels[i] != c {
				labels[i] = c
				p.changed++
			}
			p.counts[c]++
			p.inertia += dist
			s := p.sums[c*d : (c+1)*d]
			for j, v := range row {
				s[j] += v
			}
		}
	})
	clear(a.sums)
	clear(a.counts)
	a.inertia = 0
	changed := 0
	for _, p := range a.parts {
		for j, v := range p.sums {
			a.sums[j] += v
		}
		for c, n := range p.counts {
			a.counts[c] += n
		}
		a.inertia += p.inertia
		changed += p.changed
	}
	return changed
}

// newCenters writes into next the mean of each cluster of the last assign.
// A cluster left empty takes the row farthest from its centre (the next
// farthest for the next empty one), as scikit-learn does; that row's own
// cluster gives it up.
func (a *assigner) newCenters(centers []float64, labels []int, next []float64) {
	d := a.x.Cols
	sums, counts := append([]float64(nil), a.sums...), append([]int(nil), a.counts...)
	var empty []int
	for c, n := range counts {
		if n == 0 {
			empty = append(empty, c)
		}
	}
	for e, row := range a.farthest(centers, labels, len(empty)) {
		c, from := empty[e], labels[row]
		for j, v := range a.x.Row(row) {
			sums[from*d+j] -= v
			sums[c*d+j] = v
		}
		counts[from]--
		counts[c] = 1
	}
	for c, n := range counts {
		if n == 0 {
			copy(next[c*d:(c+1)*d], centers[c*d:(c+1)*d])
			continue
		}
		for j := range d {
			next[c*d+j] = sums[c*d+j] / float64(n)
		}
	}
}

// farthest returns the m rows farthest from their assigned centres, the
// farthest first (the lower row on a tie). m is the number of empty
// clusters, so it is small and a simple insertion list is enough.
func (a *assigner) farthest(centers []float64, labels []int, m int) []int {
	if m == 0 {
		return nil
	}
	d := a.x.Cols
	rows := make([]int, 0, m)
	dists := make([]float64, 0, m)
	for i := range a.x.Rows {
		dist := sqDist(a.x.Row(i), centers[labels[i]*d:(labels[i]+1)*d])
		if len(rows) == m && !(dist > dists[m-1]) {
			continue
		}
		at := len(rows)
		for at > 0 && dist > dists[at-1] {
			at--
		}
		if len(rows) < m {
			rows, dists = append(rows, 0), append(dists, 0)
		}
		copy(rows[at+1:], rows[at:])
		copy(dists[at+1:], dists[at:])
		rows[at], dists[at] = i, dist
	}
	return rows
}
