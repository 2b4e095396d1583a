package webhook_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/sqlite"
	"github.com/rapportdev/rapport/webhook"
)

const testSecret = "whsec_0123456789abcdef"

// start is the fake clock's first reading.
var start = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// clock is a fake clock the test moves by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *clock) advance(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.now = c.now.Add(d) }

// received is one request a receiver got.
type received struct {
	header http.Header
	body   []byte
}

// receiver is an httptest server answering each request with the next of
// its statuses (the last one repeats), recording what it got.
type receiver struct {
	srv      *httptest.Server
	mu       sync.Mutex
	statuses []int
	got      []received
}

func newReceiver(t *testing.T, statuses ...int) *receiver {
	t.Helper()
	r := &receiver{statuses: statuses}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.got = append(r.got, received{header: req.Header.Clone(), body: body})
		status := r.statuses[min(len(r.got), len(r.statuses))-1]
		r.mu.Unlock()
		w.WriteHeader(status)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) requests() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

// openStore opens a SQLite store at path, closed with the test.
func openStore(t *testing.T, path string) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// subscribe creates an active webhook for every notification type.
func subscribe(t *testing.T, s rapport.WebhookStore, url string) *rapport.Webhook {
	t.Helper()
	w := &rapport.Webhook{URL: url, Secret: testSecret, Events: []string{"*"}, Active: true}
	if err := s.CreateWebhook(context.Background(), w); err != nil {
		t.Fatalf("create webhook: %v", err)
	}
	return w
}

// salesReady is the notification the tests send.
func salesReady() rapport.Notification {
	return rapport.Notification{Type: "rule.sales_ready", ProfileID: "p_ann", At: start.Add(-time.Minute),
		Payload: map[string]any{"fit": "A", "engagement": float64(72)}}
}

// enqueue queues a sales-ready notification.
func enqueue(t *testing.T, s rapport.WebhookStore) {
	t.Helper()
	if err := s.EnqueueNotifications(context.Background(), []rapport.Notification{salesReady()}); err != nil {
		t.Fatalf("enqueue: %v", err)
	}
}

// deliverDue runs one round and wants n attempts.
func deliverDue(t *testing.T, d *webhook.Dispatcher, want int) {
	t.Helper()
	n, err := d.DeliverDue(context.Background())
	if err != nil || n != want {
		t.Fatalf("DeliverDue = %d, %v; want %d attempts", n, err, want)
	}
}

// onlyDelivery returns the store's one delivery.
func onlyDelivery(t *testing.T, s rapport.WebhookStore) rapport.Delivery {
	t.Helper()
	ds, err := s.FindDeliveries(context.Background(), rapport.DeliveryFilter{})
	if err != nil || len(ds) != 1 {
		t.Fatalf("FindDeliveries = %d deliveries, %v; want 1", len(ds), err)
	}
	return ds[0]
}

// verify checks a request the way docs/architecture.md tells receivers to.
func verify(secret string, h http.Header, body []byte) bool {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(h.Get("Rapport-Timestamp") + "."))
	mac.Write(body)
	want := "sha256=" + hex.EncodeToString(mac.Sum(nil))
	return hmac.Equal([]byte(want), []byte(h.Get("Rapport-Signature")))
}

func TestDeliverSigned(t *testing.T) {
	s := openStore(t, filepath.Join(t.TempDir(), "rapport.db"))
	rcv := newReceiver(t, 204)
	w := subscribe(t, s, rcv.srv.URL)
	enqueue(t, s)
	clk := &clock{now: start}
	deliverDue(t, &webhook.Dispatcher{Store: s, Clock: clk}, 1)

	got := rcv.requests()
	if len(got) != 1 {
		t.Fatalf("receiver got %d requests, want 1", len(got))
	}
	h, del := got[0].header, onlyDelivery(t, s)
	if !verify(testSecret, h, got[0].body) {
		t.Errorf("signature %q does not verify", h.Get("Rapport-Signature"))
	}
	if verify("another secret 0123", h, got[0].body) {
		t.Errorf("signature verifies with the wrong secret")
	}
	wantHeaders := map[string]string{"Content-Type": "application/json", "Rapport-Webhook-Id": w.ID,
		"Rapport-Delivery-Id": strconv.FormatInt(del.ID, 10), "Rapport-Timestamp": strconv.FormatInt(start.Unix(), 10)}
	for k, want := range wantHeaders {
		if h.Get(k) != want {
			t.Errorf("header %s = %q, want %q", k, h.Get(k), want)
		}
	}
	var body map[string]any
	if err := json.Unmarshal(got[0].body, &body); err != nil {
		t.Fatalf("decode body: %v", err)
	}
	want := `{"at":"2025-06-01T11:59:00Z","id":` + strconv.FormatInt(del.ID, 10) +
		`,"payload":{"engagement":72,"fit":"A"},"profileId":"p_ann","type":"rule.sales_ready"}`
	if b, _ := json.Marshal(body); string(b) != want {
		t.Errorf("body\n got  %s\n want %s", b, want)
	}
	if del.State != rapport.DeliveryDelivered || del.Attempts != 1 || del.LastStatus != 204 || !del.DeliveredAt.Equal(start) {
		t.Errorf("delivery = %+v, want delivered at %v after 1 attempt with status 204", del, start)
	}
	deliverDue(t, &webhook.Dispatcher{Store: s, Clock: clk}, 0)
}

func TestRetryThenSuccess(t *testing.T) {
	s := openStore(t, filepath.Join(t.TempDir(), "rapport.db"))
	rcv := newReceiver(t, 500, 200)
	subscribe(t, s, rcv.srv.URL)
	enqueue(t, s)
	clk := &clock{now: start}
	d := &webhook.Dispatcher{Store: s, Clock: clk, Backoff: webhook.Exponential(time.Second, time.Hour, 0)}

	deliverDue(t, d, 1)
	del := onlyDelivery(t, s)
	if del.State != rapport.DeliveryPending || del.LastStatus != 500 || del.Attempts != 1 ||
		!del.NextAttemptAt.Equal(start.Add(time.Second)) || del.LastError == "" {
		t.Fatalf("after a 500: %+v; want pending, status 500, next attempt at %v", del, start.Add(time.Second))
	}
	clk.advance(999 * time.Millisecond)
	deliverDue(t, d, 0) // not due yet
	clk.advance(time.Millisecond)
	deliverDue(t, d, 1)
	del = onlyDelivery(t, s)
	if del.State != rapport.DeliveryDelivered || del.Attempts != 2 || del.LastStatus != 200 || del.LastError != "" {
		t.Fatalf("after a 200: %+v; want delivered after 2 attempts", del)
	}
	got := rcv.requests()
	if len(got) != 2 || got[0].header.Get("Rapport-Delivery-Id") != got[1].header.Get("Rapport-Delivery-Id") {
		t.Fatalf("receiver got %d requests; want 2 with the same delivery id", len(got))
	}
}

func TestBackoffThenFailed(t *testing.T) {
	s := openStore(t, filepath.Join(t.TempDir(), "rapport.db"))
	rcv := newReceiver(t, 503)
	subscribe(t, s, rcv.srv.URL)
	enqueue(t, s)
	clk := &clock{now: start}
	d := &webhook.Dispatcher{Store: s, Clock: clk, MaxAttempts: 5,
		Backoff: webhook.Exponential(time.Second, 4*time.Second, 0)}
	for i, wait := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 4 * time.Second} {
		deliverDue(t, d, 1)
		del := onlyDelivery(t, s)
		if want := clk.Now().Add(wait); !del.NextAttemptAt.Equal(want) || del.Attempts != i+1 {
			t.Fatalf("attempt %d: next at %v (attempts %d), want %v", i+1, del.NextAttemptAt, del.Attempts, want)
		}
		clk.advance(wait)
	}
	deliverDue(t, d, 1)
	del := onlyDelivery(t, s)
	if del.State != rapport.DeliveryFailed || del.Attempts != 5 || del.LastStatus != 503 {
		t.Fatalf("after 5 attempts: %+v; want failed", del)
	}
	clk.advance(time.Hour)
	deliverDue(t, d, 0)
}

func TestExponentialJitter(t *testing.T) {
	b := webhook.Exponential(time.Second, time.Hour, 0.2)
	for attempts, want := range map[int]time.Duration{1: time.Second, 3: 4 * time.Second, 13: time.Hour, 100: time.Hour} {
		for range 50 {
			if got := b(attempts); got > want || got < want*8/10 {
				t.Fatalf("backoff after %d attempts = %v, want within 20%% under %v", attempts, got, want)
			}
		}
	}
}

func TestReceiverTimeout(t *testing.T) {
	s := openStore(t, filepath.Join(t.TempDir(), "rapport.db"))
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(slow.Close)
	t.Cleanup(func() { close(release) })
	subscribe(t, s, slow.URL)
	enqueue(t, s)
	d := &webhook.Dispatcher{Store: s, Clock: &clock{now: start}, Client: &http.Client{Timeout: 100 * time.Millisecond}}
	deliverDue(t, d, 1)
	del := onlyDelivery(t, s)
	if del.State != rapport.DeliveryPending || del.Attempts != 1 || del.LastStatus != 0 || del.LastError == "" {
		t.Fatalf("after a timeout: %+v; want pending, 1 attempt, no status, an error", del)
	}
}

func TestNoConcurrentAttemptsOfOneDelivery(t *testing.T) {
	s := openStore(t, filepath.Join(t.TempDir(), "rapport.db"))
	entered, release := make(chan struct{}, 4), make(chan struct{})
	blocked := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		entered <- struct{}{}
		<-release
	}))
	t.Cleanup(blocked.Close)
	subscribe(t, s, blocked.URL)
	enqueue(t, s)
	d := &webhook.Dispatcher{Store: s, Clock: &clock{now: start}}
	done := make(chan struct{})
	go func() { defer close(done); d.DeliverDue(context.Background()) }()
	<-entered
	deliverDue(t, d, 0) // the one due delivery is in flight
	close(release)
	<-done
	if del := onlyDelivery(t, s); del.State != rapport.DeliveryDelivered || del.Attempts != 1 {
		t.Fatalf("delivery = %+v; want delivered after 1 attempt", del)
	}
}

// staleReads lets a test hold a read of due deliveries after the store
// answered it, as a slow read racing an attempt's record would be.
type staleReads struct {
	rapport.WebhookStore
	hold chan chan struct{}
}

func (s *staleReads) FindDueDeliveries(ctx context.Context, now time.Time, limit int) ([]rapport.Delivery, error) {
	due, err := s.WebhookStore.FindDueDeliveries(ctx, now, limit)
	select {
	case wait := <-s.hold:
		<-wait
	default:
	}
	return due, err
}

func TestReadBeforeARecordDoesNotSendAgain(t *testing.T) {
	s := openStore(t, filepath.Join(t.TempDir(), "rapport.db"))
	entered, release := make(chan struct{}, 4), make(chan struct{})
	var posts atomic.Int64
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		posts.Add(1)
		entered <- struct{}{}
		<-release
	}))
	t.Cleanup(slow.Close)
	subscribe(t, s, slow.URL)
	enqueue(t, s)
	store := &staleReads{WebhookStore: s, hold: make(chan chan struct{}, 1)}
	d := &webhook.Dispatcher{Store: store, Clock: &clock{now: start}}
	first := make(chan struct{})
	go func() { defer close(first); d.DeliverDue(context.Background()) }()
	<-entered // the attempt is in flight, not recorded
	wait := make(chan struct{})
	store.hold <- wait
	second := make(chan int)
	go func() {
		n, _ := d.DeliverDue(context.Background()) // reads the delivery as still due, then waits
		second <- n
	}()
	for len(store.hold) > 0 {
		time.Sleep(time.Millisecond) // until the second read has answered
	}
	close(release)
	<-first // the first attempt is recorded
	close(wait)
	if n := <-second; n != 0 || posts.Load() != 1 {
		t.Fatalf("the stale read started %d attempts, %d POSTs in all; want 0 and 1", n, posts.Load())
	}
}
