package offer

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mathext"
)

// z95 is the standard normal quantile of a two-sided 95% interval.
const z95 = 1.959963984540054

// sampleBeta draws from Beta(a, b) as X/(X+Y) of two Gamma draws.
func sampleBeta(r *rand.Rand, a, b float64) float64 {
	x := sampleGamma(r, a)
	y := sampleGamma(r, b)
	if x+y == 0 {
		return a / (a + b)
	}
	return x / (x + y)
}

// sampleGamma draws from Gamma(shape, 1) by Marsaglia and Tsang's method
// (2000); a shape below 1 is boosted: Gamma(a) = Gamma(a+1) × U^(1/a).
func sampleGamma(r *rand.Rand, shape float64) float64 {
	if shape < 1 {
		return sampleGamma(r, shape+1) * math.Pow(r.Float64(), 1/shape)
	}
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := r.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := r.Float64()
		if u < 1-0.0331*x*x*x*x || math.Log(u) < 0.5*x*x+d*(1-v+math.Log(v)) {
			return d * v
		}
	}
}

// probBelow returns P(p < x) for p ~ Beta(a, b): the regularised
// incomplete beta function.
func probBelow(a, b, x float64) float64 { return mathext.RegIncBeta(a, b, x) }

// Interval is a 95% confidence interval.
type Interval struct {
	Low  float64 `json:"low"`
	High float64 `json:"high"`
}

// wilson returns the Wilson score interval of k successes in n trials,
// which stays within [0, 1] and behaves for small n and rates near 0;
// n = 0 gives [0, 1].
func wilson(k, n int64) Interval {
	if n <= 0 {
		return Interval{0, 1}
	}
	p, nf := float64(k)/float64(n), float64(n)
	z2 := z95 * z95
	centre := (p + z2/(2*nf)) / (1 + z2/nf)
	half := z95 / (1 + z2/nf) * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf))
	return Interval{max(0, centre-half), min(1, centre+half)}
}

// newcombe returns the 95% interval of p1 − p2 for k1/n1 and k2/n2 by
// Newcombe's hybrid score method (1998, method 10), built from the two
// Wilson intervals: good coverage where the Wald interval fails (small
// samples, rates near 0).
func newcombe(k1, n1, k2, n2 int64) Interval {
	if n1 <= 0 || n2 <= 0 {
		return Interval{-1, 1}
	}
	p1, p2 := float64(k1)/float64(n1), float64(k2)/float64(n2)
	w1, w2 := wilson(k1, n1), wilson(k2, n2)
	d := p1 - p2
	low := d - math.Sqrt((p1-w1.Low)*(p1-w1.Low)+(w2.High-p2)*(w2.High-p2))
	high := d + math.Sqrt((w1.High-p1)*(w1.High-p1)+(p2-w2.Low)*(p2-w2.Low))
	return Interval{low, high}
}
