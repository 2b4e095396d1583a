package segment

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
)

// now is the clock of the tests: a Wednesday.
var now = time.Date(2025, 3, 12, 15, 0, 0, 0, time.UTC)

func mustCompile(t testing.TB, id, expression string) *Segment {
	t.Helper()
	s, err := Compile(Definition{ID: id, Name: id, Expression: expression})
	if err != nil {
		t.Fatalf("compile %s: %v", id, err)
	}
	return s
}

// realisticSegments returns n segments of the shapes shops write, with
// varying constants.
func realisticSegments(t testing.TB, n int) []*Segment {
	t.Helper()
	shapes := []string{
		`orders >= %[1]d`,
		`revenue > %[1]d * 50`,
		`grade == "A" && engagement >= %[1]d`,
		`stage in ["loyal_customer", "advocate"] && orders > %[1]d`,
		`count("Order Completed", %[1]d + 30) >= 2`,
		`days_since_last_order > %[1]d * 10 && orders > 0`,
		`purchase_channels["in-store"] > %[1]d`,
		`traits.influencer == true || (traits.followers ?? 0) >= %[1]d * 1000`,
		`rfm.group == "champions" || rfm.r >= 4 && rfm.f >= %[1]d`,
		`categories["flowers"] > %[1]d * 10`,
		`bought("flowers", "02-07", "02-14") && orders >= %[1]d`,
		`has_trait("email") && engagement > %[1]d`,
		`fit >= %[1]d && priority >= 50`,
		`channels["mobile"] > %[1]d || channels["web"] > %[1]d * 2`,
		`traits.country in ["FR", "DE", "ES"] && revenue > %[1]d`,
		`aov > %[1]d and margin > 10`,
		`grade in ["A", "B"] and days_since_last_seen < %[1]d`,
		`stage == "at_risk" && revenue >= %[1]d * 20`,
		`events["Product Viewed"] >= %[1]d && orders == 0`,
		`tenure_days > %[1]d * 30 && rfm.m >= 3`,
	}
	segs := make([]*Segment, n)
	for i := range segs {
		expr := fmt.Sprintf(shapes[i%len(shapes)], 1+i/len(shapes))
		segs[i] = mustCompile(t, fmt.Sprintf("s%03d", i), expr)
	}
	return segs
}

// shopper is a hand-built customer who matches many segments.
func shopper() (*rapport.Profile, *rapport.ScoreRecord, *rapport.EventHistory) {
	p := &rapport.Profile{
		ID: "p1",
		Traits: map[string]any{
			"email": "ann@example.com", "country": "FR", "influencer": false, "followers": 12000.0,
		},
		Aggregates: rapport.Aggregates{
			FirstSeen: now.AddDate(-1, 0, 0), LastSeen: now.Add(-2 * time.Hour),
			Events:   map[string]int64{"Order Completed": 3, "Product Viewed": 40, "page": 120},
			Channels: map[string]int64{"web": 100, "mobile": 60, "in-store": 3},
			Orders:   3, Revenue: 240, Margin: 80, AverageOrderValue: 80,
			FirstOrderAt: now.AddDate(0, -6, 0), LastOrderAt: now.AddDate(0, 0, -20),
			PurchaseChannels: map[string]int64{"web": 2, "in-store": 1},
			Categories:       map[string]float64{"flowers": 120, "vases": 120},
			Brands:           map[string]float64{"Bloom": 240},
		},
	}
	score := &rapport.ScoreRecord{ProfileID: "p1", Fit: 72, Grade: "A", Engagement: 81, Stage: "loyal_customer", Priority: 77}
	h := &rapport.EventHistory{}
	for _, d := range []int{-200, -50, -20} {
		h.Add("Order Completed", now.AddDate(0, 0, d), 400)
	}
	h.AddPurchase("flowers", time.Date(2024, 2, 10, 9, 0, 0, 0, time.UTC))
	return p, score, h
}

// randomEnv returns a profile's Env with values drawn from small sets, so
// that they meet the constants of test expressions, and traits of every
// type, so that comparisons fail the way they fail in the program.
func randomEnv(r *rand.Rand) Env {
	pick := func(vals ...any) any { return vals[r.IntN(len(vals))] }
	env := Env{
		Traits:           map[string]any{},
		Events:           map[string]int64{},
		Channels:         map[string]int64{},
		PurchaseChannels: map[string]int64{},
		Browsers:         map[string]int64{},
		OrderWeekdays:    map[string]int64{},
		Categories:       map[string]float64{},
		Brands:           map[string]float64{},
		Orders:           r.IntN(6),
		Revenue:          float64(r.IntN(10)) * 50,
		Margin:           float64(r.IntN(7)-1) * 10,
		AOV:              float64(r.IntN(300)) / 2,
		Fit:              float64(r.IntN(11)) * 10,
		Grade:            pick("A", "B", "C", "D", "").(string),
		Engagement:       float64(r.IntN(101)),
		Stage:            pick("prospect", "lead", "new_customer", "loyal_customer", "advocate", "at_risk", "loyal").(string),
		Priority:         float64(r.IntN(100)),
		Now:              now,
	}
	for _, k := range []string{"followers", "influencer", "country", "tags", "email", "age"} {
		if r.IntN(4) == 0 {
			continue // not set
		}
		env.Traits[k] = pick(nil, true, false, "FR", "DE", "", "none", "10000", 0.0, 50.0, 100.0, 10000.0, 12000.0, 3.5, -1.0,
			[]any{"sale", "vip"}, []any{}, map[string]any{"a": 1.0})
	}
	for _, k := range []string{"Order Completed", "Product Viewed", "page"} {
		if n := r.IntN(4); n > 0 {
			env.Events[k] = int64(n)
		}
	}
	for _, k := range []string{"web", "mobile", "in-store"} {
		if n := r.IntN(3); n > 0 {
			env.Channels[k] = int64(n)
			env.PurchaseChannels[k] = int64(r.IntN(2))
		}
	}
	if r.IntN(2) == 0 {
		env.Browsers[pick("Safari", "Chrome").(string)] = int64(1 + r.IntN(3))
		env.OrderWeekdays[pick("sat", "sun", "mon").(string)] = int64(r.IntN(3))
	}
	for _, k := range []string{"flowers", "vases"} {
		if r.IntN(2) == 0 {
			env.Categories[k] = float64(r.IntN(5)) * 10
			env.Brands["Bloom"] = float64(r.IntN(5)) * 10
		}
	}
	env.RFM = RFM{R: r.IntN(6), F: r.IntN(6), M: r.IntN(6), Group: pick("", Champions, LoyalCustomers, AtRisk, Lost).(string)}
	for _, id := range []string{"vip", "s1", "s2"} {
		if r.IntN(2) == 0 {
			env.Segments = append(env.Segments, id)
		}
	}
	if r.IntN(3) > 0 {
		env.LastOrderAt = now.Add(-time.Duration(r.IntN(400*24)) * time.Hour).Truncate(time.Second)
		env.FirstSeen = env.LastOrderAt.AddDate(0, -r.IntN(24), 0)
		env.LastSeen = env.LastOrderAt
	}
	env.DaysSinceLastOrder = daysSince(env.LastOrderAt, now)
	env.DaysSinceLastSeen = daysSince(env.LastSeen, now)
	if !env.FirstSeen.IsZero() {
		env.TenureDays = now.Sub(env.FirstSeen).Hours() / 24
	}
	h := &rapport.EventHistory{}
	for range r.IntN(5) {
		h.Add(pick("Order Completed", "Product Viewed").(string), now.AddDate(0, 0, -r.IntN(120)), 400)
	}
	for range r.IntN(3) {
		h.AddPurchase(pick("flowers", "vases").(string), now.AddDate(0, 0, -r.IntN(800)))
	}
	env.bind(h)
	return env
}

// testExpressions exercise every planned shape, the program's failures
// inside them, and shapes left to the program.
var testExpressions = []string{
	`count("Order Completed", 90) >= 2`,
	`bought("flowers", "02-07", "02-14")`,
	`bought("flowers", "12-20", "01-05") || bought("vases", "03-01", "03-31")`,
	`traits.influencer == true || (traits.followers ?? 0) >= 10000`,
	`purchase_channels["in-store"] > 0`,
	`browsers["Safari"] > 0 && (order_weekdays["sat"] ?? 0) + (order_weekdays["sun"] ?? 0) >= 1`,
	`grade == "A" && engagement >= 70`,
	`stage in ["loyal", "advocate"]`,
	`rfm.group == "champions"`,
	`traits.followers > 100`,
	`!(traits.followers > 100)`,
	`traits.followers > 100 || orders > 2`,
	`orders > 2 || traits.followers > 100`,
	`not (grade in ["A", "B"])`,
	`"vip" in segments && !("s1" in segments)`,
	`traits.country == "FR"`,
	`traits.country != "FR"`,
	`traits.country in ["FR", 1, true, nil]`,
	`traits.country not in ["FR", "DE"]`,
	`traits.country startsWith "F"`,
	`traits.country matches "^[A-F]"`,
	`"FR" == traits.country`,
	`100 < traits.followers`,
	`traits.followers in [50, 100.0, "10000"]`,
	`(traits.followers ?? "none") == "none"`,
	`(traits.followers ?? 0) < 50`,
	`(traits.age ?? -1) <= 0 and has_trait("email")`,
	`has_trait("email")`,
	`"email" in traits`,
	`"web" in channels || "flowers" in categories`,
	`count("Order Completed", 30) > 0 && count("Product Viewed", 7) == 0`,
	`rfm.r >= 4 and rfm.group in ["champions", "loyal_customers"]`,
	`rfm.f + rfm.m >= 8`,
	`len(traits) > 2`,
	`any(segments, # startsWith "s")`,
	`revenue / max(orders, 1) > 50`,
	`stage < "m"`,
	`"m" > stage`,
	`grade <= "B" && grade != ""`,
	`stage endsWith "customer" || stage contains "vo"`,
	`events["Order Completed"] in [1, 2, 3]`,
	`orders in [0, 2]`,
	`orders in 1..3`,
	`orders == 2.0 || revenue == 100`,
	`days_since_last_order <= 30 && tenure_days > 100`,
	`days_since_last_order > 365`,
	`traits.tags != nil && "sale" in traits.tags`,
	`"sale" in traits.tags`,
	`now.Year() == 2025 && last_order_at > now - duration("720h")`,
	`false && traits.followers > 1`,
	`traits.followers > 1 && false`,
	`!(traits.followers > 1 && false)`,
	`true || traits.followers > 1`,
	`traits.influencer`,
	`traits.influencer && orders > 1`,
	`-1 < margin && margin != 0`,
	`aov >= 1e2 && categories.flowers >= 20`,
	`brands["Bloom"] > 10 and len(traits.tags ?? []) == 0`,
	`fit >= 50 && priority < 50 && (grade == "B" || "vip" in segments)`,
	`orders > 0 && traits.country in ["FR", "DE"] && revenue / orders > 100`,
	`traits.followers >= 10000 && len(traits) >= 0`,
	`!has_trait("age") || traits.age > 10`,
	`orders >= 9007199254740993 || events.page > 1`,
}
