package demo

import "fmt"

// deviceContext is what analytics.js (or the iOS SDK, for app users)
// sends; a landing view carries the campaign that brought the visitor.
func (j *journey) deviceContext(landing bool) map[string]any {
	ctx := map[string]any{
		"ip":     fmt.Sprintf("203.0.113.%d", 1+j.p.index%254),
		"locale": "en-US",
	}
	if j.app {
		ctx["library"] = map[string]any{"name": "analytics-ios", "version": "4.1.5"}
		ctx["channel"] = "mobile"
		ctx["app"] = map[string]any{"name": "Trailhead Shop", "version": "3.2.0"}
	} else {
		ctx["library"] = map[string]any{"name": "analytics.js", "version": "4.1.0"}
		ctx["channel"] = "web"
		ctx["userAgent"] = userAgents[j.p.index%len(userAgents)]
	}
	if landing {
		ctx["campaign"] = pick(j.rng, campaigns)
	}
	return ctx
}

// serverContext is the context of events sent by the shop's own systems:
// the point of sale, the phone desk, the email provider, the CRM.
func serverContext(channel string) map[string]any {
	return map[string]any{
		"library": map[string]any{"name": "rapport-demo-" + channel, "version": "1"},
		"channel": channel,
	}
}

// productProps are a product's properties as the Segment e-commerce spec
// names them.
func productProps(p product, quantity int) map[string]any {
	return map[string]any{
		"product_id": p.id, "sku": p.sku, "name": p.name, "category": p.category, "brand": p.brand,
		"price": p.price, "quantity": float64(quantity), "cost": p.cost,
	}
}

// lineProps are an order line's product properties, at the price paid.
func lineProps(l line) map[string]any {
	props := productProps(l.product, l.quantity)
	props["price"] = l.price
	return props
}
