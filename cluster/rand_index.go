package cluster

import "fmt"

// AdjustedRand is the adjusted Rand index of two labelings of the same
// rows: 1 when they group the rows identically (whatever the label values),
// about 0 for independent labelings, negative when they agree less than
// chance. It counts pairs of rows as scikit-learn's adjusted_rand_score
// does, and like it returns 1 when both labelings are trivial (all rows in
// one cluster, or each row alone). Labels may be any integers.
func AdjustedRand(a, b []int) (float64, error) {
	if len(a) != len(b) {
		return 0, fmt.Errorf("adjusted rand: %d labels against %d", len(a), len(b))
	}
	rowSums, colSums := map[int]float64{}, map[int]float64{}
	cells := map[[2]int]float64{}
	for i := range a {
		rowSums[a[i]]++
		colSums[b[i]]++
		cells[[2]int{a[i], b[i]}]++
	}
	// Pair counts, in float64: n² stays exact up to n ≈ 9×10⁷ and the
	// products below only need relative precision.
	n := float64(len(a))
	sq := func(m map[int]float64) (s float64) {
		for _, v := range m {
			s += v * v
		}
		return s
	}
	var cellSq float64
	for _, v := range cells {
		cellSq += v * v
	}
	tp := cellSq - n
	fp := sq(colSums) - cellSq
	fn := sq(rowSums) - cellSq
	tn := n*n - fp - fn - cellSq
	if fn == 0 && fp == 0 {
		return 1, nil
	}
	return 2 * (tp*tn - fn*fp) / ((tp+fn)*(fn+tn) + (tp+fp)*(fp+tn)), nil
}
