package report

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/rapportdev/rapport/clv"
	"github.com/rapportdev/rapport/economics"
)

// EconomicsReport is the economics of all customers and of every segment,
// and the models lifetime value comes from.
type EconomicsReport struct {
	At      time.Time         `json:"at"`
	Options economics.Options `json:"options"`
	Model   economics.Model   `json:"model"`
	// Profiles counts the profiles read; the rows count customers, those
	// with an order.
	Profiles int `json:"profiles"`
	// Rows are all customers first, then each segment.
	Rows []EconomicsRow `json:"rows"`
}

// EconomicsRow is one bucket's figures.
type EconomicsRow struct {
	// Segment is the segment's id, or AllCustomers.
	Segment string `json:"segment"`
	Name    string `json:"name"`
	Kind    string `json:"kind"`
	// Members counts the segment's members, customers or not; for all
	// customers, every profile.
	Members int `json:"members"`
	economics.Summary
}

// AllCustomers is the segment id of the row over every customer.
const AllCustomers = "all"

// Economics reports the economics of every segment and of all customers as
// of now, in two passes over the profiles: the first fits the lifetime
// value models on every customer's history, the second forecasts each
// customer and adds them up by segment.
func Economics(ctx context.Context, st Store, o economics.Options, now time.Time) (*EconomicsReport, error) {
	if err := o.Validate(); err != nil {
		return nil, fmt.Errorf("economics report: %w", err)
	}
	segs, err := findSegments(ctx, st)
	if err != nil {
		return nil, fmt.Errorf("economics report: %w", err)
	}
	model, err := fitModel(ctx, st, o, now)
	if err != nil {
		return nil, fmt.Errorf("economics report: %w", err)
	}
	var all economics.Totals
	bySegment := make(map[string]*economics.Totals, len(segs))
	for _, s := range segs {
		bySegment[s.ID] = &economics.Totals{}
	}
	profiles, err := scanCustomers(ctx, st, now, o, func(cs []economics.Customer) error {
		if len(cs) == 0 {
			return nil
		}
		memberships, err := st.FindMemberships(ctx, customerIDs(cs))
		if err != nil {
			return fmt.Errorf("find memberships: %w", err)
		}
		for _, c := range cs {
			f := model.Forecast(c, o)
			all.Add(c, f)
			for _, id := range memberships[c.ID] {
				if t := bySegment[id]; t != nil {
					t.Add(c, f)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("economics report: %w", err)
	}
	rep := &EconomicsReport{At: now.UTC(), Options: o, Model: model, Profiles: profiles}
	rep.Rows = append(rep.Rows, EconomicsRow{Segment: AllCustomers, Name: "All customers", Kind: AllCustomers,
		Members: profiles, Summary: all.Summary()})
	for _, s := range segs {
		rep.Rows = append(rep.Rows, EconomicsRow{Segment: s.ID, Name: s.Name, Kind: s.Kind, Members: s.members,
			Summary: bySegment[s.ID].Summary()})
	}
	return rep, nil
}

// fitModel reads every customer's purchase history and fits the models:
// the only pass that keeps something per customer, a clv.Customer of five
// words.
func fitModel(ctx context.Context, st Profiles, o economics.Options, now time.Time) (economics.Model, error) {
	var histories []clv.Customer
	_, err := scanCustomers(ctx, st, now, o, func(cs []economics.Customer) error {
		for _, c := range cs {
			if c.Timed {
				histories = append(histories, c.History)
			}
		}
		return ctx.Err()
	})
	if err != nil {
		return economics.Model{}, err
	}
	return economics.Fit(histories), nil
}

// customerIDs returns the customers' profile ids.
func customerIDs(cs []economics.Customer) []string {
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	return ids
}

// economicsHeader names the CSV columns of the economics table.
var economicsHeader = []string{"segment", "name", "kind", "members", "customers", "revenue", "gross_margin",
	"margin_basis", "margin_known_share", "service_effort", "messages", "cost_to_serve", "net_contribution",
	"net_per_customer", "roi", "clv", "clv_per_customer", "expected_cost", "expected_net", "p_alive",
	"modelled", "flagged"}

// WriteCSV writes the table, one line per row; the models are in the JSON
// form only.
func (r *EconomicsReport) WriteCSV(w io.Writer) error {
	rows := make([][]string, len(r.Rows))
	for i, e := range r.Rows {
		rows[i] = []string{text(e.Segment), text(e.Name), text(e.Kind), integer(e.Members), integer(e.Customers),
			num(e.Revenue), num(e.GrossMargin), e.MarginBasis, num(e.MarginKnownShare), num(e.ServiceEffort),
			num(e.Messages), num(e.CostToServe), num(e.NetContribution), num(e.NetPerCustomer), optNum(e.ROI),
			num(e.CLV), num(e.CLVPerCustomer), num(e.ExpectedCost), num(e.ExpectedNet), num(e.PAlive),
			integer(e.Modelled), integer(e.Flagged)}
	}
	return writeCSV(w, economicsHeader, rows)
}
