package economics

import (
	"cmp"
	"container/heap"
	"slices"
)

// Ranked is one customer in the serve-first ranking.
type Ranked struct {
	ProfileID   string  `json:"profile_id"`
	UserID      string  `json:"user_id,omitempty"`
	Orders      int64   `json:"orders"`
	Revenue     float64 `json:"revenue"`
	CostToServe float64 `json:"cost_to_serve"`
	Forecast
}

// NewRanked is customer c with forecast f.
func NewRanked(c Customer, f Forecast) Ranked {
	return Ranked{ProfileID: c.ID, UserID: c.UserID, Orders: c.Orders, Revenue: c.Revenue, CostToServe: c.CostToServe, Forecast: f}
}

// CompareServeFirst orders customers to serve: the highest expected net
// value (lifetime value less expected cost to serve) first; on a tie the
// higher lifetime value (more at stake), then profile id, so the order is
// total and the same on every run.
func CompareServeFirst(a, b Ranked) int {
	if c := cmp.Compare(b.ExpectedNet, a.ExpectedNet); c != 0 {
		return c
	}
	if c := cmp.Compare(b.CLV, a.CLV); c != 0 {
		return c
	}
	return cmp.Compare(a.ProfileID, b.ProfileID)
}

// Ranking keeps the first Limit customers to serve of those added (all of
// them for a limit of 0 or less), in memory proportional to the limit.
type Ranking struct {
	limit int
	h     rankHeap
}

// NewRanking returns an empty ranking that keeps the first limit.
func NewRanking(limit int) *Ranking { return &Ranking{limit: limit} }

// Add offers a customer to the ranking.
func (r *Ranking) Add(x Ranked) {
	if r.limit <= 0 || len(r.h) < r.limit {
		heap.Push(&r.h, x)
		return
	}
	// The heap's root is the last kept: replace it when x comes before.
	if CompareServeFirst(x, r.h[0]) < 0 {
		r.h[0] = x
		heap.Fix(&r.h, 0)
	}
}

// Sorted returns the customers kept, first to serve first.
func (r *Ranking) Sorted() []Ranked {
	out := slices.Clone(r.h)
	slices.SortFunc(out, CompareServeFirst)
	return out
}

// rankHeap is a heap whose root is the customer served last.
type rankHeap []Ranked

func (h rankHeap) Len() int           { return len(h) }
func (h rankHeap) Less(i, j int) bool { return CompareServeFirst(h[i], h[j]) > 0 }
func (h rankHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *rankHeap) Push(x any)        { *h = append(*h, x.(Ranked)) }
func (h *rankHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
