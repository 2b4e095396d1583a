package csvimport

import "time"

// orderLine is one accepted line of an order file.
type orderLine struct {
	line     int
	orderID  string
	person   person
	at       time.Time
	currency string
	channel  string
	traits   map[string]any
	// revenue is the revenue column, when the line has one.
	revenue    float64
	hasRevenue bool
	// amount is price × quantity, when the line has a price.
	amount  float64
	product map[string]any
}

// readOrderLine reads one line, or returns the reason to reject it.
func readOrderLine(t *table, rec []string, line int, opts Options) (orderLine, string) {
	l := orderLine{line: line, orderID: normalizeID(t.get(rec, "order_id"))}
	if l.orderID == "" {
		return l, "missing order id"
	}
	var reason string
	if l.person, reason = readPerson(t, rec); reason != "" {
		return l, reason
	}
	s := t.get(rec, "timestamp")
	if s == "" {
		return l, "missing timestamp"
	}
	var err error
	if l.at, err = parseTime(s, opts.TimeLayouts, opts.Location); err != nil {
		return l, "timestamp: " + err.Error()
	}
	if reason = l.readAmounts(t, rec); reason != "" {
		return l, reason
	}
	l.currency = orDefault(t.get(rec, "currency"), opts.Currency)
	l.channel = orDefault(t.get(rec, "channel"), opts.Channel)
	l.traits = lineTraits(t, rec)
	return l, ""
}

// readAmounts reads the revenue, price, quantity and cost cells and builds
// the product line.
func (l *orderLine) readAmounts(t *table, rec []string) string {
	if s := t.get(rec, "revenue"); s != "" {
		f, err := parseNumber(s)
		if err != nil {
			return "revenue: " + err.Error()
		}
		l.revenue, l.hasRevenue = f, true
	}
	price, hasPrice, reason := optionalNumber(t, rec, "price")
	if reason != "" {
		return reason
	}
	if !hasPrice && !l.hasRevenue {
		return "missing price and revenue"
	}
	quantity, hasQuantity, reason := optionalNumber(t, rec, "quantity")
	if reason != "" {
		return reason
	}
	if !hasQuantity {
		quantity = 1
	}
	cost, hasCost, reason := optionalNumber(t, rec, "cost")
	if reason != "" {
		return reason
	}
	if hasPrice {
		l.amount = price * quantity
	}
	l.product = productOf(t, rec, price, quantity, cost, hasPrice, hasCost)
	return ""
}

// optionalNumber reads a numeric cell that may be empty.
func optionalNumber(t *table, rec []string, field string) (float64, bool, string) {
	s := t.get(rec, field)
	if s == "" {
		return 0, false, ""
	}
	f, err := parseNumber(s)
	if err != nil {
		return 0, false, field + ": " + err.Error()
	}
	return f, true, ""
}

// productFields pairs the text fields of a product line with their names
// in the Segment e-commerce spec.
var productFields = [][2]string{
	{"product_id", "product_id"}, {"sku", "sku"}, {"product_name", "name"},
	{"category", "category"}, {"brand", "brand"},
}

// productOf returns the line's entry of the products property, with the
// Segment e-commerce spec's names, or nil when the file describes no
// products.
func productOf(t *table, rec []string, price, quantity, cost float64, hasPrice, hasCost bool) map[string]any {
	p := map[string]any{}
	for _, fk := range productFields {
		if v := t.get(rec, fk[0]); v != "" {
			p[fk[1]] = v
		}
	}
	if len(p) == 0 && !hasPrice {
		return nil
	}
	if id, ok := p["product_id"].(string); ok {
		p["product_id"] = normalizeID(id)
	}
	p["price"] = price
	p["quantity"] = quantity
	if hasCost {
		p["cost"] = cost
	}
	return p
}

// lineTraits returns the line's trait.* cells, for the event's
// context.traits, or nil.
func lineTraits(t *table, rec []string) map[string]any {
	var traits map[string]any
	for _, tf := range t.traits {
		if v := t.get(rec, tf[0]); v != "" {
			if traits == nil {
				traits = map[string]any{}
			}
			traits[tf[1]] = traitValue(v)
		}
	}
	return traits
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
