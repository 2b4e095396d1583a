package profile_test

import (
	"math"
	"testing"

	"github.com/rapportdev/rapport"
)

func completed(user string, minute int, props map[string]any) *rapport.Event {
	return track(user, "", rapport.EventOrderCompleted, minute, props)
}

func TestOrderCompleted(t *testing.T) {
	tests := []struct {
		name        string
		ev          *rapport.Event
		want        rapport.Order
		wantCats    map[string]float64
		wantCost    float64
		wantMargin  float64
		wantChannel string
	}{
		{
			name: "numbers",
			ev: completed("1", 0, map[string]any{
				"order_id": "o1", "revenue": 25.0, "currency": "usd",
				"products": []any{
					map[string]any{"product_id": "p1", "category": "Shoes", "brand": "Ace", "price": 10.0, "quantity": 2.0, "cost": 4.0},
					map[string]any{"sku": "s2", "category": "Socks", "price": 5.0},
				},
			}),
			want:        rapport.Order{OrderID: "o1", Revenue: 25, Currency: "USD", Channel: "server", Cost: 8},
			wantCats:    map[string]float64{"Shoes": 20, "Socks": 5},
			wantCost:    8,
			wantMargin:  17,
			wantChannel: "server",
		},
		{
			name: "strings and revenue from products",
			ev: completed("1", 0, map[string]any{
				"order_id": 1001.0, "channel": "POS",
				"products": []any{
					map[string]any{"category": "Shoes", "price": "10.50", "quantity": "2"},
					map[string]any{"category": "Hats", "price": " 4 ", "quantity": "x"},
					"not a product", 3.0, nil,
				},
			}),
			want:        rapport.Order{OrderID: "1001", Revenue: 25, Channel: "in-store"},
			wantCats:    map[string]float64{"Shoes": 21, "Hats": 4},
			wantChannel: "in-store",
		},
		{
			name: "total, checkout id, margin, phone channel",
			ev: withContext(completed("1", 0, map[string]any{"checkout_id": "c9", "total": "40", "margin": 15.0}),
				map[string]any{"channel": "call_center"}),
			want:        rapport.Order{OrderID: "c9", Revenue: 40, Channel: "phone", Cost: 25},
			wantCost:    25,
			wantMargin:  15,
			wantChannel: "phone",
		},
		{
			name:        "no id, products an object, web words",
			ev:          completed("1", 0, map[string]any{"channel": "Website", "products": map[string]any{"price": 7.0, "brand": "Ace"}}),
			want:        rapport.Order{OrderID: "m1", Revenue: 7, Channel: "web"},
			wantChannel: "web",
		},
		{
			name:        "garbage shapes",
			ev:          completed("1", 0, map[string]any{"order_id": map[string]any{}, "revenue": "NaN", "total": []any{}, "products": "lots", "currency": 5.0}),
			want:        rapport.Order{OrderID: "m1", Revenue: 0, Currency: "5", Channel: "server"},
			wantChannel: "server",
		},
		{
			name:        "negative revenue reads as zero",
			ev:          completed("1", 0, map[string]any{"order_id": "neg", "revenue": -5.0}),
			want:        rapport.Order{OrderID: "neg", Channel: "server"},
			wantChannel: "server",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newMemView()
			c := v.apply(t, tt.ev)
			p := v.user(t, "1")
			if len(c.Orders) != 1 {
				t.Fatalf("orders = %+v, want one", c.Orders)
			}
			o := c.Orders[0]
			if o.OrderID != tt.want.OrderID || o.Revenue != tt.want.Revenue || o.Currency != tt.want.Currency ||
				o.Channel != tt.want.Channel || o.Cost != tt.want.Cost || o.ProfileID != p.ID || !o.At.Equal(at(0)) {
				t.Errorf("order = %+v, want %+v on %s at %v", o, tt.want, p.ID, at(0))
			}
			a := p.Aggregates
			if a.Orders != 1 || a.Revenue != tt.want.Revenue || a.AverageOrderValue != tt.want.Revenue {
				t.Errorf("orders, revenue, aov = %d, %v, %v, want 1, %v, %v", a.Orders, a.Revenue, a.AverageOrderValue, tt.want.Revenue, tt.want.Revenue)
			}
			if a.Cost != tt.wantCost || a.Margin != tt.wantMargin {
				t.Errorf("cost, margin = %v, %v, want %v, %v", a.Cost, a.Margin, tt.wantCost, tt.wantMargin)
			}
			if a.PurchaseChannels[tt.wantChannel] != 1 {
				t.Errorf("purchase channels = %v, want %s: 1", a.PurchaseChannels, tt.wantChannel)
			}
			for k, want := range tt.wantCats {
				if got := a.Categories[k]; math.Abs(got-want) > 1e-9 {
					t.Errorf("categories[%s] = %v, want %v", k, got, want)
				}
			}
			if !a.FirstOrderAt.Equal(at(0)) || !a.LastOrderAt.Equal(at(0)) {
				t.Errorf("first, last order = %v, %v, want %v", a.FirstOrderAt, a.LastOrderAt, at(0))
			}
		})
	}
}

func TestDuplicateOrderCountsOnce(t *testing.T) {
	order := func(minute int) *rapport.Event {
		return completed("1", minute, map[string]any{"order_id": "o1", "revenue": 10.0})
	}
	tests := []struct {
		name    string
		batches [][]*rapport.Event
	}{
		{"same batch", [][]*rapport.Event{{order(0), order(1)}}},
		{"later batch", [][]*rapport.Event{{order(0)}, {order(1)}}},
		{"after a merge", [][]*rapport.Event{
			{track("", "a", rapport.EventOrderCompleted, 0, map[string]any{"order_id": "o1", "revenue": 10.0})},
			{identify("1", "a", 1, nil), order(2)},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newMemView()
			for _, b := range tt.batches {
				v.apply(t, b...)
			}
			a := v.user(t, "1").Aggregates
			if a.Orders != 1 || a.Revenue != 10 {
				t.Errorf("orders, revenue = %d, %v, want 1, 10", a.Orders, a.Revenue)
			}
			if got := a.Events[rapport.EventOrderCompleted]; got != 2 {
				t.Errorf("order events = %d, want 2 (the event is still seen)", got)
			}
			if got := len(v.orders[v.user(t, "1").ID]); got != 1 {
				t.Errorf("ledger = %d, want 1", got)
			}
		})
	}
}

func TestOrderRefunded(t *testing.T) {
	tests := []struct {
		name        string
		props       map[string]any
		wantRevenue float64
	}{
		{"partial", map[string]any{"order_id": "o1", "revenue": 30.0}, 70},
		{"total as string", map[string]any{"order_id": "o1", "total": "100"}, 0},
		{"more than was spent", map[string]any{"revenue": 500.0}, 0},
		{"from products", map[string]any{"products": []any{map[string]any{"price": 5.0, "quantity": 2.0}}}, 90},
		{"no amount", map[string]any{"order_id": "o1"}, 100},
		{"negative", map[string]any{"revenue": -20.0}, 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newMemView()
			v.apply(t, completed("1", 0, map[string]any{"order_id": "o1", "revenue": 100.0}),
				track("1", "", rapport.EventOrderRefunded, 5, tt.props))
			a := v.user(t, "1").Aggregates
			if a.Revenue != tt.wantRevenue || a.Orders != 1 || a.AverageOrderValue != tt.wantRevenue {
				t.Errorf("revenue, orders, aov = %v, %d, %v, want %v, 1, %v", a.Revenue, a.Orders, a.AverageOrderValue, tt.wantRevenue, tt.wantRevenue)
			}
		})
	}
}
