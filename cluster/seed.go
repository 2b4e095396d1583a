package cluster

import (
	"math"
	"math/rand/v2"
)

// seedPlusPlus picks k initial centres by greedy k-means++, the variant
// scikit-learn uses: the first centre is a uniformly drawn row; each next
// one is the best of 2+⌊ln k⌋ rows drawn with probability proportional to
// their squared distance to the nearest centre so far, "best" meaning the
// one that leaves the smallest total squared distance. The trials make the
// seeding markedly less likely to put two centres in one blob.
func seedPlusPlus(x Matrix, k int, rng *rand.Rand, workers int) []float64 {
	d := x.Cols
	centers := make([]float64, 0, k*d)
	centers = append(centers, x.Row(rng.IntN(x.Rows))...)
	s := newSeeding(x, workers)
	s.update(centers[:d])
	trials := 2 + int(math.Log(float64(k)))
	cands := make([]int, trials)
	for len(centers) < k*d {
		pot := s.total()
		for t := range cands {
			cands[t] = s.draw(rng.Float64() * pot)
		}
		best := s.bestCandidate(cands)
		centers = append(centers, x.Row(best)...)
		s.update(x.Row(best))
	}
	return centers
}

// seeding holds each row's squared distance to its nearest chosen centre
// and the per-chunk sums of those distances.
type seeding struct {
	x       Matrix
	workers int
	closest []float64
	sums    []float64 // per chunk
	trial   []float64 // per chunk × trial: potential if the trial were chosen
}

func newSeeding(x Matrix, workers int) *seeding {
	closest := make([]float64, x.Rows)
	for i := range closest {
		closest[i] = math.Inf(1)
	}
	return &seeding{x: x, workers: workers, closest: closest, sums: make([]float64, numChunks(x.Rows))}
}

// update lowers each row's distance to account for the new centre c.
func (s *seeding) update(c []float64) {
	forChunks(s.x.Rows, s.workers, func(ch, lo, hi int) {
		var sum float64
		for i := lo; i < hi; i++ {
			s.closest[i] = min(s.closest[i], sqDist(s.x.Row(i), c))
			sum += s.closest[i]
		}
		s.sums[ch] = sum
	})
}

// total is the potential: the sum of the distances, chunk by chunk in order.
func (s *seeding) total() float64 {
	var t float64
	for _, v := range s.sums {
		t += v
	}
	return t
}

// draw returns the first row whose running sum of distances exceeds r,
// skipping whole chunks by their sums. A row at distance zero (a centre
// already, or its duplicate) is never drawn, unless every row is at distance
// zero; rounding at the very end falls back to the last row with a
// positive distance.
func (s *seeding) draw(r float64) int {
	var acc float64
	last := -1
	for ch, sum := range s.sums {
		if acc+sum <= r {
			acc += sum
			if sum > 0 {
				last = ch
			}
			continue
		}
		lo, hi := ch*chunkRows, min(s.x.Rows, (ch+1)*chunkRows)
		for i := lo; i < hi; i++ {
			if acc += s.closest[i]; acc > r && s.closest[i] > 0 {
				return i
			}
		}
		last = ch
	}
	if last < 0 {
		return s.x.Rows - 1
	}
	for i := min(s.x.Rows, (last+1)*chunkRows) - 1; i >= last*chunkRows; i-- {
		if s.closest[i] > 0 {
			return i
		}
	}
	return s.x.Rows - 1
}

// bestCandidate returns the candidate row that would leave the smallest
// potential (the first on a tie).
func (s *seeding) bestCandidate(cands []int) int {
	chunks := len(s.sums)
	if len(s.trial) != chunks*len(cands) {
		s.trial = make([]float64, chunks*len(cands))
	}
	forChunks(s.x.Rows, s.workers, func(ch, lo, hi int) {
		for t, c := range cands {
			cand := s.x.Row(c)
			var sum float64
			for i := lo; i < hi; i++ {
				sum += min(s.closest[i], sqDist(s.x.Row(i), cand))
			}
			s.trial[ch*len(cands)+t] = sum
		}
	})
	best, bestPot := cands[0], math.Inf(1)
	for t, c := range cands {
		var pot float64
		for ch := range chunks {
			pot += s.trial[ch*len(cands)+t]
		}
		if pot < bestPot {
			best, bestPot = c, pot
		}
	}
	return best
}
