package clv

import "fmt"

// Period is the unit of time the models count in: t_x, T and forecast
// horizons are numbers of periods, and the fitted alpha and gamma scale with
// it.
type Period int

// The periods.
const (
	Day Period = iota
	Week
)

// ParsePeriod reads "day" or "week".
func ParsePeriod(s string) (Period, error) {
	switch s {
	case "day":
		return Day, nil
	case "week":
		return Week, nil
	}
	return 0, fmt.Errorf("period %q: want day or week", s)
}

// String names the period as ParsePeriod reads it.
func (p Period) String() string {
	if p == Week {
		return "week"
	}
	return "day"
}

// days is the length of the period in days.
func (p Period) days() float64 {
	if p == Week {
		return 7
	}
	return 1
}
