package http_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	rhttp "github.com/rapportdev/rapport/http"
	"github.com/rapportdev/rapport/ingest"
	"github.com/rapportdev/rapport/processor"
)

func TestTrackingEndpoints(t *testing.T) {
	auth := basic(trackWriteKey)
	runTrackScenarios(t, []trackScenario{{
		name: "identify", path: "/v1/identify", headers: auth,
		body: msg("type", "", "event", "", "traits", `{"email":"ann@example.com","plan":"pro"}`),
		want: 200, wantBody: []string{`"success":true`},
		check: func(t *testing.T, env *trackEnv) {
			ev := env.event(t, "m1")
			wantField(t, "type", ev.Type, rapport.EventIdentify)
			wantField(t, "traits.email", ev.Traits["email"], any("ann@example.com"))
			wantField(t, "sourceId", ev.SourceID, env.writeKey.ID)
			wantField(t, "receivedAt", ev.ReceivedAt, trackNow)
		},
	}, {
		name: "track", path: "/v1/track", headers: auth,
		body: msg("properties", `{"revenue":42.5}`), want: 200,
		check: func(t *testing.T, env *trackEnv) {
			ev := env.event(t, "m1")
			wantField(t, "event", ev.Event, "Signed Up")
			wantField(t, "revenue", ev.Properties["revenue"], any(42.5))
			wantField(t, "timestamp", ev.Timestamp, time.Date(2025, 6, 1, 11, 0, 0, 0, time.UTC))
		},
	}, {
		name: "page with category", path: "/v1/page", headers: auth,
		body: msg("type", "", "event", "", "name", `"Pricing"`, "category", `"Docs"`,
			"properties", `{"url":"https://example.com/pricing"}`),
		want: 200,
		check: func(t *testing.T, env *trackEnv) {
			ev := env.event(t, "m1")
			wantField(t, "type", ev.Type, rapport.EventPage)
			wantField(t, "name", ev.Name, "Pricing")
			wantField(t, "properties.category", ev.Properties["category"], any("Docs"))
		},
	}, {
		name: "screen", path: "/v1/screen", headers: auth,
		body: msg("type", `"screen"`, "event", "", "name", `"Home"`), want: 200,
		check: func(t *testing.T, env *trackEnv) {
			wantField(t, "name", env.event(t, "m1").Name, "Home")
		},
	}, {
		name: "group", path: "/v1/group", headers: auth,
		body: msg("type", "", "event", "", "groupId", `"acme"`, "traits", `{"industry":"retail"}`), want: 200,
		check: func(t *testing.T, env *trackEnv) {
			wantField(t, "groupId", env.event(t, "m1").GroupID, "acme")
		},
	}, {
		name: "alias", path: "/v1/alias", headers: auth,
		body: msg("type", "", "event", "", "previousId", `"anon-1"`), want: 200,
		check: func(t *testing.T, env *trackEnv) {
			wantField(t, "previousId", env.event(t, "m1").PreviousID, "anon-1")
		},
	}, {
		name: "batch", path: "/v1/batch", headers: auth,
		body: batchOf(msg(), msg("messageId", `"m2"`, "type", `"identify"`, "event", ""),
			msg("messageId", `"m3"`, "type", `"page"`, "event", "", "name", `"Home"`)),
		want: 200, check: wantStored("m1", "m2", "m3"),
	}, {
		name: "import", path: "/v1/import", headers: auth,
		body: batchOf(msg(), msg("messageId", `"m2"`)), want: 200, check: wantStored("m1", "m2"),
	}, {
		name: "message id generated when absent", path: "/v1/track", headers: auth,
		body: msg("messageId", ""), want: 200,
		check: func(t *testing.T, env *trackEnv) {
			for id := range env.events(t) {
				if !strings.HasPrefix(id, "msg_") {
					t.Errorf("generated messageId: got %q, want prefix msg_", id)
				}
			}
		},
	}, {
		name: "numeric user id", path: "/v1/batch", headers: auth,
		body: batchOf(msg("userId", "12345"), msg("messageId", `"m2"`, "userId", "12345678901234567890"),
			msg("messageId", `"m3"`, "userId", "1.5e3")),
		want: 200,
		check: func(t *testing.T, env *trackEnv) {
			wantField(t, "userId", env.event(t, "m1").UserID, "12345")
			wantField(t, "big userId", env.event(t, "m2").UserID, "12345678901234567890")
			wantField(t, "float userId", env.event(t, "m3").UserID, "1500")
		},
	}, {
		name: "top-level context merged", path: "/v1/batch", headers: auth,
		body: `{"batch":[` + msg("context", `{"ip":"10.0.0.1"}`) + `],
			"context":{"library":{"name":"analytics-go"},"ip":"ignored"},"integrations":{"All":true}}`,
		want: 200,
		check: func(t *testing.T, env *trackEnv) {
			ev := env.event(t, "m1")
			wantField(t, "context.ip", ev.Context["ip"], any("10.0.0.1"))
			lib, _ := ev.Context["library"].(map[string]any)
			wantField(t, "context.library.name", lib["name"], any("analytics-go"))
			wantField(t, "integrations", string(ev.Integrations), `{"All":true}`)
		},
	}, {
		name: "type absent or matching on a single endpoint", path: "/v1/track", headers: auth,
		body: msg("type", ""), want: 200, check: wantStored("m1"),
	}})
}

func TestTrackingAuth(t *testing.T) {
	body := msg()
	runTrackScenarios(t, []trackScenario{{
		name: "basic auth", path: "/v1/track", headers: basic(trackWriteKey), body: body, want: 200,
	}, {
		name: "writeKey in body", path: "/v1/track",
		body: msg("writeKey", `"`+trackWriteKey+`"`), want: 200, check: wantStored("m1"),
	}, {
		name: "writeKey in batch body", path: "/v1/batch",
		body: `{"writeKey":"` + trackWriteKey + `","batch":[` + body + `]}`, want: 200,
	}, {
		name: "missing", path: "/v1/track", body: body,
		want: 401, wantBody: []string{`"code":"unauthorized"`}, check: wantStored(),
	}, {
		name: "wrong", path: "/v1/batch", headers: basic("wk_wrong"), body: batchOf(body),
		want: 401, check: wantStored(),
	}, {
		name: "wrong in body", path: "/v1/track", body: msg("writeKey", `"wk_wrong"`), want: 401,
	}, {
		name: "admin token is not a write key", path: "/v1/track", headers: basic(trackAdminToken),
		body: body, want: 401, check: wantStored(),
	}, {
		name: "admin token in body", path: "/v1/batch",
		body: `{"writeKey":"` + trackAdminToken + `","batch":[` + body + `]}`, want: 401,
	}, {
		name: "bearer write key is not basic", path: "/v1/track",
		headers: map[string]string{"Authorization": "Bearer " + trackWriteKey}, body: body, want: 401,
	}, {
		name: "malformed body without a key says 401 only", path: "/v1/batch", body: `{"batch":[`,
		want: 401, wantBody: []string{"write key required"},
	}})
}

func TestTrackingRejections(t *testing.T) {
	auth := basic(trackWriteKey)
	big := `"` + strings.Repeat("x", 33<<10) + `"`
	runTrackScenarios(t, []trackScenario{{
		name: "gzip body", path: "/v1/batch", headers: auth, gzip: true,
		body: batchOf(msg(), msg("messageId", `"m2"`)), want: 200, check: wantStored("m1", "m2"),
	}, {
		name: "oversized message", path: "/v1/batch", headers: auth,
		body: batchOf(msg(), msg("messageId", `"m2"`, "properties", `{"blob":`+big+`}`)),
		want: 400, wantBody: []string{`"accepted":1`, `"index":1`, "32 KB limit", `"messageId":"m2"`},
		check: wantStored("m1"),
	}, {
		name: "oversized body", path: "/v1/batch", headers: auth,
		body: batchOf(strings.Repeat(msg()+",", 6000) + msg()),
		want: 400, wantBody: []string{"body exceeds 500 KB"}, check: wantStored(),
	}, {
		name: "oversized after gunzip", path: "/v1/batch", headers: auth, gzip: true,
		body: batchOf(strings.Repeat(msg()+",", 6000) + msg()),
		want: 400, wantBody: []string{"body exceeds 500 KB"}, check: wantStored(),
	}, {
		name: "not gzip", path: "/v1/batch", headers: map[string]string{
			"Authorization": auth["Authorization"], "Content-Encoding": "gzip"},
		body: batchOf(msg()), want: 400, wantBody: []string{"not valid gzip"},
	}, {
		name: "unsupported encoding", path: "/v1/batch", headers: map[string]string{
			"Authorization": auth["Authorization"], "Content-Encoding": "br"},
		body: batchOf(msg()), want: 400, wantBody: []string{"Content-Encoding"},
	}, {
		name: "malformed JSON", path: "/v1/batch", headers: auth, body: `{"batch":[{"type":"track",}]}`,
		want: 400, wantBody: []string{"not valid JSON at byte 27", `"code":"invalid"`},
	}, {
		name: "empty batch", path: "/v1/batch", headers: auth, body: `{"batch":[]}`,
		want: 400, wantBody: []string{"batch is empty"},
	}, {
		name: "missing ids", path: "/v1/track", headers: auth, body: msg("userId", ""),
		want: 400, wantBody: []string{"userId or anonymousId is required", `"index":0`},
	}, {
		name: "bad timestamp", path: "/v1/track", headers: auth, body: msg("timestamp", `"yesterday"`),
		want: 400, wantBody: []string{`timestamp \"yesterday\" is not an ISO-8601 time`},
	}, {
		name: "numeric timestamp", path: "/v1/track", headers: auth, body: msg("timestamp", `1717243200`),
		want: 400, wantBody: []string{"timestamp must be an ISO-8601 string"},
	}, {
		name: "unknown type", path: "/v1/batch", headers: auth, body: batchOf(msg("type", `"purchase"`)),
		want: 400, wantBody: []string{`unknown type \"purchase\"`},
	}, {
		name: "type missing in batch", path: "/v1/batch", headers: auth, body: batchOf(msg("type", "")),
		want: 400, wantBody: []string{"type is required"},
	}, {
		name: "type does not match endpoint", path: "/v1/track", headers: auth,
		body: msg("type", `"identify"`), want: 400, wantBody: []string{"does not match the endpoint /v1/track"},
	}, {
		name: "traits not an object", path: "/v1/identify", headers: auth,
		body: msg("type", "", "traits", `"vip"`), want: 400, wantBody: []string{"traits must be an object"},
	}, {
		name: "boolean user id", path: "/v1/track", headers: auth, body: msg("userId", "true"),
		want: 400, wantBody: []string{"userId must be a string or a number"},
	}, {
		name: "element not an object", path: "/v1/batch", headers: auth, body: batchOf(msg(), `42`),
		want: 400, wantBody: []string{"message must be a JSON object", `"accepted":1`}, check: wantStored("m1"),
	}, {
		name: "track without event", path: "/v1/track", headers: auth, body: msg("event", ""),
		want: 400, wantBody: []string{"track requires event"},
	}})
}

func TestTrackingMixedBatchKeepsGoodMessages(t *testing.T) {
	env := newTrackEnv(t, trackConfig{})
	body := batchOf(msg(), msg("messageId", `"bad1"`, "userId", ""), msg("messageId", `"m2"`),
		msg("messageId", `"bad2"`, "timestamp", `"2025-13-45"`), msg("messageId", `"m3"`, "type", `"page"`, "event", ""))
	status, _, got := env.post(t, "/v1/batch", basic(trackWriteKey), []byte(body))
	wantField(t, "status", status, 400)
	accepted, rejected := decodeTracking(t, got)
	wantField(t, "accepted", accepted, 3)
	if !reflect.DeepEqual(rejected, []int{1, 3}) {
		t.Errorf("rejected indexes: got %v, want [1 3]", rejected)
	}
	for _, frag := range []string{`"messageId":"bad1"`, `"messageId":"bad2"`, "2 of 5 messages rejected"} {
		if !strings.Contains(got, frag) {
			t.Errorf("body: got %s, want it to contain %s", got, frag)
		}
	}
	wantStored("m1", "m2", "m3")(t, env)
}

func TestTrackingRetriedMessageAppliedOnce(t *testing.T) {
	env := newTrackEnv(t, trackConfig{})
	body := []byte(batchOf(msg(), msg("messageId", `"m2"`)))
	for attempt := range 3 {
		if status, _, got := env.post(t, "/v1/batch", basic(trackWriteKey), body); status != 200 {
			t.Fatalf("attempt %d: status %d, want 200; body %s", attempt, status, got)
		}
	}
	// Every retry is acknowledged and logged; the processor applies and
	// stores each messageId once.
	if _, err := processor.New(env.log, env.store, processor.Options{}).CatchUp(context.Background()); err != nil {
		t.Fatalf("apply the log: %v", err)
	}
	stored, err := env.store.ReadEvents(context.Background(), 0, 100)
	if err != nil {
		t.Fatalf("read stored events: %v", err)
	}
	var ids []string
	for _, ev := range stored {
		ids = append(ids, ev.MessageID)
	}
	if strings.Join(ids, ",") != "m1,m2" {
		t.Errorf("stored messageIds %v, want [m1 m2]", ids)
	}
}

func TestTrackingClockSkewCorrected(t *testing.T) {
	env := newTrackEnv(t, trackConfig{})
	// The client's clock runs an hour ahead: it stamped the event at
	// 12:55 by its clock and sent it at 13:00 by its clock, which is
	// trackNow (12:00) by the server's.
	skewed := msg("timestamp", `"2025-06-01T14:55:00+02:00"`, "sentAt", `"2025-06-01T13:00:00Z"`)
	batchSkewed := `{"sentAt":"2025-06-01T13:00:00.000Z","batch":[` +
		msg("messageId", `"m2"`, "timestamp", `"2025-06-01T12:59:30.5Z"`) + `]}`
	for path, body := range map[string]string{"/v1/track": skewed, "/v1/batch": batchSkewed} {
		if status, _, got := env.post(t, path, basic(trackWriteKey), []byte(body)); status != 200 {
			t.Fatalf("%s: status %d, want 200; body %s", path, status, got)
		}
	}
	ev := env.event(t, "m1")
	wantField(t, "timestamp", ev.Timestamp, trackNow.Add(-5*time.Minute))
	wantField(t, "originalTimestamp", ev.OriginalTimestamp, time.Date(2025, 6, 1, 12, 55, 0, 0, time.UTC))
	wantField(t, "sentAt", ev.SentAt, time.Date(2025, 6, 1, 13, 0, 0, 0, time.UTC))
	wantField(t, "batch sentAt timestamp", env.event(t, "m2").Timestamp, trackNow.Add(-29500*time.Millisecond))
}

func TestTrackingRateGuard(t *testing.T) {
	env := newTrackEnv(t, trackConfig{limits: smallBurst(5)})
	auth := basic(trackWriteKey)
	for i := range 5 {
		body := msg("messageId", fmt.Sprintf(`"live-%d"`, i))
		if status, _, got := env.post(t, "/v1/track", auth, []byte(body)); status != 200 {
			t.Fatalf("track %d within the burst: status %d, want 200; body %s", i, status, got)
		}
	}
	status, header, got := env.post(t, "/v1/track", auth, []byte(msg("messageId", `"live-5"`)))
	wantField(t, "status over the burst", status, 429)
	wantField(t, "Retry-After", header.Get("Retry-After"), "1")
	if !strings.Contains(got, "rate_limited") {
		t.Errorf("body: got %s, want code rate_limited", got)
	}

	// A batch with one profile over its bucket stores nothing of the
	// request, not even the other profile's message.
	status, _, _ = env.post(t, "/v1/batch", auth, []byte(batchOf(
		msg("messageId", `"other"`, "userId", `"u2"`), msg("messageId", `"live-6"`))))
	wantField(t, "status of a batch with one limited profile", status, 429)

	var history []string
	for i := range 50 {
		history = append(history, msg("messageId", fmt.Sprintf(`"hist-%d"`, i)))
	}
	status, _, got = env.post(t, "/v1/import", auth, []byte(batchOf(history...)))
	if status != 200 {
		t.Fatalf("import of the same profile: status %d, want 200; body %s", status, got)
	}
	if n := len(env.events(t)); n != 55 {
		t.Errorf("stored %d events, want 55 (5 live + 50 imported)", n)
	}
}

// smallBurst returns limits with a small burst, for rate tests.
func smallBurst(burst int) rhttp.Limits {
	return rhttp.Limits{ProfileRate: 1, ProfileBurst: burst}
}

// blockedLog holds every Append until release is closed.
type blockedLog struct {
	rapport.EventLog
	entered chan struct{}
	release chan struct{}
}

func (l *blockedLog) Append(ctx context.Context, events []rapport.Event) error {
	l.entered <- struct{}{}
	<-l.release
	return l.EventLog.Append(ctx, events)
}

func TestTrackingOverloaded(t *testing.T) {
	var committer *ingest.Committer
	blocked := &blockedLog{entered: make(chan struct{}, 10), release: make(chan struct{})}
	env := newTrackEnv(t, trackConfig{ingest: func(log rapport.EventLog) rhttp.Appender {
		blocked.EventLog = log
		committer = ingest.NewCommitter(blocked, ingest.Options{MaxQueue: 2})
		t.Cleanup(func() { committer.Close() })
		return committer
	}})
	auth := basic(trackWriteKey)
	statuses := make(chan int, 2)
	send := func(body string) {
		status, _, _ := env.post(t, "/v1/batch", auth, []byte(body))
		statuses <- status
	}
	go send(batchOf(msg("messageId", `"writing"`)))
	<-blocked.entered // the first request's group is being written
	go send(batchOf(msg("messageId", `"q1"`), msg("messageId", `"q2"`)))
	for deadline := time.Now().Add(5 * time.Second); committer.Depth() < 2; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("queue depth: got %d, want 2", committer.Depth())
		}
	}

	status, header, got := env.post(t, "/v1/track", auth, []byte(msg("messageId", `"refused"`)))
	wantField(t, "status when the queue is full", status, 503)
	wantField(t, "Retry-After", header.Get("Retry-After"), "1")
	if !strings.Contains(got, `"code":"overloaded"`) {
		t.Errorf("body: got %s, want code overloaded", got)
	}

	close(blocked.release)
	for range 2 {
		wantField(t, "status of a queued request", <-statuses, 200)
	}
	wantStored("writing", "q1", "q2")(t, env)
}
