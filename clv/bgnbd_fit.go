package clv

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mathext"
)

// BGNBDFit is a BG/NBD model fitted by maximum likelihood.
type BGNBDFit struct {
	BGNBD
	LogLik     float64 `json:"loglik"`
	Customers  int     `json:"customers"`
	Iterations int     `json:"iterations"`
	Converged  bool    `json:"converged"`
}

// FitBGNBD estimates r, alpha, a, b by maximising the log-likelihood of the
// customers, with BFGS over the logs of the parameters and the analytic
// gradient, starting from all parameters at 1 (as the BTYD package does).
// It fails when there are no customers or the optimiser finds no finite
// likelihood. A fit is returned with Converged false when the optimiser
// stopped early, or when r, a or b ran off outside [1e-5, 1e5]: the
// likelihood then rises towards the edge of the parameter space (too few
// customers, or none with repeat purchases) and the estimates mean little.
func FitBGNBD(cs []Customer) (BGNBDFit, error) {
	if len(cs) == 0 {
		return BGNBDFit{}, errors.New("fit bg/nbd: no customers")
	}
	for _, c := range cs {
		if err := c.check(); err != nil {
			return BGNBDFit{}, fmt.Errorf("fit bg/nbd: %w", err)
		}
	}
	d := newBGNBDData(cs)
	best, err := minimise(d.negLogLik, make([]float64, 4), len(cs))
	if err != nil {
		return BGNBDFit{}, fmt.Errorf("fit bg/nbd: %w", err)
	}
	m := fromLogs(best.X)
	return BGNBDFit{
		BGNBD:      m,
		LogLik:     -best.F,
		Customers:  len(cs),
		Iterations: best.Iterations,
		Converged:  best.Converged && interior(m.R, m.A, m.B),
	}, nil
}

// check refuses a customer the likelihood is not defined for.
func (c Customer) check() error {
	ok := c.X >= 0 && c.TX >= 0 && c.T >= c.TX && !math.IsInf(c.T, 0) && (c.X > 0 || c.TX == 0)
	if !ok {
		return fmt.Errorf("customer %q: x = %d, t_x = %v, T = %v: want 0 <= t_x <= T, t_x = 0 when x = 0", c.ID, c.X, c.TX, c.T)
	}
	return nil
}

// fromLogs is the model whose parameters' logs are v.
func fromLogs(v []float64) BGNBD {
	return BGNBD{R: math.Exp(v[0]), Alpha: math.Exp(v[1]), A: math.Exp(v[2]), B: math.Exp(v[3])}
}

// bgnbdData is the customers arranged for fast likelihood evaluations:
// customers with the same (x, t_x, T) are counted once with a weight (in
// day-based data most are: every customer without repeat purchases who
// started on the same day), and the terms that depend only on x are computed
// once per distinct x.
type bgnbdData struct {
	n      float64
	xs     []float64 // distinct values of x
	counts []float64 // customers per distinct x
	// Per distinct (x, t_x, T):
	group  []int // index of x in xs
	weight []float64
	x      []float64
	tx, t  []float64
	lnbx   []float64 // per distinct x, ln(b+x-1); scratch space
}

// history is what the likelihood knows of a customer.
type history struct {
	x     int
	tx, t float64
}

func newBGNBDData(cs []Customer) *bgnbdData {
	d := &bgnbdData{n: float64(len(cs))}
	groups := map[int]int{}
	seen := map[history]int{}
	for _, c := range cs {
		g, ok := groups[c.X]
		if !ok {
			g = len(d.xs)
			groups[c.X] = g
			d.xs = append(d.xs, float64(c.X))
			d.counts = append(d.counts, 0)
		}
		d.counts[g]++
		h := history{c.X, c.TX, c.T}
		if i, ok := seen[h]; ok {
			d.weight[i]++
			continue
		}
		seen[h] = len(d.x)
		d.group = append(d.group, g)
		d.weight = append(d.weight, 1)
		d.x = append(d.x, float64(c.X))
		d.tx = append(d.tx, c.TX)
		d.t = append(d.t, c.T)
	}
	d.lnbx = make([]float64, len(d.xs))
	return d
}

// negLogLik is minus the log-likelihood at the logs of (r, alpha, a, b) and
// its gradient with respect to those logs.
func (d *bgnbdData) negLogLik(v, grad []float64) float64 {
	p := fromLogs(v)
	var g [4]float64 // d ll / d (r, alpha, a, b)
	ll := d.byX(p, &g)
	r, alpha, a := p.R, p.Alpha, p.A
	lnA := math.Log(a)
	for i, x := range d.x {
		w := d.weight[i]
		lT := math.Log(alpha + d.t[i])
		a3 := -(r + x) * lT
		if x == 0 {
			ll += w * a3
			g[0] -= w * lT
			g[1] -= w * r / (alpha + d.t[i])
			continue
		}
		lt := math.Log(alpha + d.tx[i])
		a4 := lnA - d.lnbx[d.group[i]] - (r+x)*lt
		term := logSumExp(a3, a4)
		w4 := math.Exp(a4 - term)
		w3 := 1 - w4
		ll += w * term
		g[0] -= w * (w3*lT + w4*lt)
		g[1] -= w * (r + x) * (w3/(alpha+d.t[i]) + w4/(alpha+d.tx[i]))
		g[2] += w * w4 / a
		g[3] -= w * w4 / (p.B + x - 1)
	}
	for k, v := range []float64{r, alpha, a, p.B} {
		grad[k] = -v * g[k]
	}
	return -ll
}

// byX adds up the terms ln(A1) + ln(A2) of the likelihood and their
// derivatives, which depend on a customer only through x, and fills d.lnbx.
func (d *bgnbdData) byX(p BGNBD, g *[4]float64) float64 {
	r, alpha, a, b := p.R, p.Alpha, p.A, p.B
	ll := d.n * (-lgamma(r) + r*math.Log(alpha) + lgamma(a+b) - lgamma(b))
	psiAB := mathext.Digamma(a + b)
	g[0] = d.n * (math.Log(alpha) - mathext.Digamma(r))
	g[1] = d.n * r / alpha
	g[2] = d.n * psiAB
	g[3] = d.n * (psiAB - mathext.Digamma(b))
	for k, x := range d.xs {
		n := d.counts[k]
		ll += n * (lgamma(r+x) + lgamma(b+x) - lgamma(a+b+x))
		psiABX := mathext.Digamma(a + b + x)
		g[0] += n * mathext.Digamma(r+x)
		g[2] -= n * psiABX
		g[3] += n * (mathext.Digamma(b+x) - psiABX)
		d.lnbx[k] = math.Log(b + x - 1)
	}
	return ll
}
