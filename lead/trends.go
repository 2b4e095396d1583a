package lead

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/rapportdev/rapport"
)

// Trend is the shopping journey of one demographic group: how much they
// research before the form, how they convert, and when they answer.
type Trend struct {
	Group  string `json:"group"`
	Leads  int    `json:"leads"`
	People int    `json:"people"`
	// InquiriesPerPerson is how many leads each person of the group was
	// sold as: people who shop around inquire more.
	InquiriesPerPerson float64 `json:"inquiriesPerPerson"`
	MedianVisits       float64 `json:"medianVisitsBeforeForm"`
	MedianResearchDays float64 `json:"medianDaysResearching"`
	ContactRate        float64 `json:"contactRate"`
	ConversionRate     float64 `json:"conversionRate"`
	// BestHour (0-23, in the consumer's offset as the submission time
	// gave it) and BestDay are when contact attempts reached the most
	// people, among hours and days with enough attempts; -1 and "" when
	// none has.
	BestHour      int     `json:"bestHourToCall"`
	BestHourReach float64 `json:"bestHourReachRate"`
	BestDay       string  `json:"bestDayToCall"`
	BestDayReach  float64 `json:"bestDayReachRate"`
}

// minAttempts is the fewest attempts an hour or day needs to be named
// best: below it a reach rate says little.
const minAttempts = 5

// TrendDimensions are the groupings Trends knows by name; "answer.KEY"
// groups by any answer.
var TrendDimensions = []string{"age_cohort", "marital_status", "education", "region", "credit"}

// ValidDimension reports whether Trends can group by dim.
func ValidDimension(dim string) bool {
	return slices.Contains(TrendDimensions, dim) || (strings.HasPrefix(dim, "answer.") && len(dim) > len("answer."))
}

// Trends groups the leads by a demographic dimension and describes each
// group's journey, largest group first. contacts are the leads' contact
// attempts (others are ignored).
func Trends(leads []rapport.Lead, contacts []rapport.LeadContact, dim string) []Trend {
	b := NewTrendBuilder(dim)
	b.Add(leads, contacts)
	return b.Trends()
}

// TrendBuilder adds up trends a page of leads at a time, so a report
// walks a range of any size: what it keeps grows with the groups, the
// people (an id each, to count them once) and the leads' research times
// (a number each, for the median), not with the leads themselves.
type TrendBuilder struct {
	dim    string
	groups map[string]*trendAcc
}

type trendAcc struct {
	t                    Trend
	people               map[string]bool
	visits               map[int]int
	days                 []float64
	contacted, converted int
	hourTry, hourHit     [24]int
	dayTry, dayHit       [7]int
}

// NewTrendBuilder returns a builder grouping by dim.
func NewTrendBuilder(dim string) *TrendBuilder {
	return &TrendBuilder{dim: dim, groups: map[string]*trendAcc{}}
}

// Add adds a page of leads and their contact attempts (attempts on other
// leads are ignored).
func (b *TrendBuilder) Add(leads []rapport.Lead, contacts []rapport.LeadContact) {
	groupOf := make(map[string]*trendAcc, len(leads))
	offset := make(map[string]*time.Location, len(leads))
	for i := range leads {
		l := &leads[i]
		a := b.group(Group(l, b.dim))
		groupOf[l.ID], offset[l.ID] = a, l.SubmittedAt.Location()
		a.t.Leads++
		a.people[l.PersonID] = true
		if l.Journey.Visits > 0 {
			a.visits[l.Journey.Visits]++
		}
		if !l.Journey.FirstVisitAt.IsZero() {
			a.days = append(a.days, max(0, l.SubmittedAt.Sub(l.Journey.FirstVisitAt).Hours()/24))
		}
		count(&a.contacted, !l.FirstContactAt.IsZero())
		count(&a.converted, !l.ConvertedAt.IsZero())
	}
	for _, c := range contacts {
		a := groupOf[c.LeadID]
		if a == nil {
			continue
		}
		at := c.At.In(offset[c.LeadID])
		a.hourTry[at.Hour()]++
		a.dayTry[at.Weekday()]++
		if c.Reached {
			a.hourHit[at.Hour()]++
			a.dayHit[at.Weekday()]++
		}
	}
}

func (b *TrendBuilder) group(g string) *trendAcc {
	a := b.groups[g]
	if a == nil {
		a = &trendAcc{t: Trend{Group: g}, people: map[string]bool{}, visits: map[int]int{}}
		b.groups[g] = a
	}
	return a
}

// Trends returns the groups' trends, largest group first.
func (b *TrendBuilder) Trends() []Trend {
	out := make([]Trend, 0, len(b.groups))
	for _, a := range b.groups {
		t, n := a.t, float64(a.t.Leads)
		t.People = len(a.people)
		t.InquiriesPerPerson = ratio(n, float64(t.People))
		t.MedianVisits, t.MedianResearchDays = countsMedian(a.visits), round4(quantile(a.days, 0.5))
		t.ContactRate, t.ConversionRate = ratio(float64(a.contacted), n), ratio(float64(a.converted), n)
		h, hr := best(a.hourTry[:], a.hourHit[:])
		d, dr := best(a.dayTry[:], a.dayHit[:])
		t.BestHour, t.BestHourReach, t.BestDayReach = h, hr, dr
		if d >= 0 {
			t.BestDay = time.Weekday(d).String()
		}
		out = append(out, t)
	}
	slices.SortFunc(out, func(a, b Trend) int { return cmp.Or(cmp.Compare(b.Leads, a.Leads), cmp.Compare(a.Group, b.Group)) })
	return out
}

// countsMedian is the median of values given as value → how many, as
// quantile computes it on the values spelled out.
func countsMedian(counts map[int]int) float64 {
	n := 0
	values := make([]int, 0, len(counts))
	for v, c := range counts {
		values = append(values, v)
		n += c
	}
	if n == 0 {
		return 0
	}
	slices.Sort(values)
	pos := 0.5 * float64(n-1)
	lo := int(pos)
	at := func(rank int) float64 {
		for _, v := range values {
			if rank < counts[v] {
				return float64(v)
			}
			rank -= counts[v]
		}
		return float64(values[len(values)-1])
	}
	x, y := at(lo), at(min(lo+1, n-1))
	return x + (y-x)*(pos-float64(lo))
}

// best returns the index with the highest reach rate among those with
// enough attempts, and that rate; -1 when none has enough.
func best(tries, hits []int) (int, float64) {
	bi, br := -1, -1.0
	for i, n := range tries {
		if n < minAttempts {
			continue
		}
		if r := float64(hits[i]) / float64(n); r > br {
			bi, br = i, r
		}
	}
	if bi < 0 {
		return -1, 0
	}
	return bi, round4(br)
}

// Group returns the lead's group in a dimension; "unknown" when the lead
// does not say.
func Group(l *rapport.Lead, dim string) string {
	var g string
	switch dim {
	case "age_cohort":
		g = Cohort(birthYear(l))
	case "region":
		g = Region(l.Person.Address.Region, l.Person.Address.Country)
	case "marital_status":
		g = firstAnswer(l, "marital_status", "marital")
	case "education":
		g = firstAnswer(l, "education")
	case "credit":
		g = firstAnswer(l, "credit", "credit_rating", "credit_self_assessment")
	default:
		g = firstAnswer(l, strings.TrimPrefix(dim, "answer."))
	}
	if g == "" {
		return "unknown"
	}
	return g
}

func firstAnswer(l *rapport.Lead, keys ...string) string {
	for _, k := range keys {
		if s := strings.ToLower(strings.TrimSpace(answerText(l.Answers[k]))); s != "" {
			return s
		}
	}
	return ""
}

// birthYear is the person's birth year, from the lead or its age answer.
func birthYear(l *rapport.Lead) int {
	if l.Person.BirthYear != 0 {
		return l.Person.BirthYear
	}
	if age, ok := rapport.Number(l.Answers["age"]); ok && age > 0 && age < 120 {
		return l.SubmittedAt.Year() - int(age)
	}
	return 0
}

// Cohort names the generation of a birth year ("" when unknown).
func Cohort(year int) string {
	switch {
	case year == 0:
		return ""
	case year >= 1997:
		return "gen_z"
	case year >= 1981:
		return "millennial"
	case year >= 1965:
		return "gen_x"
	case year >= 1946:
		return "boomer"
	}
	return "silent"
}

// usRegions groups US states into the regions shopping reports use.
var usRegions = map[string]string{}

func init() {
	for region, states := range map[string]string{
		"pacific_northwest": "WA OR ID",
		"west":              "CA NV HI AK",
		"mountain":          "MT WY CO UT",
		"southwest":         "AZ NM TX OK",
		"midwest":           "ND SD NE KS MN IA MO WI IL IN MI OH",
		"northeast":         "ME NH VT MA RI CT NY NJ PA",
		"mid_atlantic":      "DE MD DC VA WV",
		"southeast":         "NC SC GA FL AL MS TN KY LA AR",
	} {
		for _, s := range strings.Fields(states) {
			usRegions[s] = region
		}
	}
}

// Region names the region of a US state code; elsewhere the region as
// given, lower-case.
func Region(region, country string) string {
	r := strings.ToUpper(strings.TrimSpace(region))
	c := strings.ToUpper(strings.TrimSpace(country))
	if name, ok := usRegions[r]; ok && (c == "" || c == "US" || c == "USA") {
		return name
	}
	return strings.ToLower(strings.TrimSpace(region))
}
