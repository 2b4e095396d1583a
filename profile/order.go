package profile

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/rapportdev/rapport"
)

// order applies an Order Completed event: a ledger line and the purchase
// aggregates, unless the profile already has an order with that id (the
// same order imported twice under different message ids counts once).
// Product lines take what they lack from the catalogue first, so the
// order's cost and its category and brand sums count it.
func (b *Batch) order(ctx context.Context, p *rapport.Profile, ev *rapport.Event, t time.Time) error {
	o := parseOrder(ev)
	o.ProfileID, o.At = p.ID, t
	dup, err := b.hasOrder(ctx, p.ID, o.OrderID)
	if err != nil || dup {
		return err
	}
	if err := b.fromCatalogue(ctx, o.Products); err != nil {
		return err
	}
	var costKnown bool
	o.Cost, costKnown = orderCost(ev.Properties, o.Revenue, o.Products)
	b.markOrder(p.ID, o.OrderID)
	b.orders = append(b.orders, o)
	addOrder(&p.Aggregates, o, costKnown)
	return nil
}

// hasOrder asks the batch, then the View for the profile and for every
// stored profile merged into it in this batch.
func (b *Batch) hasOrder(ctx context.Context, profileID, orderID string) (bool, error) {
	if b.orderIDs[profileID][orderID] {
		return true, nil
	}
	ids := b.absorbed[profileID]
	if !b.created[profileID] {
		ids = append([]string{profileID}, ids...)
	}
	for _, id := range ids {
		has, err := b.view.HasOrder(ctx, id, orderID)
		if err != nil {
			return false, fmt.Errorf("find order %s of %s: %w", orderID, id, err)
		}
		if has {
			return true, nil
		}
	}
	return false, nil
}

func (b *Batch) markOrder(profileID, orderID string) {
	if b.orderIDs[profileID] == nil {
		b.orderIDs[profileID] = map[string]bool{}
	}
	b.orderIDs[profileID][orderID] = true
}

// addOrder adds an order to the purchase aggregates. Cost and Margin sum
// over the orders whose cost is known. Revenues in different currencies
// are added as they are: Rapport does not convert.
func addOrder(a *rapport.Aggregates, o rapport.Order, costKnown bool) {
	a.Orders++
	a.Revenue = addFinite(a.Revenue, o.Revenue)
	if costKnown {
		a.Cost = addFinite(a.Cost, o.Cost)
		a.Margin = addFinite(a.Margin, o.Revenue-o.Cost)
	}
	averageOrderValue(a)
	a.FirstOrderAt = rapport.Earliest(a.FirstOrderAt, o.At)
	a.LastOrderAt = rapport.Latest(a.LastOrderAt, o.At)
	a.Firsts.SeeOrder(o.At)
	if o.Channel != "" {
		a.PurchaseChannels = inc(a.PurchaseChannels, o.Channel, 1)
	}
	for _, pr := range o.Products {
		line := lineTotal(pr)
		if pr.Category != "" {
			a.Categories = addSum(a.Categories, pr.Category, line)
			a.Recent.AddPurchase(pr.Category, o.At)
			a.Firsts.SeeCategory(pr.Category, o.At)
		}
		if pr.Brand != "" {
			a.Brands = addSum(a.Brands, pr.Brand, line)
		}
	}
}

// refund applies an Order Refunded event: its amount (revenue, else total,
// else the sum of its product lines) comes off Revenue, never taking it
// below zero. The order count, the ledger and the category and brand sums
// stay as they were: the order happened; the money came back.
func refund(a *rapport.Aggregates, ev *rapport.Event) {
	amount := orderAmount(ev.Properties, parseProducts(ev.Properties["products"]))
	amount = min(amount, a.Revenue)
	if amount <= 0 {
		return
	}
	a.Revenue -= amount
	averageOrderValue(a)
}

// orderAmount reads an order's revenue: properties.revenue, else total,
// else the sum of price × quantity over its products. A negative amount
// reads as zero.
func orderAmount(props map[string]any, products []rapport.Product) float64 {
	for _, key := range []string{"revenue", "total"} {
		if v, ok := rapport.Number(props[key]); ok {
			return max(v, 0)
		}
	}
	var sum float64
	for _, pr := range products {
		sum = addFinite(sum, lineTotal(pr))
	}
	return max(sum, 0)
}

func lineTotal(pr rapport.Product) float64 {
	if v := pr.Price * pr.Quantity; isFinite(v) {
		return v
	}
	return 0
}

// orderID reads properties.order_id, else checkout_id, else the messageId.
func orderID(ev *rapport.Event) string {
	for _, key := range []string{"order_id", "checkout_id"} {
		if id := text(ev.Properties[key]); id != "" {
			return id
		}
	}
	return ev.MessageID
}

// orderChannel is properties.channel when set, else the event's channel.
func orderChannel(ev *rapport.Event) string {
	if s, ok := ev.Properties["channel"].(string); ok {
		if c := normalizeChannel(s); c != "" {
			return c
		}
	}
	return eventChannel(ev)
}

// parseOrder reads an Order Completed event's properties after the
// Segment e-commerce spec; its cost is left to orderCost.
func parseOrder(ev *rapport.Event) rapport.Order {
	props := ev.Properties
	products := parseProducts(props["products"])
	return rapport.Order{
		OrderID:   orderID(ev),
		MessageID: ev.MessageID,
		Revenue:   orderAmount(props, products),
		Currency:  strings.ToUpper(text(props["currency"])),
		Channel:   orderChannel(ev),
		Products:  products,
	}
}

// orderCost reads the cost of goods: properties.cost, else revenue less
// properties.margin, else the sum of product cost × quantity when any
// product has a cost (its own, or the catalogue's).
func orderCost(props map[string]any, revenue float64, products []rapport.Product) (float64, bool) {
	if c, ok := rapport.Number(props["cost"]); ok {
		return c, true
	}
	if m, ok := rapport.Number(props["margin"]); ok {
		return revenue - m, true
	}
	var sum float64
	var known bool
	for _, pr := range products {
		if pr.Cost != 0 {
			known = true
			if v := pr.Cost * pr.Quantity; isFinite(v) {
				sum = addFinite(sum, v)
			}
		}
	}
	return sum, known
}
