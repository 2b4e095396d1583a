package cluster

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// shopper is a member with the features most rules read.
type shopper struct {
	age, frequency, recency, aov, sessions, followers float64
	channels, categories, brands                      map[string]float64
}

func (s shopper) member() Member {
	return Member{
		Features: map[string]float64{
			FeatureAge: s.age, FeatureFrequency: s.frequency, FeatureRecency: s.recency,
			FeatureAverageOrderValue: s.aov, FeatureMonetary: s.aov * s.frequency,
			FeatureSessions: s.sessions, FeatureFollowers: s.followers,
		},
		Channels: s.channels, Categories: s.categories, Brands: s.brands,
	}
}

// shop is four kinds of customer, five of each: the population every
// persona below is compared with. Its medians: age 36, frequency 9.5,
// recency 30, order value 50, revenue 530, sessions 16.5, followers 125.
var shop = []shopper{
	{age: 45, frequency: 24, recency: 10, aov: 40, sessions: 2, followers: 100,
		channels:   map[string]float64{"in_store": 20, "online": 4},
		categories: map[string]float64{"groceries": 700, "garden": 300},
		brands:     map[string]float64{"A": 300, "B": 300, "C": 400}},
	{age: 19, frequency: 12, recency: 20, aov: 15, sessions: 30, followers: 3042,
		channels:   map[string]float64{"app": 7, "web": 5},
		categories: map[string]float64{"fashion": 100, "beauty": 80},
		brands:     map[string]float64{"X": 60, "Y": 60, "Z": 60}},
	{age: 37, frequency: 2, recency: 120, aov: 320, sessions: 40, followers: 80,
		channels:   map[string]float64{"store": 2},
		categories: map[string]float64{"cameras": 500, "lenses": 140},
		brands:     map[string]float64{"Leica": 640}},
	{age: 35, frequency: 7, recency: 40, aov: 60, sessions: 8, followers: 150,
		channels: map[string]float64{"online": 3, "in-store": 3, "phone": 1}},
}

func TestDescribe(t *testing.T) {
	var members []Member
	var labels []int
	for c, s := range shop {
		for range 5 {
			members = append(members, s.member())
			labels = append(labels, c)
		}
	}
	tests := []struct {
		label  string
		story  string
		traits []Trait
	}{
		{"Loyal in-store regulars", "45, shops in store monthly, one of the biggest spenders, mostly buys groceries.",
			[]Trait{TraitOlder, TraitFrequent, TraitRecent, TraitBigSpender, TraitInStore}},
		{"Young online influencers", "19, shops online monthly in small amounts, 3,000 followers, vocal about what they buy, mostly buys fashion.",
			[]Trait{TraitYoung, TraitInfluencer, TraitRecent, TraitSmallBasket, TraitResearcher, TraitOnline}},
		{"In-store special-occasion buyers", "37, researches online and buys offline, pays more for a trusted brand, a special-occasion buyer who spends a few hundred per visit, mostly buys cameras.",
			[]Trait{TraitInfrequent, TraitBigBasket, TraitResearcher, TraitInStore, TraitBrandLoyal}},
		{"Omnichannel customers", "35, shops online and in store a few times a year.",
			[]Trait{TraitOmnichannel}},
	}
	personas, err := Describe(members, labels, DescribeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(personas) != len(tests) {
		t.Fatalf("%d personas, want %d", len(personas), len(tests))
	}
	for c, tt := range tests {
		p := personas[c]
		if p.Label != tt.label || p.Story != tt.story || !slices.Equal(p.Traits, tt.traits) {
			t.Errorf("cluster %d:\n got  %q\n      %q\n      %v\n want %q\n      %q\n      %v", c, p.Label, p.Story, p.Traits, tt.label, tt.story, tt.traits)
		}
		if p.Size != 5 || p.Share != 0.25 {
			t.Errorf("cluster %d: size %d share %v, want 5 and 0.25", c, p.Size, p.Share)
		}
	}
	if p := personas[2]; p.Channel != "store" || p.ChannelShare != 1 || p.TopBrands[0] != (Share{"Leica", 1}) || p.Medians[FeatureAge] != 37 {
		t.Errorf("cluster 2: channel %q %v, brands %v, medians %v", p.Channel, p.ChannelShare, p.TopBrands, p.Medians)
	}
	again, _ := Describe(members, labels, DescribeOptions{})
	if !reflect.DeepEqual(personas, again) {
		t.Error("two runs on the same input differ")
	}
}

func TestLabel(t *testing.T) {
	tests := []struct {
		traits []Trait
		want   string
	}{
		{nil, "Customers"},
		{[]Trait{TraitFrequent, TraitInStore}, "Loyal in-store regulars"},
		{[]Trait{TraitYoung, TraitInfluencer, TraitOnline}, "Young online influencers"},
		{[]Trait{TraitLapsing, TraitFrequent, TraitOmnichannel}, "Lapsing omnichannel regulars"},
		{[]Trait{TraitBigSpender}, "Big-spending customers"},
		{[]Trait{TraitOlder, TraitBigSpender}, "Big-spending customers"},
		{[]Trait{TraitOlder, TraitSmallBasket, TraitInStore}, "Mature in-store bargain hunters"},
		{[]Trait{TraitOlder, TraitSmallBasket, TraitByPhone}, "Mature phone bargain hunters"},
		{[]Trait{TraitBigBasket, TraitInfrequent, TraitOnline}, "Online special-occasion buyers"},
		{[]Trait{TraitInfrequent}, "Occasional shoppers"},
		{[]Trait{TraitHighEffort}, "High-touch customers"},
	}
	for _, tt := range tests {
		if got := label(tt.traits); got != tt.want {
			t.Errorf("label(%v) = %q, want %q", tt.traits, got, tt.want)
		}
	}
}

func TestTraitRules(t *testing.T) {
	pop := map[string]float64{FeatureFollowers: 100, FeatureRecency: 30, FeatureFrequency: 4, FeatureServiceEffort: 0}
	tests := []struct {
		name    string
		medians map[string]float64
		want    []Trait
	}{
		{"many followers but under a thousand", map[string]float64{FeatureFollowers: 900}, []Trait{}},
		{"a thousand followers", map[string]float64{FeatureFollowers: 1000}, []Trait{TraitInfluencer}},
		{"long gone, no frequency known", map[string]float64{FeatureRecency: 90}, []Trait{TraitLapsing}},
		{"long gone for a twice-a-year buyer is on schedule", map[string]float64{FeatureRecency: 90, FeatureFrequency: 2},
			[]Trait{TraitInfrequent}},
		{"overdue for a monthly buyer", map[string]float64{FeatureRecency: 90, FeatureFrequency: 12},
			[]Trait{TraitFrequent, TraitLapsing}},
		{"any effort against none", map[string]float64{FeatureServiceEffort: 1}, []Trait{TraitHighEffort}},
		{"feature unknown to the population", map[string]float64{FeatureAge: 20}, []Trait{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := traits(Persona{Medians: tt.medians}, pop, nil, 365)
			if !slices.Equal(got, tt.want) {
				t.Errorf("traits %v, want %v", got, tt.want)
			}
		})
	}
}

func TestChannelTrait(t *testing.T) {
	tests := []struct {
		mix  map[string]float64
		want Trait
	}{
		{map[string]float64{"Web": 6, "POS": 4}, TraitOnline},
		{map[string]float64{"In Store": 7, "app": 3}, TraitInStore},
		{map[string]float64{"online": 5, "phone": 5}, TraitOmnichannel},
		{map[string]float64{"marketplace": 1}, TraitOmnichannel},
	}
	for _, tt := range tests {
		got, _ := channelTrait(mix([]Member{{Channels: tt.mix}}, func(m Member) map[string]float64 { return m.Channels }))
		if got != tt.want {
			t.Errorf("channels %v: %q, want %q", tt.mix, got, tt.want)
		}
	}
	if _, ok := channelTrait(nil); ok {
		t.Error("no channels gave a channel trait")
	}
}

func TestStoryWords(t *testing.T) {
	amounts := map[float64]string{3: "under 10", 43: "about 45", 150: "over a hundred", 320: "a few hundred", 1500: "over a thousand", 7000: "a few thousand"}
	for v, want := range amounts {
		if got := amount(v); got != want {
			t.Errorf("amount(%v) = %q, want %q", v, got, want)
		}
	}
	counts := map[float64]string{42: "42", 3042: "3,000", 12345: "12,000", 1_260_000: "1,300,000"}
	for v, want := range counts {
		if got := roughCount(v); got != want {
			t.Errorf("roughCount(%v) = %q, want %q", v, got, want)
		}
	}
	cadences := map[float64]string{52: "weekly", 12: "monthly", 4: "a few times a year", 1: "once or twice a year", 0: "rarely"}
	for v, want := range cadences {
		if got := cadence(v); got != want {
			t.Errorf("cadence(%v) = %q, want %q", v, got, want)
		}
	}
}

func TestDescribeEdges(t *testing.T) {
	if _, err := Describe([]Member{{}}, nil, DescribeOptions{}); err == nil {
		t.Error("members without labels: no error")
	}
	if _, err := Describe([]Member{{}}, []int{-1}, DescribeOptions{}); err == nil {
		t.Error("negative label: no error")
	}
	// Cluster 1 has no members; a member with no data is typical.
	ps, err := Describe([]Member{{}, {}, {}}, []int{0, 2, 0}, DescribeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 3 || ps[1].Label != "Empty cluster" || ps[0].Story != "Close to the typical customer." {
		t.Errorf("personas %+v", ps)
	}
	if strings.Contains(ps[0].Label, "  ") {
		t.Errorf("label %q has a double space", ps[0].Label)
	}
}
