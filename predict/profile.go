package predict

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rapportdev/rapport"
)

// identifying lists traits that name a person rather than describe them:
// they would only let a model memorise who converted.
var identifying = map[string]bool{
	"email": true, "phone": true, "name": true, "firstname": true, "lastname": true, "first_name": true,
	"last_name": true, "userid": true, "user_id": true, "id": true, "username": true, "address": true,
	"birthday": true, "avatar": true, "website": true, "title": true,
}

// orderEvents are the events a purchase outcome brings with it.
var orderEvents = map[string]bool{
	rapport.EventOrderCompleted: true, "Order Refunded": true, "Order Cancelled": true, "Order Updated": true,
}

// ProfileRow turns a profile into a row of column values for a model of
// outcome: its describing traits (scalars), how long it has been known,
// and what it did (event counts) — leaving out the outcome event itself
// and, for a purchase outcome, everything orders bring (revenue, order
// counts, refunds), which would give the answer away. Counts by channel
// are left out too: they count the outcome events with the rest (an
// imported or server-side order counts under "server"), so a channel
// column would tell the model who converted.
func ProfileRow(p *rapport.Profile, outcome string, now time.Time) map[string]string {
	row := map[string]string{}
	for k, v := range p.Traits {
		if identifying[strings.ToLower(k)] {
			continue
		}
		switch x := v.(type) {
		case string:
			row["trait."+k] = x
		case bool:
			row["trait."+k] = strconv.FormatBool(x)
		default:
			if f, ok := rapport.Number(v); ok {
				row["trait."+k] = strconv.FormatFloat(f, 'g', -1, 64)
			}
		}
	}
	a := &p.Aggregates
	if !a.FirstSeen.IsZero() {
		row["tenure_days"] = strconv.FormatFloat(now.Sub(a.FirstSeen).Hours()/24, 'f', 1, 64)
	}
	row["page_views"] = strconv.FormatInt(a.PageViews, 10)
	row["screen_views"] = strconv.FormatInt(a.Screens, 10)
	purchase := orderEvents[outcome]
	for name, n := range a.Events {
		if name == outcome || (purchase && orderEvents[name]) {
			continue
		}
		row["events."+name] = strconv.FormatInt(n, 10)
	}
	return row
}

// Converted reports whether the profile did the outcome: the event by
// name, or for a purchase outcome an order in its ledger (imported
// orders count).
func Converted(p *rapport.Profile, outcome string) bool {
	if p.Aggregates.Events[outcome] > 0 {
		return true
	}
	return outcome == rapport.EventOrderCompleted && p.Aggregates.Orders > 0
}

// DatasetFromRows makes a dataset of rows of column values: a column per
// name any row has, missing ("") where a row lacks it, kinds detected as
// for a CSV file. Event and channel counts a row lacks are zero, not
// missing: the profile did not do them.
func DatasetFromRows(rows []map[string]string) *Dataset {
	names := map[string]bool{}
	for _, r := range rows {
		for k := range r {
			names[k] = true
		}
	}
	sorted := make([]string, 0, len(names))
	for k := range names {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	d := &Dataset{}
	for _, name := range sorted {
		c := &Column{Name: name, Values: make([]string, len(rows))}
		zero := strings.HasPrefix(name, "events.")
		for i, r := range rows {
			v, ok := r[name]
			if !ok && zero {
				v = "0"
			}
			c.Values[i] = v
		}
		d.Columns = append(d.Columns, c)
	}
	d.Lines = make([]int, len(rows))
	for i := range d.Lines {
		d.Lines[i] = i + 1
	}
	d.detectKinds()
	return d
}

// Conversion is a trained model of an outcome, as stored with the
// profiles it scores.
type Conversion struct {
	// Outcome is the event the model predicts, e.g. "Order Completed".
	Outcome string  `json:"outcome"`
	Scorer  *Scorer `json:"scorer"`
	// AUC is measured on the held-out profiles when it was trained.
	AUC       float64   `json:"auc"`
	TrainedAt time.Time `json:"trainedAt"`
}

// Prediction is a profile's probability of the outcome with the features
// that moved it most.
type Prediction struct {
	Outcome     string         `json:"outcome"`
	Probability float64        `json:"probability"`
	Converted   bool           `json:"converted"`
	Top         []Contribution `json:"top"`
}

// Predict scores a profile; a profile that already converted is reported
// as such, with the model's probability still given.
func (c *Conversion) Predict(p *rapport.Profile, now time.Time, k int) (Prediction, error) {
	prob, top, err := c.Scorer.Score(c.conform(ProfileRow(p, c.Outcome, now)), k)
	if err != nil {
		return Prediction{}, err
	}
	return Prediction{Outcome: c.Outcome, Probability: prob, Converted: Converted(p, c.Outcome), Top: top}, nil
}

// conform makes a profile's row read as the training rows did: counts it
// lacks are zero, and a trait the model learnt as a number but that now
// holds text counts as missing rather than failing the prediction.
func (c *Conversion) conform(row map[string]string) map[string]string {
	for _, fc := range c.Scorer.Features.Columns {
		v, ok := row[fc.Name]
		if !ok && strings.HasPrefix(fc.Name, "events.") {
			row[fc.Name] = "0"
			continue
		}
		if fc.Kind == Numeric && !IsMissing(v) {
			if _, ok := parseNumber(v); !ok {
				row[fc.Name] = ""
			}
		}
	}
	return row
}
