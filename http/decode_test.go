package http

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
)

var decodeNow = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// batchOptions are the options of a batch endpoint in these tests.
var batchOptions = decodeOptions{receivedAt: decodeNow, maxMessageBytes: 32 << 10}

func TestParseTime(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Time
		wantErr bool
	}{
		{`"2025-06-01T10:00:00Z"`, time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC), false},
		{`"2025-06-01T10:00:00.123456789Z"`, time.Date(2025, 6, 1, 10, 0, 0, 123456789, time.UTC), false},
		{`"2025-06-01T12:00:00+02:00"`, time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC), false},
		{`"2025-06-01T12:00:00.5+0200"`, time.Date(2025, 6, 1, 10, 0, 0, 5e8, time.UTC), false},
		{`"2025-06-01T12:00:00+02"`, time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC), false},
		{`"2025-06-01 10:00:00Z"`, time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC), false},
		{`"2025-06-01T10:00:00"`, time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC), false},
		{`"2025-06-01"`, time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), false},
		{`"0001-01-01T00:00:00Z"`, time.Time{}, false},
		{`""`, time.Time{}, false},
		{`null`, time.Time{}, false},
		{``, time.Time{}, false},
		{`"2025-13-01T00:00:00Z"`, time.Time{}, true},
		{`"June 1st"`, time.Time{}, true},
		{`1748779200`, time.Time{}, true},
		{`{"t":1}`, time.Time{}, true},
	}
	for _, tt := range tests {
		got, rej := parseTimeJSON("timestamp", json.RawMessage(tt.in))
		if (rej != nil) != tt.wantErr {
			t.Errorf("parseTimeJSON(%s): refusal %v, want error %v", tt.in, rej, tt.wantErr)
			continue
		}
		if rej != nil && rej.label != reasonBadTimestamp {
			t.Errorf("parseTimeJSON(%s): label %q, want %q", tt.in, rej.label, reasonBadTimestamp)
		}
		if !got.Equal(tt.want) {
			t.Errorf("parseTimeJSON(%s): got %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestFlexID(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr bool
	}{
		{`"abc"`, "abc", false},
		{`42`, "42", false},
		{`-7`, "-7", false},
		{`98765432109876543210`, "98765432109876543210", false},
		{`1.5e3`, "1500", false},
		{`0.25`, "0.25", false},
		{`null`, "", false},
		{`1e400`, "", true},
		{`true`, "", true},
		{`{}`, "", true},
		{`[1]`, "", true},
	}
	for _, tt := range tests {
		var m struct {
			UserID flexID `json:"userId"`
		}
		raw := []byte(`{"userId":` + tt.in + `}`)
		err := json.Unmarshal(raw, &m)
		if (err != nil) != tt.wantErr {
			t.Errorf("userId %s: error %v, want error %v", tt.in, err, tt.wantErr)
		}
		if err == nil && string(m.UserID) != tt.want {
			t.Errorf("userId %s: got %q, want %q", tt.in, m.UserID, tt.want)
		}
		if err != nil && !strings.Contains(messageJSONRefusal(nameIDField(raw, err)).reason, "userId") {
			t.Errorf("userId %s: reason %q does not name the field", tt.in, messageJSONRefusal(nameIDField(raw, err)).reason)
		}
	}
}

func TestHasNUL(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{`{"a":"x\u0000y"}`, true},
		{`{"a":"x\\u0000y"}`, false},
		{`{"a":"x\\\u0000y"}`, true},
		{`{"a":"plain"}`, false},
	}
	for _, tt := range tests {
		if got := hasNUL([]byte(tt.in)); got != tt.want {
			t.Errorf("hasNUL(%s): got %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestDecodeMessageReasons(t *testing.T) {
	tests := []struct {
		name      string
		message   string
		wantLabel string
		wantIn    string
	}{
		{"no identity", `{"type":"track","event":"x"}`, reasonNoIdentity, "userId or anonymousId"},
		{"unknown type", `{"type":"purchase","userId":"u"}`, reasonUnknownType, "purchase"},
		{"missing type", `{"userId":"u"}`, reasonUnknownType, "type is required"},
		{"bad timestamp", `{"type":"identify","userId":"u","timestamp":"soon"}`, reasonBadTimestamp, "timestamp"},
		{"bad sentAt", `{"type":"identify","userId":"u","sentAt":7}`, reasonBadTimestamp, "sentAt"},
		{"properties not an object", `{"type":"track","userId":"u","event":"x","properties":[1]}`, reasonInvalid, "properties must be an object"},
		{"context not an object", `{"type":"track","userId":"u","event":"x","context":"web"}`, reasonInvalid, "context must be an object"},
		{"integrations not an object", `{"type":"track","userId":"u","event":"x","integrations":1}`, reasonInvalid, "integrations"},
		{"number out of range", `{"type":"track","userId":"u","event":"x","properties":{"n":1e999}}`, reasonInvalid, "out of range"},
		{"NUL", `{"type":"track","userId":"u\u0000","event":"x"}`, reasonInvalid, "NUL"},
		{"alias without previousId", `{"type":"alias","userId":"u"}`, reasonInvalid, "previousId"},
		{"long messageId", `{"type":"identify","userId":"u","messageId":"` + strings.Repeat("m", 101) + `"}`, reasonInvalid, "messageId"},
		{"not an object", `"track"`, reasonInvalidJSON, "JSON object"},
	}
	for _, tt := range tests {
		d, rej := decodeBatch([]byte(`{"batch":[`+tt.message+`]}`), batchOptions)
		if rej != nil || len(d.rejected) != 1 {
			t.Errorf("%s: body refusal %v, %d events; want the message refused with %s", tt.name, rej, len(d.events), tt.wantLabel)
			continue
		}
		got := d.rejected[0]
		if got.label != tt.wantLabel || !strings.Contains(got.Reason, tt.wantIn) {
			t.Errorf("%s: got %s %q, want %s containing %q", tt.name, got.label, got.Reason, tt.wantLabel, tt.wantIn)
		}
	}
}

func TestDecodeBatchSharedFields(t *testing.T) {
	body := `{"sentAt":"2025-06-01T13:00:00Z","context":{"library":{"name":"x"}},"integrations":{"All":false},
		"batch":[{"type":"identify","userId":"u","timestamp":"2025-06-01T12:30:00Z"},
		         {"type":"identify","userId":"u","timestamp":"2025-06-01T12:30:00Z","sentAt":"2025-06-01T12:30:00Z",
		          "context":{"library":{"name":"own"}},"integrations":{"All":true}}]}`
	d, rej := decodeBatch([]byte(body), batchOptions)
	if rej != nil || len(d.events) != 2 {
		t.Fatalf("decode: refusal %v, %d events; want 2 events", rej, len(d.events))
	}
	first, second := d.events[0], d.events[1]
	if want := decodeNow.Add(-30 * time.Minute); !first.Timestamp.Equal(want) {
		t.Errorf("batch sentAt correction: got %v, want %v", first.Timestamp, want)
	}
	if !second.Timestamp.Equal(decodeNow) {
		t.Errorf("own sentAt correction: got %v, want %v", second.Timestamp, decodeNow)
	}
	libName := func(ev rapport.Event) any { lib, _ := ev.Context["library"].(map[string]any); return lib["name"] }
	if libName(first) != "x" || libName(second) != "own" {
		t.Errorf("context library: got %v and %v, want x and own", libName(first), libName(second))
	}
	if string(first.Integrations) != `{"All":false}` || string(second.Integrations) != `{"All":true}` {
		t.Errorf("integrations: got %s and %s", first.Integrations, second.Integrations)
	}
}

// validLabels are the rejection labels the decoder may use.
var validLabels = map[string]bool{reasonInvalidJSON: true, reasonTooLarge: true, reasonNoIdentity: true,
	reasonBadTimestamp: true, reasonUnknownType: true, reasonInvalid: true}

// FuzzDecodeBatch checks the batch decoder never panics and accounts for
// every message: each is accepted as a valid, storable event or rejected
// once with a labelled reason. Seeds live in testdata/fuzz/FuzzDecodeBatch.
func FuzzDecodeBatch(f *testing.F) {
	f.Add([]byte(`{"batch":[{"type":"track","userId":"u","event":"e"}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		d, rej := decodeBatch(body, decodeOptions{receivedAt: decodeNow, maxMessageBytes: 2 << 10})
		if rej != nil {
			if rej.reason == "" || !validLabels[rej.label] {
				t.Fatalf("body refusal without reason or with unknown label: %+v", rej)
			}
			return
		}
		var env struct{ Batch []json.RawMessage }
		if err := json.Unmarshal(body, &env); err != nil {
			t.Fatalf("decoder accepted a body encoding/json rejects: %v", err)
		}
		if got := len(d.events) + len(d.rejected); got != len(env.Batch) {
			t.Fatalf("accepted %d + rejected %d = %d, want %d messages", len(d.events), len(d.rejected), got, len(env.Batch))
		}
		checkAccepted(t, d.events)
		checkRejected(t, d.rejected, len(env.Batch))
	})
}

// checkAccepted fails unless every event is valid and encodes as the store
// will encode it.
func checkAccepted(t *testing.T, events []rapport.Event) {
	t.Helper()
	for i := range events {
		if err := events[i].Validate(); err != nil {
			t.Fatalf("accepted event %d is invalid: %v", i, err)
		}
		if _, err := json.Marshal(&events[i]); err != nil {
			t.Fatalf("accepted event %d does not encode: %v", i, err)
		}
	}
}

// checkRejected fails unless rejections have distinct, ascending indexes
// below n, reasons and known labels.
func checkRejected(t *testing.T, rejected []rejection, n int) {
	t.Helper()
	last := -1
	for _, r := range rejected {
		if r.Index <= last || r.Index >= n || r.Reason == "" || !validLabels[r.label] {
			t.Fatalf("bad rejection %+v after index %d of %d", r, last, n)
		}
		last = r.Index
	}
}

// BenchmarkDecodeBatch measures decoding a realistic batch of 100
// messages (the same shape as BenchmarkBatchIngest's), per event.
func BenchmarkDecodeBatch(b *testing.B) {
	body := BenchTemplate()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		d, rej := decodeBatch(body, batchOptions)
		if rej != nil || len(d.rejected) > 0 {
			b.Fatalf("decode: %v %v", rej, d.rejected)
		}
	}
	b.ReportMetric(float64(b.N*100)/b.Elapsed().Seconds(), "events/s")
}

// The benchmark batch is built here, in the package, so the decoding
// benchmark and the black-box ingest benchmark send the same messages.

// BenchBatchSize is the number of messages per benchmark request.
const BenchBatchSize = 100

// BenchToken marks where each request puts its unique prefix, so every
// request carries new messageIds and profiles.
const BenchToken = "@@BATCH@@"

// BenchTemplate returns a realistic batch: page views, product events and
// identifies, with the context a browser SDK sends.
func BenchTemplate() []byte {
	ctx := `{"library":{"name":"analytics.js","version":"5.2.0"},"locale":"en-GB",` +
		`"userAgent":"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0 Safari/537.36",` +
		`"page":{"path":"/products/mug","url":"https://shop.example.com/products/mug","title":"Mug","referrer":"https://www.google.com/"},` +
		`"ip":"203.0.113.7","campaign":{"source":"newsletter","medium":"email","name":"june"}}`
	msgs := make([]string, BenchBatchSize)
	for i := range msgs {
		id := fmt.Sprintf(`"messageId":"%s-%d","anonymousId":"anon-%s-%d","timestamp":"2025-06-01T11:59:%02d.%03dZ","context":%s`,
			BenchToken, i, BenchToken, i%20, i%60, i, ctx)
		switch i % 4 {
		case 0:
			msgs[i] = `{"type":"page",` + id + `,"name":"Mug","properties":{"path":"/products/mug","url":"https://shop.example.com/products/mug","title":"Mug"}}`
		case 1, 2:
			msgs[i] = `{"type":"track",` + id + `,"event":"Product Viewed","properties":{"product_id":"p-1","sku":"SKU-1","category":"Kitchen","name":"Mug","brand":"Acme","price":19.95,"currency":"EUR","quantity":1}}`
		default:
			msgs[i] = `{"type":"identify",` + id + `,"userId":"user-` + BenchToken + fmt.Sprint(i%20) + `","traits":{"email":"user@example.com","plan":"pro","firstName":"Ann","createdAt":"2024-01-01T00:00:00Z"}}`
		}
	}
	return []byte(`{"sentAt":"2025-06-01T12:00:00Z","batch":[` + strings.Join(msgs, ",") + `]}`)
}
