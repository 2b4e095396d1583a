package predict

import (
	"fmt"
	"strings"
)

// DefaultPositive are the target values that count as a conversion unless
// the caller names others (compared without regard to case).
var DefaultPositive = []string{"yes", "true", "1"}

// Labels returns 1 for the rows whose target value is one of positive (any
// case; DefaultPositive when empty) and 0 for the others. A missing target
// is an error naming its line.
func Labels(d *Dataset, target string, positive []string) ([]float64, error) {
	c := d.Column(target)
	if c == nil {
		return nil, fmt.Errorf("no target column %q", target)
	}
	if len(positive) == 0 {
		positive = DefaultPositive
	}
	y := make([]float64, len(c.Values))
	for i, v := range c.Values {
		if IsMissing(v) {
			return nil, fmt.Errorf("line %d, column %q: target value missing", d.Lines[i], target)
		}
		for _, p := range positive {
			if strings.EqualFold(v, p) {
				y[i] = 1
				break
			}
		}
	}
	return y, nil
}

// PositiveRate is the share of labels equal to 1 (0 for no labels).
func PositiveRate(y []float64) float64 {
	if len(y) == 0 {
		return 0
	}
	s := 0.0
	for _, v := range y {
		s += v
	}
	return s / float64(len(y))
}
