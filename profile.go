package rapport

import "time"

// ProfileKind separates people from the accounts (companies, households)
// that group calls attach them to.
type ProfileKind string

// Profile kinds.
const (
	ProfilePerson  ProfileKind = "person"
	ProfileAccount ProfileKind = "account"
)

// Profile is one person or account and everything Rapport keeps current
// about them.
type Profile struct {
	ID         string      `json:"id"`
	Kind       ProfileKind `json:"kind"`
	Identities []Identity  `json:"identities"`
	// Traits merge by event time: the value set by the event that happened
	// last wins, whatever order events arrive in.
	Traits map[string]any `json:"traits"`
	// TraitTimes holds, per trait, the event time of the value kept.
	TraitTimes map[string]time.Time `json:"traitTimes,omitempty"`
	// Groups lists the account ids (groupId) the person belongs to.
	Groups     []string   `json:"groups,omitempty"`
	Aggregates Aggregates `json:"aggregates"`
	// Consents holds the latest consent record per contact channel (see
	// Consent); a channel without one has no consent.
	Consents  map[string]Consent `json:"consents,omitempty"`
	CreatedAt time.Time          `json:"createdAt"`
	UpdatedAt time.Time          `json:"updatedAt"`
}

// HasIdentity reports whether p holds id.
func (p *Profile) HasIdentity(id Identity) bool {
	for _, have := range p.Identities {
		if have == id {
			return true
		}
	}
	return false
}

// UserID returns the profile's userId identity, or "".
func (p *Profile) UserID() string {
	for _, id := range p.Identities {
		if id.Kind == IdentityUserID {
			return id.Value
		}
	}
	return ""
}

// Aggregates are counters and summaries kept current as each event is
// applied. Times are event times.
type Aggregates struct {
	FirstSeen time.Time `json:"firstSeen,omitzero"`
	LastSeen  time.Time `json:"lastSeen,omitzero"`
	// Events counts events by name: a track's event name, or the type
	// ("identify", "page", ...) for other calls.
	Events map[string]int64 `json:"events,omitempty"`
	// Channels counts events by channel (web, mobile, server, in-store,
	// phone, ...), from context.channel or the library that sent them.
	Channels map[string]int64 `json:"channels,omitempty"`
	// Sessions counts visits: runs of events with no gap over SessionGap,
	// one per session id within a run (SessionRuns holds them).
	Sessions    int64          `json:"sessions"`
	SessionRuns SessionHistory `json:"sessionRuns"`
	PageViews   int64          `json:"pageViews"`
	Screens     int64          `json:"screenViews"`

	Orders            int64     `json:"orders"`
	Revenue           float64   `json:"revenue"`
	Cost              float64   `json:"cost,omitempty"`
	Margin            float64   `json:"margin,omitempty"`
	AverageOrderValue float64   `json:"averageOrderValue"`
	FirstOrderAt      time.Time `json:"firstOrderAt,omitzero"`
	LastOrderAt       time.Time `json:"lastOrderAt,omitzero"`
	// PurchaseChannels counts orders by channel (web, in-store, phone, ...).
	PurchaseChannels map[string]int64 `json:"purchaseChannels,omitempty"`
	// Categories and Brands hold revenue by product category and brand.
	Categories map[string]float64 `json:"categories,omitempty"`
	Brands     map[string]float64 `json:"brands,omitempty"`
	// Browsers counts events by browser family (Chrome, Safari, Firefox,
	// Edge, Opera, Samsung Internet, other) read from context.userAgent.
	Browsers map[string]int64 `json:"browsers,omitempty"`
	// Referrers counts where visits came from: context.campaign.source,
	// else the host of context.page.referrer.
	Referrers map[string]int64 `json:"referrers,omitempty"`
	// OrderWeekdays (mon … sun) and OrderDayparts (night 0–6, morning
	// 6–12, afternoon 12–18, evening 18–24) count orders by when they were
	// placed, in the person's time zone when context.timezone names one.
	OrderWeekdays map[string]int64 `json:"orderWeekdays,omitempty"`
	OrderDayparts map[string]int64 `json:"orderDayparts,omitempty"`
	// Recent holds daily event counts over the last HistoryDays days and
	// the days each category was bought, for segment rules.
	Recent EventHistory `json:"recent,omitzero"`
	// Firsts holds when identities, event names, categories and the
	// earliest orders were first seen, for the lifecycle stage's Since.
	// (SessionRuns and Firsts are never omitted: a profile with an event
	// has both, and asking goccy/go-json whether they are zero costs more
	// than writing them.)
	Firsts Firsts `json:"firsts"`
}

// Order is one line of the order ledger: a completed order, from an
// `Order Completed` event or an imported order history.
type Order struct {
	ProfileID string    `json:"profileId"`
	OrderID   string    `json:"orderId"`
	MessageID string    `json:"messageId"`
	At        time.Time `json:"at"`
	Revenue   float64   `json:"revenue"`
	// Cost is the cost of goods when known (from properties, or product
	// lines' costs, taken from the product catalogue for a line without
	// one); zero means unknown.
	Cost     float64   `json:"cost,omitempty"`
	Currency string    `json:"currency,omitempty"`
	Channel  string    `json:"channel,omitempty"`
	Products []Product `json:"products,omitempty"`
}

// Product is one product line of an order.
type Product struct {
	ID       string  `json:"productId,omitempty"`
	SKU      string  `json:"sku,omitempty"`
	Name     string  `json:"name,omitempty"`
	Category string  `json:"category,omitempty"`
	Brand    string  `json:"brand,omitempty"`
	Price    float64 `json:"price"`
	Quantity float64 `json:"quantity"`
	Cost     float64 `json:"cost,omitempty"`
}

// Merge records that one profile was folded into another.
type Merge struct {
	From string    `json:"from"`
	Into string    `json:"into"`
	At   time.Time `json:"at"`
	// Reason names the event and identity that caused the merge.
	Reason    string `json:"reason"`
	MessageID string `json:"messageId"`
}

// ProfileFilter selects a page of profiles.
type ProfileFilter struct {
	Kind ProfileKind
	// TraitKey and TraitValue, when set, keep profiles whose trait equals
	// the value (compared as text).
	TraitKey   string
	TraitValue string
	Offset     int
	Limit      int
}

// Erasure is the receipt of a deleted person: what was removed, and when.
type Erasure struct {
	ProfileID  string     `json:"profileId"`
	Identities []Identity `json:"identities"`
	Events     int64      `json:"events"`
	Orders     int64      `json:"orders"`
	Merges     int64      `json:"merges"`
	// Leads counts the bought leads of the person deleted with their
	// contact attempts and match keys.
	Leads    int64     `json:"leads"`
	ErasedAt time.Time `json:"erasedAt"`
}
