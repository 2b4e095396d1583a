package csvimport

import (
	"fmt"

	"github.com/rapportdev/rapport"
)

// order is an order being assembled from its lines.
type order struct {
	first      orderLine
	lines      int
	amount     float64
	revenue    float64
	hasRevenue bool
	products   []any
	traits     map[string]any
}

// add folds one more line into the order.
func (o *order) add(l orderLine) {
	if o.lines == 0 {
		o.first = l
	}
	o.lines++
	if l.hasRevenue && !o.hasRevenue {
		o.revenue, o.hasRevenue = l.revenue, true
	}
	if l.product != nil {
		o.products = append(o.products, l.product)
		o.amount += l.amount
	}
	for k, v := range l.traits {
		if o.traits == nil {
			o.traits = map[string]any{}
		}
		if _, ok := o.traits[k]; !ok {
			o.traits[k] = v
		}
	}
}

// total is the revenue column when given, else the sum of the lines.
func (o *order) total() float64 {
	if o.hasRevenue {
		return o.revenue
	}
	return roundMoney(o.amount)
}

// event builds the order's track event.
func (o *order) event(opts Options) rapport.Event {
	f := o.first
	revenue := o.total()
	name := rapport.EventOrderCompleted
	props := map[string]any{"order_id": f.orderID, "revenue": revenue}
	if revenue < 0 {
		name = rapport.EventOrderRefunded
		props["total"] = -revenue
	}
	setIf(props, "currency", f.currency)
	setIf(props, "channel", f.channel)
	if len(o.products) > 0 {
		props["products"] = o.products
	}
	ctx := importContext(opts.Source, f.line, o.lines)
	setIf(ctx, "channel", f.channel)
	if traits := o.contextTraits(); traits != nil {
		ctx["traits"] = traits
	}
	uid, aid := f.person.ids()
	now := opts.Clock.Now().UTC()
	return rapport.Event{
		SourceID:    opts.Source,
		MessageID:   "import:order:" + digest(opts.Source, f.orderID),
		Type:        rapport.EventTrack,
		Event:       name,
		UserID:      uid,
		AnonymousID: aid,
		Properties:  props,
		Context:     ctx,
		Timestamp:   f.at,
		ReceivedAt:  now,
	}
}

// contextTraits merges the person's email and phone with the lines'
// trait.* cells.
func (o *order) contextTraits() map[string]any {
	traits := o.first.person.contextTraits()
	for k, v := range o.traits {
		if traits == nil {
			traits = map[string]any{}
		}
		traits[k] = v
	}
	return traits
}

func setIf(m map[string]any, key, value string) {
	if value != "" {
		m[key] = value
	}
}

// grouper gathers lines into orders and emits each order once complete:
// at the end of the file, or, for a grouped file, when the order id
// changes.
type grouper struct {
	opts Options
	out  *batcher
	rep  *Report
	// open holds the orders not emitted yet, in order of first line.
	open  map[string]*order
	order []string
	// ended maps the orders already emitted (grouped files only) to the
	// line they started on.
	ended map[string]int
}

func newGrouper(opts Options, out *batcher, rep *Report) *grouper {
	return &grouper{opts: opts, out: out, rep: rep, open: map[string]*order{}, ended: map[string]int{}}
}

// add folds an accepted line into its order, or rejects it.
func (g *grouper) add(l orderLine) error {
	if start, ok := g.ended[l.orderID]; ok {
		g.rep.reject(l.line, "order %q already ended (it started on line %d): the file is not grouped by order id", l.orderID, start)
		return nil
	}
	o, ok := g.open[l.orderID]
	if !ok && g.opts.Grouped {
		if err := g.flushAll(); err != nil {
			return err
		}
	}
	if !ok {
		o = &order{}
		g.open[l.orderID] = o
		g.order = append(g.order, l.orderID)
	} else if o.first.person != l.person {
		g.rep.reject(l.line, "customer differs from order %q's first line %d", l.orderID, o.first.line)
		return nil
	}
	o.add(l)
	g.rep.Accepted++
	return nil
}

// flushAll emits every open order, in order of first line.
func (g *grouper) flushAll() error {
	for _, id := range g.order {
		o := g.open[id]
		ev := o.event(g.opts)
		if ev.Event == rapport.EventOrderRefunded {
			g.rep.Refunds++
		} else {
			g.rep.Orders++
		}
		if err := g.out.add(ev); err != nil {
			return fmt.Errorf("order %q: %w", id, err)
		}
		if g.opts.Grouped {
			g.ended[id] = o.first.line
		}
		delete(g.open, id)
	}
	g.order = g.order[:0]
	return nil
}
