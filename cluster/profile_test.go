package cluster

import (
	"math"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
)

var profileNow = time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)

// customer is a stored profile with orders, shaped by the arguments.
func customer(orders int64, revenue float64, channels map[string]int64, categories map[string]float64, traits map[string]any, tickets int64) *rapport.Profile {
	return &rapport.Profile{ID: "p", Kind: rapport.ProfilePerson, Traits: traits, Aggregates: rapport.Aggregates{
		Orders: orders, Revenue: revenue, AverageOrderValue: revenue / float64(orders), Sessions: 9,
		FirstOrderAt: profileNow.Add(-90 * 24 * time.Hour), LastOrderAt: profileNow.Add(-36 * time.Hour),
		PurchaseChannels: channels, Categories: categories, Brands: map[string]float64{"Northpeak": revenue},
		Events: map[string]int64{EventSupportTicket: tickets, rapport.EventOrderCompleted: orders},
	}}
}

func TestProfileFeatures(t *testing.T) {
	space := ProfileSpace{Categories: []string{"Jackets", "Shoes"}}
	wantNames := []string{"recency_days", "frequency", "monetary", "average_order_value", "share_in_store", "share_phone", "share_online",
		"category_share:Jackets", "category_share:Shoes", "service_effort", "influence", "age"}
	if got := space.Names(); !slices.Equal(got, wantNames) {
		t.Fatalf("names %v, want %v", got, wantNames)
	}
	nan := math.NaN()
	tests := []struct {
		name string
		p    *rapport.Profile
		want []float64 // nil: not a customer
	}{
		{"no orders", &rapport.Profile{Traits: map[string]any{"age": 30.0}}, nil},
		{"nil", nil, nil},
		{"brand buyer in store, effort from its trait",
			customer(2, 600, map[string]int64{"in-store": 2}, map[string]float64{"Jackets": 450, "Shoes": 150},
				map[string]any{"age": 37.0, "service_effort": 3.0, "followers": "0"}, 5),
			[]float64{1.5, 2, 600, 300, 1, 0, 0, 0.75, 0.25, 3, 0, 37}},
		{"influencer online: web and app are both online, followers log-scaled",
			customer(4, 120, map[string]int64{"web": 3, "mobile": 1}, map[string]float64{"Accessories": 120},
				map[string]any{"age": "19", "followers": 2999.0}, 0),
			[]float64{1.5, 4, 120, 30, 0, 0, 1, 0, 0, 1, math.Log(3000), 19}},
		{"phone and a marketplace; effort from two tickets an order, no age",
			customer(4, 100, map[string]int64{"phone": 3, "marketplace": 1}, map[string]float64{"Shoes": 50, "Gear": 50},
				map[string]any{"followers": -5.0}, 8),
			[]float64{1.5, 4, 100, 25, 0, 0.75, 0, 0, 0.5, 7, 0, nan}},
		{"effort capped at 10, out-of-range trait clamped, impossible age unknown",
			customer(1, 10, nil, nil, map[string]any{"service_effort": 42.0, "age": 250.0}, 0),
			[]float64{1.5, 1, 10, 10, 0, 0, 0, 0, 0, 10, 0, nan}},
		{"effort from many tickets capped at 10",
			customer(1, 10, nil, nil, nil, 9),
			[]float64{1.5, 1, 10, 10, 0, 0, 0, 0, 0, 10, 0, nan}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := space.ProfileFeatures(tt.p, profileNow)
			if ok != (tt.want != nil) {
				t.Fatalf("ok %v, want %v", ok, tt.want != nil)
			}
			if !closeRows(got, tt.want) {
				t.Errorf("row\n got  %v\n want %v", got, tt.want)
			}
		})
	}
}

// closeRows compares rows to 1e-9, NaN equal to NaN.
func closeRows(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.IsNaN(a[i]) != math.IsNaN(b[i]) || !math.IsNaN(a[i]) && math.Abs(a[i]-b[i]) > 1e-9 {
			return false
		}
	}
	return true
}

// TestProfileMemberFeedsDescribe checks the member keeps what persona
// cards read: raw followers (not log-scaled), sessions, the three mixes,
// and no age when none is known.
func TestProfileMemberFeedsDescribe(t *testing.T) {
	p := customer(4, 120, map[string]int64{"web": 4}, map[string]float64{"Accessories": 120}, map[string]any{"followers": 3000.0}, 0)
	m, ok := ProfileMember(p, profileNow)
	if !ok {
		t.Fatal("a customer with orders is not a member")
	}
	want := map[string]float64{FeatureRecency: 1.5, FeatureFrequency: 4, FeatureMonetary: 120, FeatureAverageOrderValue: 30,
		FeatureServiceEffort: 1, FeatureFollowers: 3000, FeatureSessions: 9}
	if !reflect.DeepEqual(m.Features, want) {
		t.Errorf("features %v, want %v", m.Features, want)
	}
	if m.Channels["web"] != 4 || m.Categories["Accessories"] != 120 || m.Brands["Northpeak"] != 120 {
		t.Errorf("mixes %v %v %v", m.Channels, m.Categories, m.Brands)
	}
	m.Categories["Accessories"] = 0
	if p.Aggregates.Categories["Accessories"] != 120 {
		t.Error("the member shares its category map with the profile")
	}
}

func TestNewProfileSpace(t *testing.T) {
	members := []Member{
		{Categories: map[string]float64{"Shoes": 100, "Bags": 50, "Gear": 60}},
		{Categories: map[string]float64{"Jackets": 120, "Bags": 10, "Broken": math.Inf(1), "Refunded": -5}},
		{},
	}
	tests := []struct {
		top  int
		want []string
	}{
		{2, []string{"Jackets", "Shoes"}},
		{3, []string{"Jackets", "Shoes", "Bags"}}, // Bags and Gear tie at 60: by name
		{10, []string{"Jackets", "Shoes", "Bags", "Gear"}},
		{0, []string{}},
	}
	for _, tt := range tests {
		if got := NewProfileSpace(members, tt.top).Categories; !slices.Equal(got, tt.want) {
			t.Errorf("top %d: %v, want %v", tt.top, got, tt.want)
		}
	}
}

func TestProfileMatrixFillsUnknownsWithMedians(t *testing.T) {
	space := ProfileSpace{}
	member := func(age, recency float64) Member {
		f := map[string]float64{FeatureFrequency: 1, FeatureMonetary: 10, FeatureAverageOrderValue: 10, FeatureServiceEffort: 1, FeatureRecency: recency}
		if !math.IsNaN(age) {
			f[FeatureAge] = age
		}
		return Member{Features: f}
	}
	x := space.ProfileMatrix([]Member{member(20, 5), member(math.NaN(), 7), member(40, math.NaN()), member(60, 9)})
	if x.Rows != 4 || x.Cols != len(space.Names()) {
		t.Fatalf("%d × %d matrix", x.Rows, x.Cols)
	}
	age, recency := slices.Index(space.Names(), FeatureAge), slices.Index(space.Names(), FeatureRecency)
	if got := x.Row(1)[age]; got != 40 {
		t.Errorf("unknown age filled with %v, want the median 40", got)
	}
	if got := x.Row(2)[recency]; got != 7 {
		t.Errorf("unknown recency filled with %v, want the median 7", got)
	}
	if err := x.check(); err != nil {
		t.Errorf("matrix not ready for k-means: %v", err)
	}
	if got := space.ProfileMatrix([]Member{member(math.NaN(), 1)}).Row(0)[age]; got != 0 {
		t.Errorf("age nobody has filled with %v, want 0", got)
	}
}
