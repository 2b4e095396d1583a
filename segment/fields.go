package segment

import "time"

// fieldKind says what an Env field holds, for the columns that hold it.
type fieldKind int

const (
	kindNone     fieldKind = iota
	kindFloat              // float64
	kindInt                // int
	kindString             // string
	kindTime               // time.Time
	kindAnyMap             // map[string]any (traits)
	kindIntMap             // map[string]int64
	kindFloatMap           // map[string]float64
	kindRFM                // RFM
	kindSegments           // []string
	kindNow                // the Env's now
	kindFunc               // count, bought, has_trait
)

func (k fieldKind) isMap() bool {
	return k == kindAnyMap || k == kindIntMap || k == kindFloatMap
}

// fieldKinds maps the expression names of Env's fields to their kinds.
var fieldKinds = map[string]fieldKind{
	"traits":                kindAnyMap,
	"events":                kindIntMap,
	"channels":              kindIntMap,
	"purchase_channels":     kindIntMap,
	"browsers":              kindIntMap,
	"referrers":             kindIntMap,
	"order_weekdays":        kindIntMap,
	"order_dayparts":        kindIntMap,
	"categories":            kindFloatMap,
	"brands":                kindFloatMap,
	"orders":                kindInt,
	"revenue":               kindFloat,
	"margin":                kindFloat,
	"aov":                   kindFloat,
	"first_seen":            kindTime,
	"last_seen":             kindTime,
	"first_order_at":        kindTime,
	"last_order_at":         kindTime,
	"days_since_last_order": kindFloat,
	"days_since_last_seen":  kindFloat,
	"tenure_days":           kindFloat,
	"fit":                   kindFloat,
	"grade":                 kindString,
	"engagement":            kindFloat,
	"stage":                 kindString,
	"priority":              kindFloat,
	"rfm":                   kindRFM,
	"segments":              kindSegments,
	"now":                   kindNow,
	"count":                 kindFunc,
	"bought":                kindFunc,
	"has_trait":             kindFunc,
}

// Accessors of Env fields by name, shared by columns and plans.

func floatField(name string) func(*Env) *float64 {
	switch name {
	case "revenue":
		return func(e *Env) *float64 { return &e.Revenue }
	case "margin":
		return func(e *Env) *float64 { return &e.Margin }
	case "aov":
		return func(e *Env) *float64 { return &e.AOV }
	case "days_since_last_order":
		return func(e *Env) *float64 { return &e.DaysSinceLastOrder }
	case "days_since_last_seen":
		return func(e *Env) *float64 { return &e.DaysSinceLastSeen }
	case "tenure_days":
		return func(e *Env) *float64 { return &e.TenureDays }
	case "fit":
		return func(e *Env) *float64 { return &e.Fit }
	case "engagement":
		return func(e *Env) *float64 { return &e.Engagement }
	}
	return func(e *Env) *float64 { return &e.Priority }
}

func intField(k colKey) func(*Env) *int {
	switch {
	case k.field == "orders":
		return func(e *Env) *int { return &e.Orders }
	case k.key == "r":
		return func(e *Env) *int { return &e.RFM.R }
	case k.key == "f":
		return func(e *Env) *int { return &e.RFM.F }
	}
	return func(e *Env) *int { return &e.RFM.M }
}

func timeField(name string) func(*Env) *time.Time {
	switch name {
	case "first_seen":
		return func(e *Env) *time.Time { return &e.FirstSeen }
	case "last_seen":
		return func(e *Env) *time.Time { return &e.LastSeen }
	case "first_order_at":
		return func(e *Env) *time.Time { return &e.FirstOrderAt }
	}
	return func(e *Env) *time.Time { return &e.LastOrderAt }
}

func intMap(name string) func(*Env) map[string]int64 {
	switch name {
	case "events":
		return func(e *Env) map[string]int64 { return e.Events }
	case "channels":
		return func(e *Env) map[string]int64 { return e.Channels }
	case "browsers":
		return func(e *Env) map[string]int64 { return e.Browsers }
	case "referrers":
		return func(e *Env) map[string]int64 { return e.Referrers }
	case "order_weekdays":
		return func(e *Env) map[string]int64 { return e.OrderWeekdays }
	case "order_dayparts":
		return func(e *Env) map[string]int64 { return e.OrderDayparts }
	}
	return func(e *Env) map[string]int64 { return e.PurchaseChannels }
}

func floatMap(name string) func(*Env) map[string]float64 {
	if name == "categories" {
		return func(e *Env) map[string]float64 { return e.Categories }
	}
	return func(e *Env) map[string]float64 { return e.Brands }
}
