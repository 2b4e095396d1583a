package segment

import (
	"testing"
	"time"

	"github.com/rapportdev/rapport"
)

// population builds customers from parallel lists of measures.
func population(recency, frequency, monetary []float64) []RFMValues {
	v := make([]RFMValues, len(recency))
	for i := range v {
		v[i] = RFMValues{recency[i], frequency[i], monetary[i]}
	}
	return v
}

func seq(from, to float64) []float64 {
	var s []float64
	for x := from; x <= to; x++ {
		s = append(s, x)
	}
	return s
}

func repeat(v float64, n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = v
	}
	return s
}

func concat(parts ...[]float64) []float64 {
	var s []float64
	for _, p := range parts {
		s = append(s, p...)
	}
	return s
}

func TestRFMScale(t *testing.T) {
	tests := []struct {
		name       string
		population []RFMValues
		customer   RFMValues
		want       RFM
	}{
		{"ten distinct: best", population(seq(1, 10), seq(1, 10), seq(1, 10)), RFMValues{1, 10, 10}, RFM{5, 5, 5, Champions}},
		{"ten distinct: worst", population(seq(1, 10), seq(1, 10), seq(1, 10)), RFMValues{10, 1, 1}, RFM{1, 1, 1, Lost}},
		{"ten distinct: quintile edges", population(seq(1, 10), seq(1, 10), seq(1, 10)), RFMValues{4, 5, 6}, RFM{4, 3, 3, LoyalCustomers}},
		{"ten distinct: just past an edge", population(seq(1, 10), seq(1, 10), seq(1, 10)), RFMValues{5, 7, 9}, RFM{3, 4, 5, LoyalCustomers}},
		{"beyond the population", population(seq(1, 10), seq(1, 10), seq(1, 10)), RFMValues{0, 99, 1e6}, RFM{5, 5, 5, Champions}},
		// 60% one-time buyers: a value shared by more than a fifth of the
		// customers takes the first quintile it covers.
		{"ties: one-time buyer", population(seq(1, 100), concat(repeat(1, 60), repeat(2, 25), repeat(3, 10), repeat(5, 5)), seq(1, 100)),
			RFMValues{3, 1, 10}, RFM{5, 1, 1, NewCustomers}},
		{"ties: two orders", population(seq(1, 100), concat(repeat(1, 60), repeat(2, 25), repeat(3, 10), repeat(5, 5)), seq(1, 100)),
			RFMValues{3, 2, 10}, RFM{5, 4, 1, LoyalCustomers}},
		{"ties: three orders", population(seq(1, 100), concat(repeat(1, 60), repeat(2, 25), repeat(3, 10), repeat(5, 5)), seq(1, 100)),
			RFMValues{3, 3, 10}, RFM{5, 5, 1, LoyalCustomers}},
		{"ties: everyone the same", population(repeat(7, 20), repeat(2, 20), repeat(30, 20)), RFMValues{7, 2, 30}, RFM{5, 1, 1, NewCustomers}},
		{"one customer", population([]float64{12}, []float64{3}, []float64{99}), RFMValues{12, 3, 99}, RFM{5, 1, 1, NewCustomers}},
		{"two customers: the better", population([]float64{10, 40}, []float64{1, 2}, []float64{50, 200}), RFMValues{10, 2, 200}, RFM{5, 3, 3, LoyalCustomers}},
		{"two customers: the worse", population([]float64{10, 40}, []float64{1, 2}, []float64{50, 200}), RFMValues{40, 1, 50}, RFM{3, 1, 1, AboutToSleep}},
		{"three customers: the middle", population([]float64{1, 2, 3}, []float64{1, 2, 3}, []float64{1, 2, 3}), RFMValues{2, 2, 2}, RFM{4, 2, 2, PotentialLoyalists}},
		{"three customers: the best", population([]float64{1, 2, 3}, []float64{1, 2, 3}, []float64{1, 2, 3}), RFMValues{1, 3, 3}, RFM{5, 4, 4, Champions}},
		{"no customers", nil, RFMValues{1, 1, 1}, RFM{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NewRFMScale(tt.population).Score(tt.customer); got != tt.want {
				t.Errorf("score %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestRFMGroup(t *testing.T) {
	tests := []struct {
		r, f, m int
		want    string
	}{
		{5, 5, 5, Champions},
		{4, 4, 3, Champions}, // FM 3.5 rounds up to 4
		{5, 1, 1, NewCustomers},
		{4, 1, 1, Promising},
		{5, 2, 2, PotentialLoyalists},
		{4, 3, 3, LoyalCustomers},
		{3, 5, 4, LoyalCustomers},
		{3, 3, 2, NeedAttention},
		{3, 1, 1, AboutToSleep},
		{2, 2, 2, AboutToSleep},
		{2, 4, 5, AtRisk},
		{1, 3, 3, AtRisk},
		{1, 5, 4, CantLoseThem},
		{2, 1, 1, Hibernating},
		{1, 2, 2, Hibernating},
		{1, 1, 1, Lost},
		{0, 3, 3, ""},
		{3, 6, 3, ""},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		got := RFMGroup(tt.r, tt.f, tt.m)
		if got != tt.want {
			t.Errorf("RFMGroup(%d, %d, %d) = %q, want %q", tt.r, tt.f, tt.m, got, tt.want)
		}
		seen[got] = true
	}
	for r := 1; r <= 5; r++ {
		for fm := 1; fm <= 5; fm++ {
			seen[rfmGroups[r-1][fm-1]] = true
		}
	}
	if len(seen) != 12 { // eleven groups and ""
		t.Errorf("groups in use: %v, want all eleven", seen)
	}
}

func TestRFMValuesOf(t *testing.T) {
	p := &rapport.Profile{Aggregates: rapport.Aggregates{Orders: 3, Revenue: 120, LastOrderAt: now.Add(-36 * time.Hour)}}
	v, ok := RFMValuesOf(p, now)
	if !ok || v != (RFMValues{1.5, 3, 120}) {
		t.Errorf("values %+v, %v; want {1.5 3 120}, true", v, ok)
	}
	if _, ok := RFMValuesOf(&rapport.Profile{}, now); ok {
		t.Error("a profile without orders is a customer")
	}
}
