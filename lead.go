package rapport

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"time"
	"unicode/utf8"
)

// KeyVendor is the kind of a lead vendor's key ("vk_" secrets). It is a
// kind of its own, not a write key tied to a vendor: a vendor may submit
// leads and ask for prices, and nothing else, so a vendor cannot send
// tracking events about anyone, and a leaked write key cannot sell leads
// in a vendor's name. The key's Name is the id of its vendor; a vendor
// may hold several keys, so one can be rotated without a gap.
const KeyVendor KeyKind = "vendor"

// Vendor is a seller of leads and what makes its leads worth more or less.
type Vendor struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Exclusive says each lead is sold to this buyer alone; otherwise it
	// is shared with SharedWith other buyers, who call the same person.
	Exclusive  bool `json:"exclusive"`
	SharedWith int  `json:"sharedWith,omitempty"`
	// Price is the asking price of one lead, used when a lead does not
	// carry its own.
	Price float64 `json:"price"`
	// Attributes are what the vendor discloses about its leads ("source":
	// "search", "verified": "phone"), kept for reports and the price model.
	Attributes map[string]string `json:"attributes,omitempty"`
	Terms      VendorTerms       `json:"terms,omitzero"`
	// Active vendors may submit leads; an inactive one's keys are refused.
	Active    bool      `json:"active"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// VendorTerms are the contract's terms that matter to a lead's economics.
type VendorTerms struct {
	// ReturnWindowHours is how long a bad lead may be returned for credit,
	// at most MaxReturnWindowHours.
	ReturnWindowHours int `json:"returnWindowHours,omitempty"`
	// ReturnReasons are what the contract accepts as bad (bad phone,
	// duplicate, no consent); none means any stated reason.
	ReturnReasons []string `json:"returnReasons,omitempty"`
	// MonthlyCap is the most leads bought a month; 0 means no cap.
	MonthlyCap int `json:"monthlyCap,omitempty"`
	// DailyCap is the most leads bought a day (UTC); 0 means no cap.
	DailyCap int `json:"dailyCap,omitempty"`
	// OverCap says what becomes of a lead over a cap: refuse (the default:
	// the lead gets an error) or unpaid (accepted at price 0).
	OverCap string `json:"overCap,omitempty"`
	Notes   string `json:"notes,omitempty"`
}

// What becomes of a lead over its vendor's cap (VendorTerms.OverCap).
const (
	OverCapRefuse = "refuse"
	OverCapUnpaid = "unpaid"
)

// MaxReturnWindowHours bounds VendorTerms.ReturnWindowHours at ten years:
// far beyond any contract, and far below the 2.56 million hours at which
// the window stops fitting a time.Duration and wraps round to negative.
const MaxReturnWindowHours = 10 * 365 * 24

// MaxLeadText bounds every text field of a vendor or a lead, in bytes.
const MaxLeadText = 2000

// Validate returns an EINVALID error naming the first field that is wrong.
func (v *Vendor) Validate() error {
	switch {
	case !leadID(v.ID):
		return Errorf(EINVALID, "id: required, at most 64 letters, digits, '-' or '_'")
	case strings.TrimSpace(v.Name) == "" || !leadText(v.Name):
		return Errorf(EINVALID, "name: required UTF-8 text of at most %d bytes", MaxLeadText)
	case v.SharedWith < 0 || (v.Exclusive && v.SharedWith > 0):
		return Errorf(EINVALID, "sharedWith: must be 0 for an exclusive vendor and not negative")
	case !money(v.Price):
		return Errorf(EINVALID, "price: must be a finite amount, not negative")
	case v.Terms.ReturnWindowHours < 0:
		return Errorf(EINVALID, "terms.returnWindowHours: must not be negative")
	case v.Terms.ReturnWindowHours > MaxReturnWindowHours:
		return Errorf(EINVALID, "terms.returnWindowHours: at most %d (ten years)", MaxReturnWindowHours)
	case v.Terms.MonthlyCap < 0:
		return Errorf(EINVALID, "terms.monthlyCap: must not be negative")
	case v.Terms.DailyCap < 0:
		return Errorf(EINVALID, "terms.dailyCap: must not be negative")
	case !oneOf(v.Terms.OverCap, "", OverCapRefuse, OverCapUnpaid):
		return Errorf(EINVALID, "terms.overCap: must be %s or %s", OverCapRefuse, OverCapUnpaid)
	case !leadText(v.Terms.Notes) || !allText(v.Terms.ReturnReasons):
		return Errorf(EINVALID, "terms: text must be UTF-8 without NUL, at most %d bytes", MaxLeadText)
	}
	for k, val := range v.Attributes {
		if !leadText(k) || !leadText(val) || k == "" {
			return Errorf(EINVALID, "attributes: keys and values must be UTF-8 text without NUL")
		}
	}
	return nil
}

// Lead is one inquiry bought from a vendor: the consumer's data and
// answers, when and how the form was filled, the consent given, and what
// Rapport made of it. Its JSON is also the intake wire format.
type Lead struct {
	ID       string `json:"id,omitempty"`
	VendorID string `json:"vendorId,omitempty"`
	// ExternalID is the vendor's id of the lead. A lead sent again with the
	// same one is a retry, not a new inquiry; without one, the payload's
	// hash stands in.
	ExternalID string `json:"externalId,omitempty"`
	// PersonID groups the inquiries of one person: the id of that
	// person's first lead. Inquiry is this lead's rank among them (1 for
	// the first); a later inquiry is intent, not noise.
	PersonID string `json:"personId,omitempty"`
	Inquiry  int    `json:"inquiry,omitempty"`
	// EarlierAt is when the person's latest earlier inquiry was submitted,
	// and EarlierVendors how many vendors sold the earlier inquiries.
	EarlierAt      time.Time `json:"earlierAt,omitzero"`
	EarlierVendors int       `json:"earlierVendors,omitempty"`
	// Price paid for the lead; the vendor's price when not given.
	Price   float64        `json:"price"`
	Person  LeadPerson     `json:"person"`
	Answers map[string]any `json:"answers,omitempty"`
	// SubmittedAt is when the consumer submitted the form: a lead's age
	// counts from it. DeliveredAt is when the vendor says it sent the lead
	// (ReceivedAt when not given); ReceivedAt is when Rapport got it.
	SubmittedAt time.Time   `json:"submittedAt"`
	DeliveredAt time.Time   `json:"deliveredAt,omitzero"`
	ReceivedAt  time.Time   `json:"receivedAt,omitzero"`
	Form        FormSignals `json:"form,omitzero"`
	// Page is where the form was filled; Source the campaign or channel
	// that brought the consumer there.
	Page    string       `json:"page,omitempty"`
	Source  string       `json:"source,omitempty"`
	Journey LeadJourney  `json:"journey,omitzero"`
	Consent *LeadConsent `json:"consent,omitempty"`

	// Set at intake. Contactable is false when the consent record is
	// missing or fails a check (ConsentProblem says which): the lead is
	// kept, but no contact path may use it.
	Contactable    bool   `json:"contactable"`
	ConsentProblem string `json:"consentProblem,omitempty"`
	// Engagement is the form's engagement, 0-100, and EngagementLevel its
	// band (high, medium, low, bot), from the form signals.
	Engagement      float64 `json:"engagement"`
	EngagementLevel string  `json:"engagementLevel,omitempty"`
	// Tier routes the lead (hot, warm, cold, review); Team is who works it.
	Tier string `json:"tier,omitempty"`
	Team string `json:"team,omitempty"`
	// Value is what the lead was judged worth when it arrived.
	Value LeadValue `json:"value,omitzero"`
	// Raw is the payload as the vendor sent it.
	Raw json.RawMessage `json:"raw,omitempty"`

	// Working the lead, from contact attempts.
	Attempts       int       `json:"attempts"`
	FirstAttemptAt time.Time `json:"firstAttemptAt,omitzero"`
	FirstContactAt time.Time `json:"firstContactAt,omitzero"`
	ConvertedAt    time.Time `json:"convertedAt,omitzero"`
	ConvertedValue float64   `json:"convertedValue,omitempty"`
	// AlertedAt is when the SLA alert about the lead went out.
	AlertedAt time.Time `json:"alertedAt,omitzero"`
	// OverCap says the lead came over its vendor's cap and was accepted
	// without payment (Price 0), as the contract says.
	OverCap bool `json:"overCap,omitempty"`
	// ReturnedAt is when the lead was returned to its vendor, for
	// ReturnReason, earning Credit.
	ReturnedAt   time.Time `json:"returnedAt,omitzero"`
	ReturnReason string    `json:"returnReason,omitempty"`
	Credit       float64   `json:"credit,omitempty"`
}

// LeadPerson is the consumer's contact data.
type LeadPerson struct {
	FirstName string      `json:"firstName,omitempty"`
	LastName  string      `json:"lastName,omitempty"`
	Email     string      `json:"email,omitempty"`
	Phone     string      `json:"phone,omitempty"`
	Address   LeadAddress `json:"address,omitzero"`
	BirthYear int         `json:"birthYear,omitempty"`
}

// LeadAddress is a postal address as the form took it.
type LeadAddress struct {
	Street     string `json:"street,omitempty"`
	City       string `json:"city,omitempty"`
	Region     string `json:"region,omitempty"`
	PostalCode string `json:"postalCode,omitempty"`
	Country    string `json:"country,omitempty"`
}

// FormSignals are how the form was filled, as lead-certification
// services report it. They feed the lead's engagement, price and routing.
type FormSignals struct {
	// Seconds on the form.
	Seconds float64 `json:"seconds,omitempty"`
	// Input is how the fields were filled: typed, pasted, autofilled or
	// mixed.
	Input string `json:"input,omitempty"`
	// CompletedBy is consumer, or agent when a call-centre agent finished
	// the form.
	CompletedBy string `json:"completedBy,omitempty"`
	// DeviceLeads5m is how many leads the same device submitted in the
	// five minutes before this one.
	DeviceLeads5m int    `json:"deviceLeads5m,omitempty"`
	DeviceID      string `json:"deviceId,omitempty"`
	// BotScore is the certifier's bot suspicion, 0 (human) to 1 (bot).
	BotScore  float64 `json:"botScore,omitempty"`
	IP        string  `json:"ip,omitempty"`
	UserAgent string  `json:"userAgent,omitempty"`
}

// LeadJourney is the shopping journey before the form, when the vendor
// knows it.
type LeadJourney struct {
	// Visits are the pages or sites visited before the form.
	Visits int `json:"visits,omitempty"`
	// FirstVisitAt is when the research began.
	FirstVisitAt time.Time `json:"firstVisitAt,omitzero"`
}

// LeadConsent is the consumer's agreement to be contacted, with the
// evidence an auditor asks for.
type LeadConsent struct {
	// Text is the exact wording shown to the consumer.
	Text      string    `json:"text"`
	At        time.Time `json:"at"`
	IP        string    `json:"ip,omitempty"`
	UserAgent string    `json:"userAgent,omitempty"`
	// Method is how it was given: checkbox, form, verbal or written.
	Method string `json:"method"`
	Page   string `json:"page,omitempty"`
	// Channels are the contact channels agreed to (phone, sms, email,
	// push).
	Channels []string `json:"channels"`
	// ProofURL is a certificate of the session (a TrustedForm or Jornaya
	// link).
	ProofURL string `json:"proofUrl,omitempty"`
	// EvidenceHash is the SHA-256 of the evidence (lead.EvidenceHash);
	// computed at intake when not sent, checked when sent.
	EvidenceHash string `json:"evidenceHash,omitempty"`
}

// LeadValue is what a lead is worth: Probability of conversion × the
// value of a customer − the cost to work it, and the most worth paying.
type LeadValue struct {
	Probability   float64 `json:"probability"`
	CustomerValue float64 `json:"customerValue"`
	CostToWork    float64 `json:"costToWork"`
	Expected      float64 `json:"expected"`
	// MaxPrice is the recommended maximum price: the expected value
	// before the price, less the margin the buyer keeps.
	MaxPrice float64 `json:"maxPrice"`
	// Model names what estimated the probability.
	Model string `json:"model,omitempty"`
}

// Validate returns an EINVALID error naming the first field of an
// incoming lead that is wrong. Consent is not checked here: a lead with a
// bad consent record is kept and marked not contactable.
func (l *Lead) Validate() error {
	p := &l.Person
	switch {
	case p.Email == "" && p.Phone == "":
		return Errorf(EINVALID, "person: give an email or a phone")
	case p.Email != "" && NormalizeEmail(p.Email) == "":
		return Errorf(EINVALID, "person.email: %q is not an email address", clip(p.Email))
	case p.Phone != "" && NormalizePhone(p.Phone) == "":
		return Errorf(EINVALID, "person.phone: %q is not a phone number", clip(p.Phone))
	case p.BirthYear != 0 && (p.BirthYear < 1900 || p.BirthYear > 2100):
		return Errorf(EINVALID, "person.birthYear: %d is not a plausible year", p.BirthYear)
	case l.SubmittedAt.IsZero():
		return Errorf(EINVALID, "submittedAt: required, the time the consumer submitted the form")
	case !l.DeliveredAt.IsZero() && l.DeliveredAt.Before(l.SubmittedAt.Add(-leadSkew)):
		return Errorf(EINVALID, "deliveredAt: before submittedAt")
	case !money(l.Price):
		return Errorf(EINVALID, "price: must be a finite amount, not negative")
	case len(l.ExternalID) > 200 || !leadText(l.ExternalID):
		return Errorf(EINVALID, "externalId: at most 200 bytes of UTF-8 text")
	}
	if err := l.Form.validate(); err != nil {
		return err
	}
	if !allText([]string{p.FirstName, p.LastName, p.Email, p.Phone, p.Address.Street, p.Address.City,
		p.Address.Region, p.Address.PostalCode, p.Address.Country, l.Page, l.Source}) {
		return Errorf(EINVALID, "text fields must be UTF-8 without NUL, at most %d bytes each", MaxLeadText)
	}
	if l.Journey.Visits < 0 {
		return Errorf(EINVALID, "journey.visits: must not be negative")
	}
	return nil
}

// leadSkew is how far apart two clocks may be before times are refused.
const leadSkew = 5 * time.Minute

func (f *FormSignals) validate() error {
	switch {
	case f.Seconds < 0 || math.IsNaN(f.Seconds) || math.IsInf(f.Seconds, 0):
		return Errorf(EINVALID, "form.seconds: must be a number of seconds, not negative")
	case !oneOf(f.Input, "", "typed", "pasted", "autofilled", "mixed"):
		return Errorf(EINVALID, "form.input: must be typed, pasted, autofilled or mixed")
	case !oneOf(f.CompletedBy, "", "consumer", "agent"):
		return Errorf(EINVALID, "form.completedBy: must be consumer or agent")
	case f.DeviceLeads5m < 0:
		return Errorf(EINVALID, "form.deviceLeads5m: must not be negative")
	case !(f.BotScore >= 0 && f.BotScore <= 1):
		return Errorf(EINVALID, "form.botScore: must be from 0 to 1")
	case !allText([]string{f.DeviceID, f.IP, f.UserAgent}):
		return Errorf(EINVALID, "form: text must be UTF-8 without NUL, at most %d bytes", MaxLeadText)
	}
	return nil
}

// Age is how long ago the consumer submitted the form.
func (l *Lead) Age(now time.Time) time.Duration { return now.Sub(l.SubmittedAt) }

// DeliveryDelay is how long the vendor took to deliver the lead, by the
// vendor's delivery time (by Rapport's receipt when it gives none).
func (l *Lead) DeliveryDelay() time.Duration {
	if l.DeliveredAt.IsZero() {
		return l.ReceivedAt.Sub(l.SubmittedAt)
	}
	return l.DeliveredAt.Sub(l.SubmittedAt)
}

// LeadContact is one attempt to contact a lead. Its Outcome says whether
// a conversation happened (see the lead package's outcomes).
type LeadContact struct {
	LeadID  string    `json:"leadId"`
	At      time.Time `json:"at"`
	Outcome string    `json:"outcome"`
	Channel string    `json:"channel,omitempty"`
	Agent   string    `json:"agent,omitempty"`
	Team    string    `json:"team,omitempty"`
	// Value is the sale's value when the outcome is a conversion.
	Value float64 `json:"value,omitempty"`
	// MessageID is the tracking event that records the attempt; an attempt
	// recorded twice with one MessageID counts once.
	MessageID string `json:"messageId"`
	// Reached and Converted are the outcome's meaning, set by the caller.
	Reached   bool `json:"reached"`
	Converted bool `json:"converted"`
}

// BoughtLeadFilter selects bought leads, newest received first. (LeadFilter
// is the scoring list's filter of profiles by score.)
type BoughtLeadFilter struct {
	VendorID string
	PersonID string
	// ExternalID selects the vendor's lead of that id.
	ExternalID string
	// ConsentFailed selects leads not contactable; Returned those
	// returned to their vendor.
	ConsentFailed bool
	Returned      bool
	// Since and Until bound the time received, when not zero.
	Since, Until time.Time
	Offset       int
	Limit        int
}

// LeadHistory is what the stored leads know of a person: the earlier
// inquiries that match a lead's keys.
type LeadHistory struct {
	// PersonID is the person the keys find, "" for none.
	PersonID  string    `json:"personId,omitempty"`
	Inquiries int       `json:"inquiries"`
	LastAt    time.Time `json:"lastAt,omitzero"`
	Vendors   int       `json:"vendors"`
}

// Apply sets the lead's person and inquiry fields from the history: the
// lead is one more inquiry of that person.
func (h LeadHistory) Apply(l *Lead) {
	l.PersonID, l.Inquiry, l.EarlierAt, l.EarlierVendors = h.PersonID, h.Inquiries+1, h.LastAt, h.Vendors
	if l.PersonID == "" {
		l.PersonID = l.ID
	}
}

// LeadCap bounds the new leads bought from a vendor: at most Limit
// received since Since. A contract's daily and monthly caps are two
// (lead.Caps reads them from its terms).
type LeadCap struct {
	VendorID string
	// Term names the contract's term ("terms.dailyCap"), for errors.
	Term  string
	Limit int
	Since time.Time
	// Unpaid keeps a lead over the cap, marked OverCap at price 0, as
	// VendorTerms.OverCap unpaid says; otherwise the lead is refused.
	Unpaid bool
}

// CreatedLead is what LeadStore.CreateLeads made of one lead.
type CreatedLead struct {
	// Lead is the lead as stored: the new one or, for a retry, the one
	// stored before. Zero when the lead was refused.
	Lead Lead
	// Retry says the vendor had sold this lead already: its ExternalID
	// was stored, or came earlier in the same call.
	Retry bool
	// Refused is the cap the lead came over, when it was refused and not
	// stored; nil otherwise.
	Refused *LeadCap
}

// LeadAlert marks a lead alerted and queues its notification.
type LeadAlert struct {
	LeadID       string
	At           time.Time
	Notification Notification
}

// LeadStore keeps vendors, leads, their match keys and contact attempts.
type LeadStore interface {
	// CreateVendor stores a valid vendor; ECONFLICT when the id is taken.
	CreateVendor(ctx context.Context, v *Vendor) error
	// UpdateVendor replaces a stored vendor; ENOTFOUND when unknown.
	UpdateVendor(ctx context.Context, v *Vendor) error
	// DeleteVendor removes a vendor; ENOTFOUND when unknown, ECONFLICT when
	// leads were bought from it (deactivate it instead).
	DeleteVendor(ctx context.Context, id string) error
	// FindVendorByID returns the vendor or ENOTFOUND.
	FindVendorByID(ctx context.Context, id string) (*Vendor, error)
	// FindVendors returns every vendor by id.
	FindVendors(ctx context.Context) ([]*Vendor, error)

	// CreateLeads stores new leads in one transaction, in order, and
	// returns what became of each, in order. A lead whose vendor already
	// holds its ExternalID, stored or earlier in the call, is not stored
	// again: the stored one is returned in its place (a retry).
	//
	// A new lead is checked against the caps of its vendor in the same
	// transaction, serialised with every other store on the database, so
	// two processes cannot both take a cap's last place: a cap is full
	// when the vendor's stored leads received since its Since, and the
	// call's new leads before this one, reach its Limit (retries never
	// count). A lead over a full cap is refused and not stored, or kept
	// unpaid when the cap says so (LeadCap.Unpaid).
	//
	// For a lead kept, the store applies the history its match keys find
	// (LeadHistory.Apply; an earlier lead of the same call counts), then
	// calls complete, when not nil, so the caller can derive what depends
	// on it (the value) before the lead is written; keys held by two
	// persons merge them into the first. keys holds the normalised match
	// keys, one slice per lead. EINVALID when the lengths differ, a lead
	// has no ID or vendor, or two caps name one vendor's term.
	CreateLeads(ctx context.Context, leads []Lead, keys [][]string, caps []LeadCap, complete func(*Lead)) ([]CreatedLead, error)
	// FindLeadHistory returns the history of the person the first of the
	// keys that some stored lead holds finds, or an empty history.
	FindLeadHistory(ctx context.Context, keys []string) (LeadHistory, error)
	// FindLeadByID returns the lead or ENOTFOUND.
	FindLeadByID(ctx context.Context, id string) (*Lead, error)
	// FindBoughtLeads returns a page of leads, newest received first, and how
	// many match.
	FindBoughtLeads(ctx context.Context, f BoughtLeadFilter) ([]Lead, int, error)
	// FindWaitingLeads returns up to limit leads of the tier submitted at
	// or before submittedBefore, never contacted and never alerted, oldest
	// first: the SLA watcher's work.
	FindWaitingLeads(ctx context.Context, tier string, submittedBefore time.Time, limit int) ([]Lead, error)
	// RecordLeadContacts stores contact attempts and updates their leads
	// (attempts, first attempt, first contact, conversion) in one
	// transaction; an attempt whose MessageID is stored is skipped.
	// ENOTFOUND, writing nothing, when a lead is unknown.
	RecordLeadContacts(ctx context.Context, contacts []LeadContact) error
	// FindLeadContacts returns the attempts of the leads received in
	// [since, until) (all when both are zero), oldest first.
	FindLeadContacts(ctx context.Context, since, until time.Time) ([]LeadContact, error)
	// AlertLeads sets each lead's AlertedAt and queues its notification
	// for the subscribed webhooks, atomically; a lead already alerted is
	// skipped with its notification. It returns how many it alerted.
	AlertLeads(ctx context.Context, alerts []LeadAlert) (int, error)
	LeadOutcomeStore
}

// leadID reports whether s may be a vendor's id.
func leadID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

// leadText reports whether s is storable text: UTF-8 without NUL, at most
// MaxLeadText bytes.
func leadText(s string) bool {
	return len(s) <= MaxLeadText && utf8.ValidString(s) && strings.IndexByte(s, 0) < 0
}

func allText(ss []string) bool {
	for _, s := range ss {
		if !leadText(s) {
			return false
		}
	}
	return true
}

// money reports whether f is a finite amount, not negative.
func money(f float64) bool { return f >= 0 && !math.IsInf(f, 0) && !math.IsNaN(f) }

func oneOf(s string, options ...string) bool {
	for _, o := range options {
		if s == o {
			return true
		}
	}
	return false
}

// clip shortens s for an error message.
func clip(s string) string {
	if len(s) <= 60 {
		return s
	}
	for i := 60; i > 0; i-- {
		if utf8.RuneStart(s[i]) {
			return s[:i] + "…"
		}
	}
	return ""
}
