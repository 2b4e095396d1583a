package http_test

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	analytics "github.com/segmentio/analytics-go/v3"
)

// callback records what the Segment client reports for each message.
type callback struct {
	mu        sync.Mutex
	successes []analytics.Message
	failures  []error
}

func (c *callback) Success(m analytics.Message) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.successes = append(c.successes, m)
}

func (c *callback) Failure(m analytics.Message, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.failures = append(c.failures, err)
}

// TestSegmentClient drives the real analytics-go client against the
// server and checks every message is stored with its fields.
func TestSegmentClient(t *testing.T) {
	env := newTrackEnv(t, trackConfig{clock: rapport.SystemClock{}})
	cb := &callback{}
	client, err := analytics.NewWithConfig(trackWriteKey, analytics.Config{
		Endpoint: env.srv.URL, BatchSize: 4, Interval: 50 * time.Millisecond, Callback: cb,
		DefaultContext: &analytics.Context{Library: analytics.LibraryInfo{Name: "analytics-go", Version: "3.3.0"}},
	})
	if err != nil {
		t.Fatalf("new client: %v", err)
	}
	order := analytics.NewProperties().SetOrderId("o-1001").SetRevenue(59.9).SetCurrency("EUR").
		SetProducts(
			analytics.Product{ID: "p1", SKU: "SKU-1", Name: "Mug", Price: 19.95},
			analytics.Product{ID: "p2", SKU: "SKU-2", Name: "Tea", Price: 39.95},
		)
	messages := []analytics.Message{
		analytics.Identify{MessageId: "seg-identify", UserId: "user-1",
			Traits: analytics.NewTraits().SetEmail("ann@example.com").SetName("Ann")},
		analytics.Track{MessageId: "seg-viewed", AnonymousId: "anon-1", Event: "Product Viewed",
			Properties: analytics.NewProperties().SetSKU("SKU-1").SetPrice(19.95)},
		analytics.Track{MessageId: "seg-order", UserId: "user-1", Event: rapport.EventOrderCompleted, Properties: order},
		analytics.Page{MessageId: "seg-page", UserId: "user-1", Name: "Pricing",
			Properties: analytics.NewProperties().SetURL("https://example.com/pricing")},
		analytics.Screen{MessageId: "seg-screen", UserId: "user-1", Name: "Home"},
		analytics.Group{MessageId: "seg-group", UserId: "user-1", GroupId: "acme",
			Traits: analytics.NewTraits().SetName("Acme Inc")},
		analytics.Alias{MessageId: "seg-alias", PreviousId: "anon-1", UserId: "user-1"},
	}
	for _, m := range messages {
		if err := client.Enqueue(m); err != nil {
			t.Fatalf("enqueue: %v", err)
		}
	}
	if err := client.Close(); err != nil {
		t.Fatalf("close client: %v", err)
	}
	if len(cb.failures) > 0 || len(cb.successes) != len(messages) {
		t.Fatalf("client callbacks: got %d successes and failures %v, want %d successes",
			len(cb.successes), cb.failures, len(messages))
	}
	checkSegmentEvents(t, env)
}

// checkSegmentEvents checks the fields of the events analytics-go sent.
func checkSegmentEvents(t *testing.T, env *trackEnv) {
	t.Helper()
	stored := env.events(t)
	wantField(t, "stored", len(stored), 7)
	id := stored["seg-identify"]
	wantField(t, "identify type", id.Type, rapport.EventIdentify)
	wantField(t, "identify email", id.Traits["email"], any("ann@example.com"))
	lib, _ := id.Context["library"].(map[string]any)
	wantField(t, "library from the batch context", lib["name"], any("analytics-go"))
	if id.SentAt.IsZero() || id.OriginalTimestamp.IsZero() {
		t.Errorf("identify times: got sentAt %v originalTimestamp %v, want both set", id.SentAt, id.OriginalTimestamp)
	}
	order := stored["seg-order"]
	wantField(t, "order event", order.Event, rapport.EventOrderCompleted)
	wantField(t, "order revenue", order.Properties["revenue"], any(59.9))
	products, _ := order.Properties["products"].([]any)
	wantField(t, "order products", len(products), 2)
	if len(products) == 2 {
		// analytics-go tags Product.SKU as "sky" (sic), so check the id.
		p, _ := products[1].(map[string]any)
		wantField(t, "second product id", p["id"], any("p2"))
		wantField(t, "second product price", p["price"], any(39.95))
	}
	wantField(t, "viewed anonymousId", stored["seg-viewed"].AnonymousID, "anon-1")
	wantField(t, "page name", stored["seg-page"].Name, "Pricing")
	wantField(t, "screen name", stored["seg-screen"].Name, "Home")
	wantField(t, "group id", stored["seg-group"].GroupID, "acme")
	wantField(t, "alias previousId", stored["seg-alias"].PreviousID, "anon-1")
}

// TestRudderStackBatch posts a gzipped batch shaped like RudderStack's
// JavaScript SDK sends: Basic auth, originalTimestamp instead of
// timestamp, channel, rudderId and context.sessionId.
func TestRudderStackBatch(t *testing.T) {
	body, err := os.ReadFile(filepath.Join("testdata", "rudderstack_batch.json"))
	if err != nil {
		t.Fatalf("read payload: %v", err)
	}
	env := newTrackEnv(t, trackConfig{})
	headers := basic(trackWriteKey)
	headers["Content-Encoding"] = "gzip"
	status, _, got := env.post(t, "/v1/batch", headers, gzipped(t, string(body)))
	if status != 200 {
		t.Fatalf("status: got %d, want 200; body %s", status, got)
	}
	stored := env.events(t)
	wantField(t, "stored", len(stored), 3)
	page := stored["b5e7d6c4-6a1f-4e23-9d1c-2f6a0e1b7c01"]
	wantField(t, "page type", page.Type, rapport.EventPage)
	wantField(t, "page name", page.Name, "Pricing")
	wantField(t, "channel", page.Context["channel"], any("web"))
	wantField(t, "sessionId", page.Context["sessionId"], any(1717243190000.0))
	// originalTimestamp 11:59:50 sent at 12:00:00 by the client, received
	// at 12:00:00 by the server: no skew, 10s earlier.
	wantField(t, "timestamp", page.Timestamp, trackNow.Add(-10*time.Second))
	track := stored["b5e7d6c4-6a1f-4e23-9d1c-2f6a0e1b7c02"]
	wantField(t, "track event", track.Event, "Product Added")
	wantField(t, "track anonymousId", track.AnonymousID, "5f8a3b2e-1d4c-4e9a-8b7f-6c2d1e0a9b3c")
	wantField(t, "identify userId", stored["b5e7d6c4-6a1f-4e23-9d1c-2f6a0e1b7c03"].UserID, "user-77")
}
