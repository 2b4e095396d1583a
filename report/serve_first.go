package report

import (
	"context"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/rapportdev/rapport/economics"
)

// ServeFirstReport ranks customers by whom to serve first
// (economics.CompareServeFirst).
type ServeFirstReport struct {
	At      time.Time         `json:"at"`
	Options economics.Options `json:"options"`
	Model   economics.Model   `json:"model"`
	// Customers and Flagged count every customer; Ranking holds the first
	// Limit (all when Limit is 0).
	Customers int             `json:"customers"`
	Flagged   int             `json:"flagged"`
	Limit     int             `json:"limit"`
	Ranking   []ServeFirstRow `json:"ranking"`
}

// ServeFirstRow is one customer and their place.
type ServeFirstRow struct {
	Rank int `json:"rank"`
	economics.Ranked
}

// ServeFirst ranks every customer as of now and keeps the first limit (all
// for 0), in two passes like Economics.
func ServeFirst(ctx context.Context, st Profiles, o economics.Options, now time.Time, limit int) (*ServeFirstReport, error) {
	if err := o.Validate(); err != nil {
		return nil, fmt.Errorf("serve-first report: %w", err)
	}
	if limit < 0 {
		return nil, fmt.Errorf("serve-first report: limit %d, want 0 (all) or more", limit)
	}
	model, err := fitModel(ctx, st, o, now)
	if err != nil {
		return nil, fmt.Errorf("serve-first report: %w", err)
	}
	rep := &ServeFirstReport{At: now.UTC(), Options: o, Model: model, Limit: limit}
	ranking := economics.NewRanking(limit)
	_, err = scanCustomers(ctx, st, now, o, func(cs []economics.Customer) error {
		for _, c := range cs {
			f := model.Forecast(c, o)
			rep.Customers++
			if f.Flagged {
				rep.Flagged++
			}
			ranking.Add(economics.NewRanked(c, f))
		}
		return ctx.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("serve-first report: %w", err)
	}
	for i, x := range ranking.Sorted() {
		rep.Ranking = append(rep.Ranking, ServeFirstRow{Rank: i + 1, Ranked: rounded(x)})
	}
	return rep, nil
}

// rounded rounds a ranked customer's money to cents and probabilities to
// four decimals, after ranking on the exact values.
func rounded(x economics.Ranked) economics.Ranked {
	x.Revenue, x.CostToServe = round(x.Revenue, 2), round(x.CostToServe, 2)
	x.CLV, x.ExpectedCost, x.ExpectedNet = round(x.CLV, 2), round(x.ExpectedCost, 2), round(x.ExpectedNet, 2)
	x.ExpectedSpend = round(x.ExpectedSpend, 2)
	x.PAlive, x.ExpectedPurchases = round(x.PAlive, 4), round(x.ExpectedPurchases, 4)
	return x
}

// round rounds v to the given decimals, without a negative zero.
func round(v float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	if r := math.Round(v*p) / p; r != 0 {
		return r
	}
	return 0
}

// WriteCSV writes one line per ranked customer.
func (r *ServeFirstReport) WriteCSV(w io.Writer) error {
	rows := make([][]string, len(r.Ranking))
	for i, x := range r.Ranking {
		rows[i] = []string{integer(x.Rank), text(x.ProfileID), text(x.UserID), integer(x.Orders), num(x.Revenue),
			num(x.CostToServe), num(x.PAlive), num(x.ExpectedPurchases), num(x.ExpectedSpend), num(x.CLV),
			num(x.ExpectedCost), num(x.ExpectedNet), boolean(x.Flagged), boolean(x.Modelled)}
	}
	return writeCSV(w, []string{"rank", "profile_id", "user_id", "orders", "revenue", "cost_to_serve", "p_alive",
		"expected_purchases", "expected_spend", "clv", "expected_cost", "expected_net", "flagged", "modelled"}, rows)
}
