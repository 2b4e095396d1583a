package lead

import (
	"math"
	"slices"
	"time"
)

// quantile returns the q-quantile of xs (linear between closest ranks),
// 0 for none. It sorts xs.
func quantile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs)
	pos := q * float64(len(xs)-1)
	lo := int(math.Floor(pos))
	hi := min(lo+1, len(xs)-1)
	return xs[lo] + (xs[hi]-xs[lo])*(pos-float64(lo))
}

// seconds is a duration as JSON shows it: seconds, rounded to a tenth.
func seconds(d time.Duration) float64 { return math.Round(d.Seconds()*10) / 10 }

// ratio returns a/b rounded to four places, 0 when b is 0.
func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return round4(a / b)
}

// SLA is how long a lead of each tier may wait for its first contact
// attempt, counted from the consumer's submission.
type SLA map[string]time.Duration

// DefaultSLA: a hot lead within five minutes (the odds of reaching a web
// lead fall steeply after that), a warm one within the hour, a cold one
// within a day.
func DefaultSLA() SLA {
	return SLA{TierHot: 5 * time.Minute, TierWarm: time.Hour, TierCold: 24 * time.Hour}
}
