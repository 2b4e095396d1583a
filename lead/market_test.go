package lead_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/lead"
	"github.com/rapportdev/rapport/predict"
)

// The synthetic market of docs/benchmarks.md: consumers of known intent,
// the more eager of whom inquire several times, sold by vendors of known
// quality, exclusivity and delay; each lead converts or not by a known
// law. Everything here is invented and seeded.

// simVendor is a vendor and the truth about it.
type simVendor struct {
	v         rapport.Vendor
	weight    float64 // share of inquiries it sells
	quality   float64 // log-odds it adds to a conversion
	delayMin  [2]float64
	bots      float64 // share of its leads filled by bots
	agent     float64 // share completed by a call-centre agent
	noConsent float64
}

var simVendors = []simVendor{
	{v: rapport.Vendor{ID: "premium", Name: "Premium exclusive", Exclusive: true, Price: 45}, weight: 0.15, quality: 0.4, delayMin: [2]float64{0.5, 2}},
	{v: rapport.Vendor{ID: "shared", Name: "Shared x3", SharedWith: 3, Price: 18}, weight: 0.35, quality: 0, delayMin: [2]float64{1, 5}},
	{v: rapport.Vendor{ID: "aged", Name: "Aged leads", SharedWith: 1, Price: 8}, weight: 0.15, quality: -0.1, delayMin: [2]float64{120, 2880}},
	{v: rapport.Vendor{ID: "farm", Name: "Cheap traffic", SharedWith: 2, Price: 15}, weight: 0.15, quality: -0.6, delayMin: [2]float64{1, 10}, bots: 0.25, noConsent: 0.2},
	{v: rapport.Vendor{ID: "callcentre", Name: "Call-centre transfers", Exclusive: true, Price: 25}, weight: 0.2, quality: -0.2, delayMin: [2]float64{5, 20}, agent: 0.8},
}

// simLead is a lead offered on the market and its fate.
type simLead struct {
	lead      rapport.Lead
	vendor    *simVendor
	person    int
	converted bool
}

var (
	marketStart = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	// marketSplit ends the history the model learns from; the test
	// period follows it.
	marketSplit = marketStart.AddDate(0, 0, 60)
	simValues   = map[string]float64{"auto": 700, "home": 1600, "life": 1000}
	simPricing  = lead.Pricing{CustomerValue: 1000, ValueBy: map[string]map[string]float64{"product": simValues},
		CostToWork: 15, Margin: 0.2, HotProbability: 0.15, WarmProbability: 0.05}
)

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

// market generates the leads of people consumers over 90 days, in
// submission order, each with its earlier inquiries counted as intake
// would count them when every lead is bought.
func market(seed uint64, people int) []simLead {
	rng := rand.New(rand.NewPCG(seed, 7))
	var out []simLead
	for p := range people {
		z := rng.NormFloat64()*1.1 - 2.9 // the person's intent, in log-odds
		product := []string{"auto", "home", "life"}[rng.IntN(3)]
		credit := creditOf(z, rng)
		n := 1 + poisson(rng, 1.6*sigmoid(z+1.8))
		t := marketStart.Add(time.Duration(rng.Float64() * 90 * 24 * float64(time.Hour)))
		for range n {
			out = append(out, offer(rng, p, z, product, credit, t))
			t = t.Add(time.Duration(rng.ExpFloat64() * 3 * 24 * float64(time.Hour)))
		}
	}
	for range people / 12 { // bot traffic, sold by the vendors that take it
		out = append(out, botLead(rng, len(out)+people))
	}
	slices.SortFunc(out, func(a, b simLead) int { return a.lead.SubmittedAt.Compare(b.lead.SubmittedAt) })
	countInquiries(out)
	return out
}

func creditOf(z float64, rng *rand.Rand) string {
	c := 0.6*(z+2.9) + rng.NormFloat64()
	switch {
	case c > 1:
		return "excellent"
	case c > 0:
		return "good"
	case c > -1:
		return "fair"
	}
	return "poor"
}

func poisson(rng *rand.Rand, lambda float64) int {
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

func pickVendor(rng *rand.Rand, bots bool) *simVendor {
	r := rng.Float64()
	if bots {
		return &simVendors[3]
	}
	for i := range simVendors {
		if r -= simVendors[i].weight; r <= 0 {
			return &simVendors[i]
		}
	}
	return &simVendors[len(simVendors)-1]
}

// offer makes one inquiry of person p, and whether it converts when the
// buyer works it: intent, the vendor's quality, the age at the first call
// (the vendor's delay plus the buyer's own, about 15 minutes), the
// competitors calling a shared lead, and how the form was filled.
func offer(rng *rand.Rand, p int, z float64, product, credit string, t time.Time) simLead {
	sv := pickVendor(rng, false)
	delay := sv.delayMin[0] + rng.Float64()*(sv.delayMin[1]-sv.delayMin[0])
	secs := math.Exp(4.0 + 0.25*(z+2.9) + 0.5*rng.NormFloat64())
	input := []string{"typed", "typed", "typed", "autofilled", "mixed", "pasted"}[rng.IntN(6)]
	by := "consumer"
	if rng.Float64() < sv.agent {
		by = "agent"
	}
	l := rapport.Lead{ID: fmt.Sprintf("ld_%d_%d", p, t.UnixNano()), VendorID: sv.v.ID, Price: sv.v.Price,
		Person:      rapport.LeadPerson{Email: fmt.Sprintf("p%d@example.com", p), BirthYear: 1950 + rng.IntN(50)},
		Answers:     map[string]any{"product": product, "credit": credit},
		SubmittedAt: t, ReceivedAt: t.Add(time.Duration(delay * float64(time.Minute))),
		Form:    rapport.FormSignals{Seconds: math.Round(secs), Input: input, CompletedBy: by, BotScore: math.Round(rng.Float64()*0.3*100) / 100},
		Journey: rapport.LeadJourney{Visits: 1 + poisson(rng, 2+2*sigmoid(z+2))}}
	l.DeliveredAt = l.ReceivedAt
	l.Contactable = rng.Float64() >= sv.noConsent
	l.Engagement, l.EngagementLevel = lead.FormEngagement(&l.Form)
	callAge := delay/60 + rng.ExpFloat64()*0.25
	form := 0.0
	if input == "typed" && secs > 30 {
		form += 0.3
	}
	if by == "agent" {
		form -= 0.5
	}
	logit := z + sv.quality - 0.45*math.Log1p(callAge) - 0.35*float64(sv.v.SharedWith) + form
	converted := l.Contactable && rng.Float64() < sigmoid(logit)
	return simLead{lead: l, vendor: sv, person: p, converted: converted}
}

// botLead is a form filled by a program: it never converts.
func botLead(rng *rand.Rand, p int) simLead {
	sv := pickVendor(rng, true)
	t := marketStart.Add(time.Duration(rng.Float64() * 90 * 24 * float64(time.Hour)))
	l := rapport.Lead{ID: fmt.Sprintf("ld_bot_%d", p), VendorID: sv.v.ID, Price: sv.v.Price,
		Person:      rapport.LeadPerson{Email: fmt.Sprintf("bot%d@example.com", p)},
		Answers:     map[string]any{"product": "auto", "credit": "excellent"},
		SubmittedAt: t, ReceivedAt: t.Add(3 * time.Minute), DeliveredAt: t.Add(3 * time.Minute), Contactable: true,
		Form: rapport.FormSignals{Seconds: math.Round(2 + rng.Float64()*15), Input: "pasted", CompletedBy: "consumer",
			DeviceLeads5m: rng.IntN(8), BotScore: math.Round((0.4+rng.Float64()*0.6)*100) / 100}}
	l.Engagement, l.EngagementLevel = lead.FormEngagement(&l.Form)
	return simLead{lead: l, vendor: sv, person: p}
}

// history is what the store knows of each person: the leads bought.
type history map[int]*personHistory

type personHistory struct {
	n       int
	last    time.Time
	vendors map[string]bool
}

// apply sets a lead's person fields from the history, as the store does
// at intake.
func (h history) apply(l *simLead) {
	ph := h[l.person]
	if ph == nil {
		ph = &personHistory{vendors: map[string]bool{}}
		h[l.person] = ph
	}
	l.lead.Inquiry, l.lead.EarlierAt, l.lead.EarlierVendors = ph.n+1, ph.last, len(ph.vendors)
	l.lead.PersonID = fmt.Sprint(l.person)
}

// add records a bought lead.
func (h history) add(l *simLead) {
	ph := h[l.person]
	ph.n++
	ph.last = l.lead.SubmittedAt
	ph.vendors[l.lead.VendorID] = true
}

// countInquiries sets each lead's person history from every earlier lead
// of the same person, as intake does when every lead is bought.
func countInquiries(ls []simLead) {
	h := history{}
	for i := range ls {
		h.apply(&ls[i])
		h.add(&ls[i])
	}
}

func examples(ls []simLead) []lead.Example {
	ex := make([]lead.Example, len(ls))
	for i := range ls {
		ex[i] = lead.Example{Lead: ls[i].lead, Vendor: &ls[i].vendor.v, Converted: ls[i].converted}
	}
	return ex
}

func splitMarket(ls []simLead) (history, test []simLead) {
	for _, l := range ls {
		if l.lead.SubmittedAt.Before(marketSplit) {
			history = append(history, l)
		} else {
			test = append(test, l)
		}
	}
	return history, test
}

// outcome sums up a buying strategy over the test period.
type outcome struct {
	bought, conversions         int
	spend, revenue, workingCost float64
}

func (o outcome) profit() float64 { return o.revenue - o.spend - o.workingCost }

func (o outcome) String() string {
	return fmt.Sprintf("%6d leads, %5d conversions, spend %9.0f, revenue %9.0f, profit %9.0f, ROI %5.2f",
		o.bought, o.conversions, o.spend, o.revenue, o.profit(), o.profit()/(o.spend+o.workingCost))
}

// buy runs the test period in order: a strategy is offered each lead at
// its asking price and buys it or not; the person history the price sees
// is the leads bought before (in the history period every lead was
// bought), as the store would hold it. Bought leads that may be contacted
// are worked.
func buy(all []simLead, want func(l *rapport.Lead, v *rapport.Vendor) bool) outcome {
	ls := slices.Clone(all)
	h := history{}
	var o outcome
	for i := range ls {
		l := &ls[i]
		h.apply(l)
		if l.lead.SubmittedAt.Before(marketSplit) {
			h.add(l)
			continue
		}
		if !want(&l.lead, &l.vendor.v) {
			continue
		}
		h.add(l)
		o.bought++
		o.spend += l.lead.Price
		if !l.lead.Contactable {
			continue
		}
		o.workingCost += simPricing.CostToWork
		if l.converted {
			o.conversions++
			o.revenue += simValues[l.lead.Answers["product"].(string)]
		}
	}
	return o
}

// personAUC ranks the people of the test period by score and measures how
// well the ranking finds those who converted (on any lead). A person's
// score is the chance that any of their leads scored converts,
// 1 − Π(1 − pᵢ).
func personAUC(test []simLead, score func(l *simLead) (float64, bool)) float64 {
	miss, conv := map[int]float64{}, map[int]bool{}
	for i := range test {
		l := &test[i]
		p, ok := score(l)
		if !ok {
			continue
		}
		if _, seen := miss[l.person]; !seen {
			miss[l.person] = 1
		}
		miss[l.person] *= 1 - p
		conv[l.person] = conv[l.person] || l.converted
	}
	var scores, labels []float64
	for p, m := range miss {
		scores = append(scores, 1-m)
		labels = append(labels, map[bool]float64{true: 1}[conv[p]])
	}
	return predict.AUC(scores, labels)
}

// leadAUC measures a model on every lead of test.
func leadAUC(test []simLead, e lead.Estimator) float64 {
	scores, labels := make([]float64, len(test)), make([]float64, len(test))
	for i := range test {
		scores[i] = e.Probability(&test[i].lead, &test[i].vendor.v)
		labels[i] = map[bool]float64{true: 1}[test[i].converted]
	}
	return predict.AUC(scores, labels)
}

// TestSyntheticMarket is the benchmark of docs/benchmarks.md: it prints
// the figures and checks the two claims.
func TestSyntheticMarket(t *testing.T) {
	if testing.Short() {
		t.Skip("trains on the synthetic market; skipped with -short")
	}
	for seed := uint64(1); seed <= 3; seed++ {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) { syntheticMarket(t, seed) })
	}
}

func syntheticMarket(t *testing.T, seed uint64) {
	all := market(seed, 30_000)
	history, test := splitMarket(all)
	answers := []string{"product", "credit"}
	m, err := lead.Train(examples(history), lead.TrainOptions{Answers: answers, TestShare: 0.3, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("market: %d leads offered (%d history, %d test), %d people, lead conversion %.1f%%",
		len(all), len(history), len(test), 30_000, 100*convRate(all))
	t.Logf("lead model (logistic): AUC %.4f on 30%% of the history held out", m.AUC)

	askAll := buy(all, func(*rapport.Lead, *rapport.Vendor) bool { return true })
	withModel := buy(all, bidder(m))
	withPrior := buy(all, bidder(lead.Prior{}))
	t.Logf("pay every asking price:        %s", askAll)
	t.Logf("Rapport max price (model):     %s", withModel)
	t.Logf("Rapport max price (prior):     %s", withPrior)
	if withModel.profit() <= askAll.profit() {
		t.Errorf("recommended prices earn %.0f, paying every asking price %.0f; want more", withModel.profit(), askAll.profit())
	}
	for _, sv := range simVendors {
		var offered, took int
		for i := range test {
			if test[i].vendor.v.ID == sv.v.ID {
				offered++
				if bidder(m)(&test[i].lead, &sv.v) {
					took++
				}
			}
		}
		t.Logf("  vendor %-10s asks %5.2f: bought %4.1f%% of its leads at the asking price", sv.v.ID, sv.v.Price, 100*float64(took)/float64(offered))
	}

	// Duplicates as intent, against dropping them: one model learns from
	// every inquiry with the person's earlier ones counted; the other
	// keeps each person's first lead only, as a buyer that discards
	// duplicates does, and sees no history. People of the test period are
	// ranked by their latest lead (kept) or their first (dropped).
	dropped, firstOf := dropDuplicates(history), map[int]bool{}
	noHistory := []string{"earlier_inquiries", "earlier_vendors", "days_since_earlier"}
	md, err := lead.Train(examples(dropped), lead.TrainOptions{Answers: answers, Drop: noHistory})
	if err != nil {
		t.Fatal(err)
	}
	kept := personAUC(test, func(l *simLead) (float64, bool) { return m.Probability(&l.lead, &l.vendor.v), true })
	drop := personAUC(test, func(l *simLead) (float64, bool) {
		if firstOf[l.person] {
			return 0, false
		}
		firstOf[l.person] = true
		return md.Probability(&l.lead, &l.vendor.v), true
	})
	t.Logf("people of the test period ranked: AUC %.4f treating duplicates as intent, %.4f dropping them", kept, drop)
	blind, err := lead.Train(examples(history), lead.TrainOptions{Answers: answers, Drop: noHistory})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("every test lead ranked: AUC %.4f with the earlier inquiries counted, %.4f without", leadAUC(test, m), leadAUC(test, blind))
	if kept <= drop {
		t.Errorf("duplicates as intent AUC %.4f, dropping them %.4f; want higher", kept, drop)
	}
	t.Logf("duplicates: %s", dupShare(all))
}

// bidder buys a lead when its asking price is at most Rapport's
// recommended maximum price.
func bidder(e lead.Estimator) func(l *rapport.Lead, v *rapport.Vendor) bool {
	return func(l *rapport.Lead, v *rapport.Vendor) bool {
		c := *l
		lead.Complete(&c, v, e, simPricing, nil, 0)
		return c.Price <= c.Value.MaxPrice
	}
}

func dropDuplicates(ls []simLead) []simLead {
	seen := map[int]bool{}
	var out []simLead
	for _, l := range ls {
		if !seen[l.person] {
			seen[l.person] = true
			out = append(out, l)
		}
	}
	return out
}

func convRate(ls []simLead) float64 {
	n := 0
	for _, l := range ls {
		if l.converted {
			n++
		}
	}
	return float64(n) / float64(len(ls))
}

func dupShare(ls []simLead) string {
	var first, again, convFirst, convAgain int
	for _, l := range ls {
		if l.lead.Inquiry > 1 {
			again++
			if l.converted {
				convAgain++
			}
		} else {
			first++
			if l.converted {
				convFirst++
			}
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%.1f%% of leads are repeat inquiries; conversion %.1f%% for a first inquiry, %.1f%% for a repeat",
		100*float64(again)/float64(len(ls)), 100*float64(convFirst)/float64(first), 100*float64(convAgain)/float64(again))
	return b.String()
}
