package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/webhook"
)

// fixedNow is the processing time of both runs of the determinism test:
// scores decay and segments read the time.
const fixedNow = "2026-11-20T12:00:00Z"

// TestPartitionedWorkersMatchEmbedded runs the partitioned deployment (two
// ingest processes, three workers over 8 partitions, PostgreSQL and NATS
// JetStream) under a load of identifies that merge anonymous and known
// profiles, SIGKILLs a worker mid-load (the one running the dispatcher and
// the passes) and starts another, then checks that every acknowledged
// event was applied exactly once, that no partition stayed with the dead
// worker, that webhooks were delivered once, and that every person's
// profile, score and segment memberships equal those of an embedded run
// (SQLite, one process) over the same input.
func TestPartitionedWorkersMatchEmbedded(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes; skipped with -short")
	}
	pgArgs := backendArgs(t, "postgres")
	natsFlags := natsArgs(t)
	t.Setenv("RAPPORT_FIXED_NOW", fixedNow)
	load := newPersonLoad(450, 20)
	t.Logf("input: %d events in %d batches over %d people, %d of whom sign in on a device of another partition",
		load.events, len(load.batches), len(load.people), load.crossPartition(8))
	open := []string{"--profile-rate", "1000000", "--profile-burst", "1000000"}

	dist := slices.Concat(open, pgArgs, natsFlags, []string{"--partitions", "8", "--lease-ttl", "2s"})
	workers := []*serverProcess{startServer(t, slices.Concat([]string{"--role", "worker"}, dist)...)}
	createTestSegments(t, workers[0].URL)
	distHooks := newHookSink(t)
	createTestWebhook(t, workers[0].URL, distHooks.URL)
	workers = append(workers, startServer(t, slices.Concat([]string{"--role", "worker"}, dist)...),
		startServer(t, slices.Concat([]string{"--role", "worker"}, dist)...))
	ingests := []*serverProcess{startServer(t, slices.Concat([]string{"--role", "ingest"}, dist)...),
		startServer(t, slices.Concat([]string{"--role", "ingest"}, dist)...)}
	urls := []string{ingests[0].URL, ingests[1].URL}
	// Every worker holds partitions before the load, the one killed too.
	waitFor(t, 30*time.Second, func() bool {
		for _, w := range workers {
			if !strings.Contains(w.Logs(), "partition claimed") {
				return false
			}
		}
		return true
	})

	var sent atomic.Int64
	done := make(chan struct{})
	go func() {
		defer close(done)
		load.sendConcurrently(t, urls, 4, &sent)
	}()
	waitFor(t, 120*time.Second, func() bool { return sent.Load() >= int64(len(load.batches)/4) })
	// The first worker holds the "background" lease (webhook dispatcher,
	// passes) besides its partitions: killing it tests every takeover.
	workers[0].kill()
	t.Logf("worker killed after %d batches acknowledged", sent.Load())
	workers = append(workers, startServer(t, slices.Concat([]string{"--role", "worker"}, dist)...))
	<-done
	// Client retries of acknowledged batches, now that profiles have
	// moved between partitions: applied once all the same.
	for i := range 10 {
		if code, resp, err := post(http.DefaultClient, urls[i%2]+"/v1/batch", load.batches[i*7]); err != nil || code != http.StatusOK {
			t.Fatalf("retry: status %d, err %v, body %s", code, err, resp)
		}
	}
	waitPartitionedApplied(t, pgArgs[1], load.events)
	checkTakenOver(t, pgArgs[1], workerIDOf(t, workers[0]))

	embedded := startServer(t, slices.Concat(open, []string{"--data", t.TempDir()})...)
	createTestSegments(t, embedded.URL)
	embeddedHooks := newHookSink(t)
	createTestWebhook(t, embedded.URL, embeddedHooks.URL)
	load.sendInOrder(t, embedded.URL)
	waitAllApplied(t, embedded)

	// One delivery per notification across processes, and as many people
	// entering "buyers" (a segment no order of events changes) as embedded.
	// The killed worker ran the dispatcher: the attempts it had in flight
	// (at most its 4 workers) may be sent again by the next holder, which
	// is at-least-once; any other repeat is a bug.
	got, want := distHooks.settled(t), embeddedHooks.settled(t)
	if got.duplicates > webhook.DefaultWorkers || got.buyers != want.buyers || got.buyers == 0 {
		t.Errorf("webhooks: %d deliveries received twice, %d buyers entered; embedded: %d buyers", got.duplicates, got.buyers, want.buyers)
		for i, w := range workers[1:] {
			for _, line := range strings.Split(w.Logs(), "\n") {
				if strings.Contains(line, "lease") || strings.Contains(line, "webhook") || strings.Contains(line, "deliver") {
					t.Logf("worker %d: %s", i+1, line)
				}
			}
		}
	}
	t.Logf("webhooks: %d deliveries (embedded %d), %d repeated, %d people entered buyers",
		got.deliveries, want.deliveries, got.duplicates, got.buyers)

	var mismatches int
	for _, person := range load.people {
		want := readPerson(t, embedded.URL, person)
		got := readPerson(t, ingests[0].URL, person)
		if diff := diffPerson(got, want); diff != "" {
			mismatches++
			if mismatches <= 10 {
				t.Errorf("person %s differs from the embedded run:\n%s", person.key(), diff)
			}
		}
	}
	if mismatches > 0 {
		t.Errorf("%d of %d people differ", mismatches, len(load.people))
		for i, w := range workers[1:] {
			t.Logf("worker %d logs (tail):\n%s", i+1, tail(w.Logs(), 40))
		}
	}
}

// workerIDOf returns the worker id a worker process logged when it claimed
// its first partition.
func workerIDOf(t *testing.T, w *serverProcess) string {
	t.Helper()
	for _, line := range strings.Split(w.Logs(), "\n") {
		var rec struct{ Msg, Worker string }
		if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "worker: partition claimed" {
			return rec.Worker
		}
	}
	t.Fatal("the killed worker never claimed a partition")
	return ""
}

// checkTakenOver checks that no partition is still leased to the killed
// worker and that its partitions were claimed again (a later epoch).
func checkTakenOver(t *testing.T, dsn, killed string) {
	t.Helper()
	ctx := context.Background()
	conn := pgConnect(t, ctx, dsn)
	defer conn.Close(ctx)
	var held, retaken int
	if err := conn.QueryRow(ctx, `SELECT count(*) FILTER (WHERE owner = $1), count(*) FILTER (WHERE epoch > 1)
		FROM partitions`, killed).Scan(&held, &retaken); err != nil {
		t.Fatal(err)
	}
	if held > 0 || retaken == 0 {
		t.Fatalf("after the kill: %d partitions still leased to the killed worker, %d claimed again; want 0 and some", held, retaken)
	}
	t.Logf("%d partitions were claimed again after the kill or a rebalance", retaken)
}

// hookSink receives webhook deliveries.
type hookSink struct {
	URL string
	mu  sync.Mutex
	ids map[string]int
	// buyers counts the people who entered the "buyers" segment.
	buyers map[string]bool
}

func newHookSink(t *testing.T) *hookSink {
	t.Helper()
	h := &hookSink{ids: map[string]int{}, buyers: map[string]bool{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Type      string
			ProfileID string `json:"profileId"`
			Payload   struct{ Segment string }
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		h.mu.Lock()
		h.ids[r.Header.Get("Rapport-Delivery-Id")]++
		if body.Type == "segment.entered" && body.Payload.Segment == "buyers" {
			h.buyers[body.ProfileID] = true
		}
		h.mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	h.URL = srv.URL
	return h
}

// hookCounts is what a sink received.
type hookCounts struct{ deliveries, duplicates, buyers int }

// settled waits until no delivery has arrived for a second, then counts.
func (h *hookSink) settled(t *testing.T) hookCounts {
	t.Helper()
	last, stable := -1, 0
	var c hookCounts
	waitFor(t, 60*time.Second, func() bool {
		h.mu.Lock()
		c = hookCounts{deliveries: len(h.ids), buyers: len(h.buyers)}
		for _, n := range h.ids {
			if n > 1 {
				c.duplicates++
			}
		}
		h.mu.Unlock()
		if c.deliveries == last {
			stable++
		} else {
			last, stable = c.deliveries, 0
		}
		return stable >= 20
	})
	return c
}

func createTestWebhook(t *testing.T, base, target string) {
	t.Helper()
	body := fmt.Sprintf(`{"url":%q,"events":["segment.entered"],"secret":"whsec_partition_test_secret_0123456789"}`, target)
	req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/webhooks", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+testAdminToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create webhook: status %d", resp.StatusCode)
	}
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(s, "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// testSegments are rule segments whose membership the determinism test
// compares: on aggregates, traits and scores.
var testSegments = []struct{ name, expression string }{
	{"buyers", `orders >= 1`},
	{"big spenders", `revenue >= 100`},
	{"pro plan", `traits.plan == "pro"`},
	{"engaged", `engagement >= 20`},
}

func createTestSegments(t *testing.T, base string) {
	t.Helper()
	for _, s := range testSegments {
		body, _ := json.Marshal(map[string]string{"name": s.name, "expression": s.expression})
		req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/segments", strings.NewReader(string(body)))
		req.Header.Set("Authorization", "Bearer "+testAdminToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusCreated {
			t.Fatalf("create segment %s: status %d", s.name, resp.StatusCode)
		}
	}
}

// person is one simulated visitor: kind a browses anonymously and then
// signs up; kind b is known first, browses on a new device and signs in
// there (a merge, often across partitions); kind c stays anonymous.
type person struct {
	n    int
	kind byte
}

func (p person) user() string  { return fmt.Sprintf("user-%d", p.n) }
func (p person) anon() string  { return fmt.Sprintf("anon-%d", p.n) }
func (p person) anon2() string { return fmt.Sprintf("device2-%d", p.n) }

// key is how the person is looked up after the runs.
func (p person) key() string {
	if p.kind == 'c' {
		return "anonymousId=" + p.anon()
	}
	return "userId=" + p.user()
}

// personLoad is the input: batches of events, in the order the embedded
// run sends them.
type personLoad struct {
	people  []person
	batches []string
	events  int
}

func newPersonLoad(people, batchSize int) *personLoad {
	l := &personLoad{}
	phases := make([][]string, 3)
	base := time.Date(2026, 11, 19, 9, 0, 0, 0, time.UTC)
	for n := range people {
		p := person{n: n, kind: "abc"[n%3]}
		l.people = append(l.people, p)
		at := func(phase, k int) string {
			return base.Add(time.Duration(n)*time.Minute + time.Duration(phase)*5*time.Minute + time.Duration(k)*time.Second).Format(time.RFC3339)
		}
		ev := func(phase int, body string) {
			k := len(phases[phase])
			id := fmt.Sprintf("pt-%d-%d-%d", n, phase, k)
			phases[phase] = append(phases[phase], fmt.Sprintf(`{"messageId":%q,"timestamp":%q,%s}`, id, at(phase, k%50), body))
		}
		identify := func(phase int, anon string) {
			plan := []string{"free", "pro", "team"}[n%3]
			ev(phase, fmt.Sprintf(`"type":"identify","userId":%q,"anonymousId":%q,"traits":{"email":"%s@example.com","plan":%q,"age":%d}`,
				p.user(), anon, p.user(), plan, 20+n%50))
		}
		pages := func(phase int, anon string, k int) {
			for i := range k {
				ev(phase, fmt.Sprintf(`"type":"page","anonymousId":%q,"name":"page-%d","properties":{"path":"/p/%d"}`, anon, i, i))
			}
		}
		tracks := func(phase int, k int) {
			for i := range k {
				ev(phase, fmt.Sprintf(`"type":"track","userId":%q,"event":"Product Viewed","properties":{"product_id":"sku-%d","price":%d}`, p.user(), i, 10+i))
			}
			if n%2 == 0 {
				ev(phase, fmt.Sprintf(`"type":"track","userId":%q,"event":"Order Completed","properties":{"order_id":"o-%d","revenue":%d}`, p.user(), n, 40+n%90))
			}
		}
		switch p.kind {
		case 'a':
			pages(0, p.anon(), 3)
			identify(1, p.anon())
			tracks(2, 2)
		case 'b':
			identify(0, p.anon())
			tracks(0, 2)
			pages(1, p.anon2(), 2)
			identify(2, p.anon2())
		case 'c':
			pages(0, p.anon(), 2)
			pages(2, p.anon(), 1)
		}
	}
	rng := rand.New(rand.NewPCG(7, 7))
	for _, evs := range phases {
		// Shuffled within a phase, keeping each person's own order.
		mixed := interleave(evs, rng)
		for start := 0; start < len(mixed); start += batchSize {
			end := min(start+batchSize, len(mixed))
			l.batches = append(l.batches, `{"batch":[`+strings.Join(mixed[start:end], ",")+`]}`)
			l.events += end - start
		}
	}
	return l
}

// crossPartition returns how many people sign in on a device whose
// anonymousId routes to another partition than their userId.
func (l *personLoad) crossPartition(n int) int {
	count := 0
	for _, p := range l.people {
		if p.kind == 'b' && rapport.PartitionOf("u:"+p.user(), n) != rapport.PartitionOf("a:"+p.anon2(), n) {
			count++
		}
	}
	return count
}

// interleave mixes the events of a phase, keeping each person's events
// (which sit next to each other) in their order: a random merge of the
// people's runs.
func interleave(evs []string, rng *rand.Rand) []string {
	var runs [][]string
	for i := 0; i < len(evs); {
		j := i + 1
		for j < len(evs) && samePerson(evs[i], evs[j]) {
			j++
		}
		runs = append(runs, evs[i:j])
		i = j
	}
	out := make([]string, 0, len(evs))
	for len(runs) > 0 {
		k := rng.IntN(len(runs))
		out = append(out, runs[k][0])
		if runs[k] = runs[k][1:]; len(runs[k]) == 0 {
			runs = slices.Delete(runs, k, k+1)
		}
	}
	return out
}

// samePerson tells whether two generated events are one person's.
func samePerson(a, b string) bool {
	pa := strings.SplitN(a, "-", 3)
	pb := strings.SplitN(b, "-", 3)
	return pa[1] == pb[1]
}

// sendInOrder sends every batch, one after another.
func (l *personLoad) sendInOrder(t *testing.T, base string) {
	t.Helper()
	for i, body := range l.batches {
		if code, resp, err := post(http.DefaultClient, base+"/v1/batch", body); err != nil || code != http.StatusOK {
			t.Fatalf("batch %d: status %d, err %v, body %s", i, code, err, resp)
		}
	}
}

// sendConcurrently sends the batches from several clients, each taking the
// next batch in order and sending it to the ingest processes in turn,
// retrying until one acknowledges it, as a client would.
func (l *personLoad) sendConcurrently(t *testing.T, urls []string, clients int, sent *atomic.Int64) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			client := &http.Client{Timeout: 10 * time.Second}
			for {
				i := int(next.Add(1) - 1)
				if i >= len(l.batches) {
					return
				}
				for try := 0; ; try++ {
					code, _, err := post(client, urls[(i+c+try)%len(urls)]+"/v1/batch", l.batches[i])
					if err == nil && code == http.StatusOK {
						break
					}
					time.Sleep(50 * time.Millisecond)
				}
				sent.Add(1)
				// Paced, so that the kill and the takeover of the killed
				// worker's partitions happen while events still arrive.
				time.Sleep(100 * time.Millisecond)
			}
		})
	}
	wg.Wait()
}

// pgConnect connects to the test database or fails the test.
func pgConnect(t *testing.T, ctx context.Context, dsn string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	return conn
}

// waitPartitionedApplied waits until the store holds every event, no
// forward is pending and every partition's checkpoint has stopped moving.
func waitPartitionedApplied(t *testing.T, dsn string, events int) {
	t.Helper()
	ctx := context.Background()
	conn := pgConnect(t, ctx, dsn)
	defer conn.Close(ctx)
	var last string
	stable := 0
	waitFor(t, 180*time.Second, func() bool {
		var stored, forwards int
		var sum int64
		if err := conn.QueryRow(ctx, `SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM forwards),
			(SELECT coalesce(sum(checkpoint), 0) FROM partitions)`).Scan(&stored, &forwards, &sum); err != nil {
			t.Fatal(err)
		}
		state := fmt.Sprint(stored, forwards, sum)
		if state == last {
			stable++
		} else {
			stable, last = 0, state
		}
		if stored > events {
			t.Fatalf("%d events stored, want %d: some applied twice", stored, events)
		}
		return stored == events && forwards == 0 && stable >= 20
	})
}

// personState is what the determinism check compares.
type personState struct {
	Profile  map[string]any
	Score    map[string]any
	Segments []string
}

// readPerson reads a person's profile, score and segments.
func readPerson(t *testing.T, base string, p person) personState {
	t.Helper()
	var st personState
	var prof map[string]any
	if code := adminGet(t, base+"/api/v1/profiles/lookup?"+p.key(), &prof); code != http.StatusOK {
		t.Fatalf("lookup %s at %s: status %d", p.key(), base, code)
	}
	id, _ := prof["id"].(string)
	for _, k := range []string{"id", "createdAt", "updatedAt", "identities", "score", "segments"} {
		delete(prof, k)
	}
	st.Profile = prof
	var score map[string]any
	if adminGet(t, base+"/api/v1/profiles/"+url.PathEscape(id)+"/score", &score) == http.StatusOK {
		for _, k := range []string{"profileId", "updatedAt", "state", "explanation"} {
			delete(score, k)
		}
		st.Score = score
	}
	st.Segments = memberships(t, base, id)
	return st
}

// memberships returns the names of the test segments the profile is in.
func memberships(t *testing.T, base, profileID string) []string {
	t.Helper()
	var segs struct {
		Segments []struct{ ID, Name string }
	}
	adminGet(t, base+"/api/v1/segments", &segs)
	var out []string
	for _, s := range segs.Segments {
		var page struct {
			Members []struct {
				ProfileID string `json:"profileId"`
			}
		}
		adminGet(t, base+"/api/v1/segments/"+url.PathEscape(s.ID)+"/members?limit=1000", &page)
		for _, m := range page.Members {
			if m.ProfileID == profileID {
				out = append(out, s.Name)
			}
		}
	}
	slices.Sort(out)
	return out
}

// diffPerson describes how got differs from want, field by field.
func diffPerson(got, want personState) string {
	var b strings.Builder
	diffMaps(&b, "profile", got.Profile, want.Profile)
	diffMaps(&b, "score", got.Score, want.Score)
	if !slices.Equal(got.Segments, want.Segments) {
		fmt.Fprintf(&b, "  segments: got %v, want %v\n", got.Segments, want.Segments)
	}
	return b.String()
}

func diffMaps(b *strings.Builder, path string, got, want map[string]any) {
	keys := map[string]bool{}
	for k := range got {
		keys[k] = true
	}
	for k := range want {
		keys[k] = true
	}
	for k := range keys {
		g, w := got[k], want[k]
		gm, gok := g.(map[string]any)
		wm, wok := w.(map[string]any)
		if gok && wok {
			diffMaps(b, path+"."+k, gm, wm)
			continue
		}
		if !reflect.DeepEqual(g, w) {
			fmt.Fprintf(b, "  %s.%s: got %v, want %v\n", path, k, g, w)
		}
	}
}
