package economics_test

import (
	"slices"
	"testing"

	"github.com/rapportdev/rapport/economics"
)

// ranked is a customer with the given lifetime value and expected cost.
func ranked(id string, clvValue, cost float64) economics.Ranked {
	return economics.Ranked{ProfileID: id, Forecast: economics.Forecast{Modelled: true, CLV: clvValue, ExpectedCost: cost,
		ExpectedNet: clvValue - cost, Flagged: clvValue < cost}}
}

func TestServeFirstOrder(t *testing.T) {
	in := []economics.Ranked{
		ranked("flagged", 10, 30),   // net −20
		ranked("small", 20, 5),      // net 15
		ranked("big", 200, 50),      // net 150
		ranked("tie-low", 40, 25),   // net 15, less at stake than tie-high
		ranked("tie-high", 60, 45),  // net 15
		ranked("b-same", 20, 5),     // same as small: by id
		ranked("free", 100, 0),      // net 100
		ranked("worthless", 0, 0.5), // net −0.5
	}
	want := []string{"big", "free", "tie-high", "tie-low", "b-same", "small", "worthless", "flagged"}
	for _, limit := range []int{0, 3, len(in)} {
		r := economics.NewRanking(limit)
		for _, x := range in {
			r.Add(x)
		}
		var got []string
		for _, x := range r.Sorted() {
			got = append(got, x.ProfileID)
		}
		w := want
		if limit > 0 {
			w = want[:min(limit, len(want))]
		}
		if !slices.Equal(got, w) {
			t.Errorf("limit %d: order %v, want %v", limit, got, w)
		}
	}
}
