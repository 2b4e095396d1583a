package bench

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	mrand "math/rand/v2"
	"time"
)

// message is one Segment tracking message, as an SDK would send it.
type message struct {
	Type        string         `json:"type"`
	MessageID   string         `json:"messageId"`
	UserID      string         `json:"userId,omitempty"`
	AnonymousID string         `json:"anonymousId,omitempty"`
	Event       string         `json:"event,omitempty"`
	Name        string         `json:"name,omitempty"`
	Properties  map[string]any `json:"properties,omitempty"`
	Traits      map[string]any `json:"traits,omitempty"`
	Context     map[string]any `json:"context"`
	Timestamp   string         `json:"timestamp"`
}

// generator makes a realistic mix of messages about a large population of
// people. Each worker has its own, so no locking is needed.
type generator struct {
	rng      *mrand.Rand
	profiles int
	prefix   string
	n        int64
}

// runID returns a random prefix that makes a run's message ids unique.
func runID() string {
	var b [6]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// newGenerator returns worker w's generator for a run.
func newGenerator(cfg Config, run string, w int) *generator {
	return &generator{
		rng:      mrand.New(mrand.NewPCG(uint64(cfg.Seed), uint64(w))),
		profiles: cfg.Profiles,
		prefix:   fmt.Sprintf("bench-%s-%d-", run, w),
	}
}

// next returns the next message: pages half the time, then product views,
// cart adds, identifies and orders, like a shop's traffic.
func (g *generator) next(now time.Time) message {
	m, key := g.base(now)
	switch r := g.rng.IntN(100); {
	case r < 50:
		g.page(&m)
	case r < 75:
		g.track(&m, "Product Viewed", g.product())
	case r < 83:
		g.track(&m, "Product Added", g.product())
	case r < 93:
		g.identify(&m, key)
	default:
		g.track(&m, "Order Completed", g.order())
	}
	return m
}

// nextTrack returns the next track call, for /v1/track: product views and
// one order in ten.
func (g *generator) nextTrack(now time.Time) message {
	m, _ := g.base(now)
	if g.rng.IntN(10) == 0 {
		g.track(&m, "Order Completed", g.order())
	} else {
		g.track(&m, "Product Viewed", g.product())
	}
	return m
}

// base returns a message with its ids, time and context, and the key of
// the person it is about.
func (g *generator) base(now time.Time) (message, int) {
	g.n++
	key := g.rng.IntN(g.profiles)
	m := message{MessageID: fmt.Sprintf("%s%d", g.prefix, g.n), Timestamp: now.UTC().Format(time.RFC3339Nano)}
	// Three in ten visitors are anonymous, as on a shop before login.
	if g.rng.IntN(10) < 3 {
		m.AnonymousID = fmt.Sprintf("anon-%d", key)
	} else {
		m.UserID = fmt.Sprintf("user-%d", key)
	}
	m.Context = g.context()
	return m, key
}

// batch returns the JSON body of a /v1/batch request of n messages.
func (g *generator) batch(n int) []byte {
	now := time.Now()
	msgs := make([]message, n)
	for i := range msgs {
		msgs[i] = g.next(now)
	}
	body, err := json.Marshal(batchBody{Batch: msgs, SentAt: now.UTC().Format(time.RFC3339Nano)})
	if err != nil {
		panic(err) // messages hold only strings, numbers and maps of them
	}
	return body
}

// batchBody is a /v1/batch request.
type batchBody struct {
	Batch  []message `json:"batch"`
	SentAt string    `json:"sentAt"`
}

func (g *generator) page(m *message) {
	m.Type = "page"
	path := pages[g.rng.IntN(len(pages))]
	m.Name = path
	m.Properties = map[string]any{"path": path, "url": "https://shop.example.com" + path, "title": "Shop – " + path}
	m.Context["page"] = map[string]any{"path": path, "url": "https://shop.example.com" + path, "referrer": "https://www.google.com/"}
}

func (g *generator) track(m *message, event string, props map[string]any) {
	m.Type, m.Event, m.Properties = "track", event, props
}

func (g *generator) identify(m *message, key int) {
	m.Type = "identify"
	if m.UserID == "" {
		m.UserID = fmt.Sprintf("user-%d", key)
	}
	m.Traits = map[string]any{
		"email": fmt.Sprintf("user%d@example.com", key),
		"name":  fmt.Sprintf("Person %d", key),
		"plan":  plans[g.rng.IntN(len(plans))],
		"age":   18 + g.rng.IntN(60),
		"city":  cities[g.rng.IntN(len(cities))],
	}
}

// product returns a catalogue product's properties.
func (g *generator) product() map[string]any {
	i := g.rng.IntN(len(catalog))
	p := catalog[i]
	return map[string]any{
		"product_id": fmt.Sprintf("P%04d", i), "sku": fmt.Sprintf("SKU-%04d", i), "name": p.name,
		"category": p.category, "brand": p.brand, "price": p.price, "quantity": 1 + g.rng.IntN(3),
	}
}

// order returns an Order Completed's properties with one to four products.
func (g *generator) order() map[string]any {
	n := 1 + g.rng.IntN(4)
	products := make([]any, n)
	revenue := 0.0
	for i := range products {
		p := g.product()
		revenue += p["price"].(float64) * float64(p["quantity"].(int))
		products[i] = p
	}
	return map[string]any{
		"order_id": fmt.Sprintf("%s-o%d", g.prefix, g.n), "revenue": float64(int(revenue*100)) / 100,
		"currency": "USD", "products": products,
	}
}

// context returns the context an analytics.js client sends.
func (g *generator) context() map[string]any {
	return map[string]any{
		"library":   map[string]any{"name": "analytics.js", "version": "4.1.0"},
		"ip":        fmt.Sprintf("10.%d.%d.%d", g.rng.IntN(256), g.rng.IntN(256), 1+g.rng.IntN(254)),
		"userAgent": userAgents[g.rng.IntN(len(userAgents))],
		"locale":    "en-US",
	}
}

var (
	pages      = []string{"/", "/shoes", "/shoes/trail", "/bags", "/sale", "/cart", "/account", "/blog/how-to-choose"}
	plans      = []string{"free", "basic", "premium"}
	cities     = []string{"London", "Paris", "Berlin", "Austin", "Toronto", "Madrid"}
	userAgents = []string{
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
	}
	catalog = []struct {
		name, category, brand string
		price                 float64
	}{
		{"Trail Runner 2", "shoes", "Northpeak", 119.0},
		{"City Sneaker", "shoes", "Urbanfoot", 79.5},
		{"Rain Shell", "jackets", "Northpeak", 149.0},
		{"Daypack 20L", "bags", "Carryall", 59.9},
		{"Wool Socks", "accessories", "Urbanfoot", 12.5},
		{"Water Bottle", "accessories", "Carryall", 19.0},
	}
)
