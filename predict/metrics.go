package predict

import (
	"math"
	"sort"
)

// AUC is the area under the ROC curve of scores against 0/1 labels: the
// chance that a random positive scores above a random negative, ties
// counting half (ranks of tied scores are averaged). It is NaN when either
// class is absent.
func AUC(scores, labels []float64) float64 {
	idx := make([]int, len(scores))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return scores[idx[a]] < scores[idx[b]] })
	var pos, rankSum float64
	for i := 0; i < len(idx); {
		j := i
		for j < len(idx) && scores[idx[j]] == scores[idx[i]] {
			j++
		}
		rank := float64(i+j+1) / 2 // mean of the 1-based ranks i+1..j
		for _, k := range idx[i:j] {
			if labels[k] == 1 {
				pos++
				rankSum += rank
			}
		}
		i = j
	}
	neg := float64(len(idx)) - pos
	if pos == 0 || neg == 0 {
		return math.NaN()
	}
	return (rankSum - pos*(pos+1)/2) / (pos * neg)
}

// LogLoss is the mean negative log-likelihood of 0/1 labels under predicted
// probabilities, each clipped to [1e-15, 1-1e-15]. It is 0 for no rows.
func LogLoss(probs, labels []float64) float64 {
	if len(probs) == 0 {
		return 0
	}
	const eps = 1e-15
	s := 0.0
	for i, p := range probs {
		p = math.Min(math.Max(p, eps), 1-eps)
		if labels[i] == 1 {
			s -= math.Log(p)
		} else {
			s -= math.Log(1 - p)
		}
	}
	return s / float64(len(probs))
}

// sigmoid is the logistic function, stable for large |z|.
func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}
