package lead

import (
	"math"
	"strconv"
	"time"

	"github.com/rapportdev/rapport"
)

// numericColumns are the features that are numbers; every other column of
// a row is a category. Answers are read as numbers when every training
// value is one.
var numericColumns = map[string]bool{
	"age_at_delivery_log_min": true, "form_seconds_log": true, "device_leads_5m": true, "bot_score": true,
	"engagement": true, "earlier_inquiries": true, "days_since_earlier": true, "earlier_vendors": true,
	"shared_with": true, "visits": true, "research_days": true, "person_age": true,
}

// Row returns the lead's features as column → value, the input of the
// conversion model: the vendor and its exclusivity, the lead's age when
// delivered, the form signals, earlier inquiries of the same person
// (duplicates read as intent), the journey, when the form was filled (in
// the consumer's own offset when the time carries one) and the answers
// named. Only what is known when the lead is bought: nothing about how it
// was worked. Missing values are "".
func Row(l *rapport.Lead, v *rapport.Vendor, answers []string) map[string]string {
	r := make(map[string]string, 24+len(answers))
	r["vendor"] = l.VendorID
	r["exclusive"], r["shared_with"] = "no", "0"
	if v != nil {
		r["exclusive"] = yesNo(v.Exclusive)
		r["shared_with"] = strconv.Itoa(v.SharedWith)
	}
	age := l.ReceivedAt.Sub(l.SubmittedAt)
	if l.ReceivedAt.IsZero() || age < 0 {
		age = 0
	}
	r["age_at_delivery_log_min"] = num(math.Log1p(age.Minutes()))
	f := &l.Form
	if f.Seconds > 0 {
		r["form_seconds_log"] = num(math.Log1p(f.Seconds))
	}
	r["form_input"], r["completed_by"] = f.Input, f.CompletedBy
	r["device_leads_5m"], r["bot_score"] = strconv.Itoa(f.DeviceLeads5m), num(f.BotScore)
	r["engagement"] = num(l.Engagement)
	r["contactable"] = yesNo(l.Contactable)
	r["earlier_inquiries"] = strconv.Itoa(max(l.Inquiry-1, 0))
	r["earlier_vendors"] = strconv.Itoa(l.EarlierVendors)
	if !l.EarlierAt.IsZero() {
		r["days_since_earlier"] = num(l.SubmittedAt.Sub(l.EarlierAt).Hours() / 24)
	}
	journey(r, l)
	r["hour"] = daypart(l.SubmittedAt)
	r["weekday"] = l.SubmittedAt.Weekday().String()[:3]
	if y := l.Person.BirthYear; y != 0 {
		r["person_age"] = strconv.Itoa(l.SubmittedAt.Year() - y)
	}
	for _, a := range answers {
		r["answer."+a] = answerText(l.Answers[a])
	}
	return r
}

func journey(r map[string]string, l *rapport.Lead) {
	if l.Journey.Visits > 0 {
		r["visits"] = strconv.Itoa(l.Journey.Visits)
	}
	if !l.Journey.FirstVisitAt.IsZero() {
		r["research_days"] = num(math.Max(0, l.SubmittedAt.Sub(l.Journey.FirstVisitAt).Hours()/24))
	}
}

// daypart names the part of the day a time falls in, in its own offset.
func daypart(t time.Time) string {
	switch h := t.Hour(); {
	case h < 6:
		return "night"
	case h < 12:
		return "morning"
	case h < 18:
		return "afternoon"
	default:
		return "evening"
	}
}

// answerText writes an answer as a feature value: text as given, numbers
// and booleans in their usual form, anything else as missing.
func answerText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	}
	if f, ok := rapport.Number(v); ok {
		return num(f)
	}
	return ""
}

func num(f float64) string { return strconv.FormatFloat(f, 'g', 10, 64) }

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
