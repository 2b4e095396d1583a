package predict

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
)

var profileNow = time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)

// shopper returns a person whose chance to buy grows with page views and
// webinar visits, and who bought (Order Completed) when drawn so.
func shopper(r *rand.Rand, i int) *rapport.Profile {
	views := r.IntN(30)
	webinars := r.IntN(3)
	p := &rapport.Profile{ID: fmt.Sprintf("p%d", i), Kind: rapport.ProfilePerson,
		Traits: map[string]any{"email": fmt.Sprintf("p%d@example.com", i), "age": float64(20 + r.IntN(50)),
			"plan": []string{"free", "pro"}[r.IntN(2)]}}
	p.Aggregates.FirstSeen = profileNow.AddDate(0, 0, -r.IntN(300))
	p.Aggregates.PageViews = int64(views)
	p.Aggregates.Events = map[string]int64{"page": int64(views), "Webinar Attended": int64(webinars)}
	logit := -3 + 0.15*float64(views) + 0.8*float64(webinars)
	if r.Float64() < 1/(1+math.Exp(-logit)) {
		p.Aggregates.Events[rapport.EventOrderCompleted] = 1
		p.Aggregates.Events["Order Refunded"] = int64(r.IntN(2))
		p.Aggregates.Orders, p.Aggregates.Revenue = 1, 99
	}
	return p
}

func TestProfileRowLeavesOutIdentityAndOutcome(t *testing.T) {
	p := shopper(rand.New(rand.NewPCG(1, 2)), 1)
	p.Aggregates.Events[rapport.EventOrderCompleted] = 2
	p.Aggregates.Events["Order Refunded"] = 1
	p.Traits["firstName"] = "Ann"
	p.Traits["vip"] = true
	p.Aggregates.Channels = map[string]int64{"server": 3, "web": 9}
	row := ProfileRow(p, rapport.EventOrderCompleted, profileNow)
	for _, leak := range []string{"trait.email", "trait.firstName", "events.Order Completed", "events.Order Refunded", "channel.server"} {
		if _, ok := row[leak]; ok {
			t.Errorf("row has %s: %v", leak, row)
		}
	}
	for k, want := range map[string]string{"trait.vip": "true", "trait.plan": p.Traits["plan"].(string), "events.page": fmt.Sprint(p.Aggregates.PageViews)} {
		if row[k] != want {
			t.Errorf("row[%s] = %q, want %q", k, row[k], want)
		}
	}
	if !Converted(p, rapport.EventOrderCompleted) || Converted(p, "Demo Booked") {
		t.Error("Converted is wrong")
	}
	imported := &rapport.Profile{Aggregates: rapport.Aggregates{Orders: 3}}
	if !Converted(imported, rapport.EventOrderCompleted) {
		t.Error("an imported order history does not count as converted")
	}
}

// TestConversionFromProfiles trains on profiles and checks the model
// ranks held-out buyers above non-buyers, and explains with the features
// that drive the outcome.
func TestConversionFromProfiles(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	var rows []map[string]string
	var y []float64
	var profiles []*rapport.Profile
	for i := range 4000 {
		p := shopper(r, i)
		profiles = append(profiles, p)
		rows = append(rows, ProfileRow(p, rapport.EventOrderCompleted, profileNow))
		y = append(y, map[bool]float64{true: 1}[Converted(p, rapport.EventOrderCompleted)])
	}
	d := DatasetFromRows(rows[:3000])
	if c := d.Column("events.Webinar Attended"); c == nil || c.Kind != Numeric {
		t.Fatalf("webinar column %+v, want numeric", c)
	}
	f, err := FitFeaturizer(d)
	if err != nil {
		t.Fatal(err)
	}
	x, err := f.Transform(d)
	if err != nil {
		t.Fatal(err)
	}
	m, err := TrainLogistic(x, y[:3000], f.Names, LogisticOptions{})
	if err != nil {
		t.Fatal(err)
	}
	conv := &Conversion{Outcome: rapport.EventOrderCompleted, Scorer: &Scorer{Features: f, Model: m}}
	var probs []float64
	for _, p := range profiles[3000:] {
		// A held-out person with a trait the model saw as a number now
		// holding text still gets a prediction.
		p.Traits["age"] = "unknown"
		pr, err := conv.Predict(p, profileNow, 3)
		if err != nil {
			t.Fatalf("Predict %s: %v", p.ID, err)
		}
		probs = append(probs, pr.Probability)
	}
	if auc := AUC(probs, y[3000:]); auc < 0.75 {
		t.Errorf("held-out AUC %.3f, want ≥ 0.75 for a planted signal", auc)
	}
	pr, _ := conv.Predict(profiles[3001], profileNow, 2)
	names := map[string]bool{}
	for _, c := range pr.Top {
		names[c.Feature] = true
	}
	if !names["page_views"] && !names["events.page"] && !names["events.Webinar Attended"] {
		t.Errorf("top contributions %+v do not name the planted features", pr.Top)
	}
}
