package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	natsgo "github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/nats"
	"github.com/rapportdev/rapport/postgres"
)

// erasePerson is a person of the erasure test: known by userId with a
// first device, then signing in on a second device whose anonymousId
// routes to another partition than the userId (a merge across partitions).
type erasePerson struct{ user, anon, device string }

// crossPartitionPerson returns a person named after prefix whose second
// device routes to another partition than their userId, among n.
func crossPartitionPerson(prefix string, n int) erasePerson {
	for k := 0; ; k++ {
		p := erasePerson{user: fmt.Sprintf("%s-user-%d", prefix, k), anon: fmt.Sprintf("%s-anon-%d", prefix, k),
			device: fmt.Sprintf("%s-device-%d", prefix, k)}
		if rapport.PartitionOf("u:"+p.user, n) != rapport.PartitionOf("a:"+p.device, n) {
			return p
		}
	}
}

// eraseEvents builds a batch body of events, numbering messageIds after
// prefix.
type eraseEvents struct {
	prefix string
	n      int
	evs    []string
}

func (b *eraseEvents) add(body string) {
	b.n++
	at := time.Date(2026, 11, 19, 9, 0, 0, 0, time.UTC).Add(time.Duration(b.n) * time.Second).Format(time.RFC3339)
	b.evs = append(b.evs, fmt.Sprintf(`{"messageId":"%s-%d","timestamp":%q,%s}`, b.prefix, b.n, at, body))
}

func (b *eraseEvents) identify(user, anon string) {
	b.add(fmt.Sprintf(`"type":"identify","userId":%q,"anonymousId":%q,"traits":{"email":"%s@example.com","plan":"pro"}`, user, anon, user))
}

func (b *eraseEvents) order(user, id string) {
	b.add(fmt.Sprintf(`"type":"track","userId":%q,"event":"Order Completed","properties":{"order_id":%q,"revenue":120}`, user, id))
}

func (b *eraseEvents) view(user string) {
	b.add(fmt.Sprintf(`"type":"track","userId":%q,"event":"Product Viewed","properties":{"product_id":"sku-1","price":12}`, user))
}

func (b *eraseEvents) page(anon string) {
	b.add(fmt.Sprintf(`"type":"page","anonymousId":%q,"name":"home","properties":{"path":"/"}`, anon))
}

// send posts the events added since the last send, and returns how many.
func (b *eraseEvents) send(t *testing.T, base string) int {
	t.Helper()
	body := `{"batch":[` + strings.Join(b.evs, ",") + `]}`
	if code, resp, err := post(http.DefaultClient, base+"/v1/batch", body); err != nil || code != http.StatusOK {
		t.Fatalf("send batch: status %d, err %v, body %s", code, err, resp)
	}
	n := len(b.evs)
	b.evs = nil
	return n
}

// TestPartitionedErasure runs the partitioned deployment (two workers and
// one ingest process over 4 partitions) and erases, through the ingest
// process's admin API, a person whose profile was merged across two
// partitions, right after events of theirs were acknowledged; then events
// of other people. The person must be gone everywhere (profile, lookups,
// identities, score, orders, events, the stream), the receipt must count
// the late events too, and the others must be intact. Then it kills the
// worker holding another person's partition and erases that person: the
// next lease holder does it.
func TestPartitionedErasure(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes; skipped with -short")
	}
	pgArgs := backendArgs(t, "postgres")
	natsFlags := natsArgs(t)
	const parts = 4
	dist := slices.Concat([]string{"--profile-rate", "1000000", "--profile-burst", "1000000"},
		pgArgs, natsFlags, []string{"--partitions", fmt.Sprint(parts), "--lease-ttl", "2s"})
	workers := []*serverProcess{startServer(t, slices.Concat([]string{"--role", "worker"}, dist)...),
		startServer(t, slices.Concat([]string{"--role", "worker"}, dist)...)}
	ingest := startServer(t, slices.Concat([]string{"--role", "ingest"}, dist)...)
	waitFor(t, 30*time.Second, func() bool {
		for _, w := range workers {
			if !strings.Contains(w.Logs(), "partition claimed") {
				return false
			}
		}
		return true
	})

	x := crossPartitionPerson("erx", parts) // erased
	y := crossPartitionPerson("ery", parts) // kept, merged after the erasure
	z := erasePerson{user: "erz-user", anon: "erz-anon"}
	b := &eraseEvents{prefix: "er"}
	// sent counts every event acknowledged, xEvents the erased person's.
	sent, xEvents := 0, 0
	sendX := func() { n := b.send(t, ingest.URL); sent += n; xEvents += n }
	b.identify(x.user, x.anon)
	b.order(x.user, "erx-o1")
	b.page(x.device)
	b.page(x.device)
	sendX()
	b.identify(y.user, y.anon)
	b.order(y.user, "ery-o1")
	b.page(y.device)
	b.identify(z.user, z.anon)
	b.page(z.anon)
	sent += b.send(t, ingest.URL)

	// The second device's profile, on its own partition, before the merge.
	var device struct{ ID string }
	waitFor(t, 30*time.Second, func() bool {
		return adminGet(t, ingest.URL+"/api/v1/profiles/lookup?anonymousId="+x.device, &device) == http.StatusOK
	})
	b.identify(x.user, x.device)
	sendX()
	var merged struct {
		ID         string
		Identities []rapport.Identity
	}
	waitFor(t, 30*time.Second, func() bool {
		var d struct{ ID string }
		return adminGet(t, ingest.URL+"/api/v1/profiles/lookup?userId="+x.user, &merged) == http.StatusOK &&
			adminGet(t, ingest.URL+"/api/v1/profiles/lookup?anonymousId="+x.device, &d) == http.StatusOK && d.ID == merged.ID &&
			adminGet(t, ingest.URL+"/api/v1/profiles/"+merged.ID+"/score", nil) == http.StatusOK
	})
	xID := merged.ID
	if device.ID == xID {
		t.Fatalf("the second device's profile %s is the survivor: no merge across partitions happened", xID)
	}
	t.Logf("person %s: profile %s, merged %s from partition %d into partition %d", x.user, xID, device.ID,
		rapport.PartitionOf("a:"+x.device, parts), rapport.PartitionOf("u:"+x.user, parts))

	// The merged-away id answers as in the embedded deployment.
	code, body := adminDelete(t, ingest.URL+"/api/v1/profiles/"+device.ID)
	if code != http.StatusNotFound || !strings.Contains(body, xID) {
		t.Errorf("erase the merged-away profile: status %d, body %s; want 404 naming %s", code, body, xID)
	}

	// Events acknowledged right before the erasure are erased with it.
	b.view(x.user)
	b.view(x.user)
	b.page(x.device)
	sendX()
	code, body = adminDelete(t, ingest.URL+"/api/v1/profiles/"+xID)
	if code != http.StatusOK {
		t.Fatalf("erase %s: status %d, body %s", xID, code, body)
	}
	var receipt rapport.Erasure
	if err := json.Unmarshal([]byte(body), &receipt); err != nil {
		t.Fatal(err)
	}
	wantIDs := []string{"anonymous_id:" + x.anon, "anonymous_id:" + x.device, "email:" + x.user + "@example.com", "user_id:" + x.user}
	var gotIDs []string
	for _, id := range receipt.Identities {
		gotIDs = append(gotIDs, string(id.Kind)+":"+id.Value)
	}
	slices.Sort(gotIDs)
	if receipt.ProfileID != xID || receipt.Orders != 1 || receipt.Events != int64(xEvents) || !slices.Equal(gotIDs, wantIDs) || receipt.ErasedAt.IsZero() {
		t.Errorf("receipt: %s; want profile %s, 1 order, %d events (the late ones too), identities %v", body, xID, xEvents, wantIDs)
	}

	// Others go on: the kept person merges across partitions, a new one
	// arrives.
	b.identify(y.user, y.device)
	b.page(z.anon)
	b.identify("erw-user", "erw-anon")
	sent += b.send(t, ingest.URL)
	waitPartitionedApplied(t, pgArgs[1], sent-xEvents)

	checkErased(t, []string{ingest.URL, workers[0].URL}, pgArgs[1], xID, x)
	checkStreamForgot(t, natsFlags, x)
	for _, lookup := range []string{"userId=" + y.user, "anonymousId=" + y.device, "userId=" + z.user, "userId=erw-user"} {
		var p struct {
			ID         string
			Aggregates struct{ Orders int64 }
		}
		if code := adminGet(t, ingest.URL+"/api/v1/profiles/lookup?"+lookup, &p); code != http.StatusOK {
			t.Errorf("lookup %s after the erasure: status %d, want 200", lookup, code)
		} else if strings.HasPrefix(lookup, "userId=ery") && p.Aggregates.Orders != 1 {
			t.Errorf("%s: %d orders, want 1", lookup, p.Aggregates.Orders)
		}
	}

	// Kill the worker holding the partition of the next person to erase:
	// the erasure waits for the lease to move and the next holder does it.
	v := erasePerson{user: "erv-user", anon: "erv-anon"}
	b.identify(v.user, v.anon)
	b.order(v.user, "erv-o1")
	vEvents := b.send(t, ingest.URL)
	var vp struct{ ID string }
	waitFor(t, 30*time.Second, func() bool {
		return adminGet(t, ingest.URL+"/api/v1/profiles/lookup?userId="+v.user, &vp) == http.StatusOK
	})
	holder := partitionHolder(t, pgArgs[1], rapport.PartitionOf("u:"+v.user, parts))
	killed := -1
	for i, w := range workers {
		if strings.Contains(w.Logs(), holder) {
			killed = i
		}
	}
	if killed < 0 {
		t.Fatalf("no worker logged the holder %s", holder)
	}
	workers[killed].kill()
	code, body = adminDelete(t, ingest.URL+"/api/v1/profiles/"+vp.ID)
	if code != http.StatusOK || !strings.Contains(body, `"orders":1`) || !strings.Contains(body, fmt.Sprintf(`"events":%d`, vEvents)) {
		t.Fatalf("erase %s after its worker was killed: status %d, body %s", vp.ID, code, body)
	}
	checkErased(t, []string{ingest.URL, workers[1-killed].URL}, pgArgs[1], vp.ID, v)
}

// adminDelete sends DELETE with the test admin token and returns the
// status and body.
func adminDelete(t *testing.T, url string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodDelete, url, nil)
	req.Header.Set("Authorization", "Bearer "+testAdminToken)
	resp, err := (&http.Client{Timeout: 60 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// checkErased checks through each API and in PostgreSQL that nothing of
// the person is left, and no erasure request either.
func checkErased(t *testing.T, bases []string, dsn, id string, p erasePerson) {
	t.Helper()
	for _, base := range bases {
		for _, path := range []string{"/api/v1/profiles/" + id, "/api/v1/profiles/" + id + "/score",
			"/api/v1/profiles/lookup?userId=" + url.QueryEscape(p.user), "/api/v1/profiles/lookup?anonymousId=" + url.QueryEscape(p.anon)} {
			if code := adminGet(t, base+path, nil); code != http.StatusNotFound {
				t.Errorf("GET %s after the erasure: status %d, want 404", path, code)
			}
		}
	}
	ctx := context.Background()
	conn := pgConnect(t, ctx, dsn)
	defer conn.Close(ctx)
	values := []string{p.user, p.anon, p.user + "@example.com"}
	if p.device != "" {
		values = append(values, p.device)
	}
	var left string
	err := conn.QueryRow(ctx, `SELECT concat_ws(',',
		(SELECT 'identities:' || count(*) FROM identities WHERE value = ANY($2) HAVING count(*) > 0),
		(SELECT 'profiles' FROM profiles WHERE id = $1),
		(SELECT 'scores' FROM scores WHERE profile_id = $1),
		(SELECT 'orders:' || count(*) FROM orders WHERE profile_id = $1 HAVING count(*) > 0),
		(SELECT 'members:' || count(*) FROM segment_members WHERE profile_id = $1 HAVING count(*) > 0),
		(SELECT 'events:' || count(*) FROM events WHERE user_id = ANY($2) OR anonymous_id = ANY($2) HAVING count(*) > 0),
		(SELECT 'erasures:' || count(*) FROM erasures HAVING count(*) > 0))`, id, values).Scan(&left)
	if err != nil {
		t.Fatal(err)
	}
	if left != "" {
		t.Errorf("left in PostgreSQL after erasing %s: %s", id, left)
	}
}

// checkStreamForgot reads every message left in the stream and checks none
// names the person.
func checkStreamForgot(t *testing.T, natsFlags []string, p erasePerson) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	nc, err := natsgo.Connect(natsFlags[1])
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	stream, err := js.Stream(ctx, natsFlags[3])
	if err != nil {
		t.Fatal(err)
	}
	info, err := stream.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	left := 0
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq && info.State.Msgs > 0; seq++ {
		msg, err := stream.GetMsg(ctx, seq)
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			continue
		} else if err != nil {
			t.Fatal(err)
		}
		left++
		for _, v := range []string{p.user, p.anon, p.device} {
			if v != "" && strings.Contains(string(msg.Data), `"`+v+`"`) {
				t.Errorf("stream message %d on %s still names %s: %s", seq, msg.Subject, v, msg.Data)
			}
		}
	}
	t.Logf("%d messages left in the stream after the erasure", left)
}

// partitionHolder returns the worker holding a partition's lease.
func partitionHolder(t *testing.T, dsn string, partition int) string {
	t.Helper()
	ctx := context.Background()
	conn := pgConnect(t, ctx, dsn)
	defer conn.Close(ctx)
	var owner string
	if err := conn.QueryRow(ctx, `SELECT owner FROM partitions WHERE partition = $1`, partition).Scan(&owner); err != nil {
		t.Fatal(err)
	}
	return owner
}

// TestPartitionedEraseWaitsThenTimesOut runs the requesting side of a
// partitioned erasure with no worker: the DELETE waits, then answers
// EOVERLOADED naming the request and the partition; a second DELETE waits
// for the same request (one control message in the log); once the
// partition has carried it out, the next DELETE returns its receipt and
// deletes the request.
func TestPartitionedEraseWaitsThenTimesOut(t *testing.T) {
	pgArgs := backendArgs(t, "postgres")
	natsFlags := natsArgs(t)
	ctx := context.Background()
	pg, err := postgres.Open(ctx, pgArgs[1])
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	const parts = 2
	if err := pg.ConfigurePartitions(ctx, parts); err != nil {
		t.Fatal(err)
	}
	log, err := nats.OpenLog(ctx, natsFlags[1], nats.Options{Stream: natsFlags[3], Subject: "rapport.events." + strings.ToLower(natsFlags[3]), Partitions: parts})
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	// A profile from before partitioning: no partition recorded.
	err = pg.ApplyChanges(ctx, rapport.Changes{
		Events:     []rapport.Event{{Seq: 1, MessageID: "w1", Type: rapport.EventIdentify, UserID: "wait-user", Timestamp: time.Unix(1, 0)}},
		Profiles:   []*rapport.Profile{{ID: "p_wait", Kind: rapport.ProfilePerson}},
		Identities: []rapport.IdentityLink{{Identity: rapport.Identity{Kind: rapport.IdentityUserID, Value: "wait-user"}, ProfileID: "p_wait"}},
		Checkpoint: 1,
	})
	if err != nil {
		t.Fatal(err)
	}
	var forgot atomic.Int64
	e := &partitionedEraser{pg: pg, log: log, wait: 300 * time.Millisecond, poll: 20 * time.Millisecond,
		forget: func(context.Context, string) error { forgot.Add(1); return nil }}

	if _, err := e.Erase(ctx, "p_nobody"); rapport.ErrorCode(err) != rapport.ENOTFOUND {
		t.Fatalf("erase no profile: %v, want ENOTFOUND", err)
	}
	part := rapport.PartitionOf("p:p_wait", parts)
	for range 2 {
		_, err := e.Erase(ctx, "p_wait")
		if rapport.ErrorCode(err) != rapport.EOVERLOADED || !strings.Contains(err.Error(), "stays queued") {
			t.Fatalf("erase with no worker: %v, want EOVERLOADED saying the request stays queued", err)
		}
	}
	// The partition's reads reach one control message (the second DELETE
	// published the same request again, which JetStream dropped).
	var reached []nats.Control
	events := log.PartitionControlled(part, func(_ int64, c nats.Control) { reached = append(reached, c) })
	defer events.Close()
	if evs, err := events.Read(ctx, 0, 10); err != nil || len(evs) != 0 || len(reached) != 1 {
		t.Fatalf("partition %d read %v, %v and reached %d control messages; want 1", part, evs, err, len(reached))
	}
	if evs, err := events.Read(ctx, reached[0].Seq, 10); err != nil || len(evs) != 0 || len(reached) != 1 {
		t.Fatalf("after the control message: %v, %v, %d reached; want nothing more", evs, err, len(reached))
	}
	req, err := pg.RequestErasure(ctx, "p_wait", part)
	if err != nil || req.Partition != part {
		t.Fatalf("pending request: %+v, %v", req, err)
	}
	epoch, ok, err := pg.ClaimPartition(ctx, part, "w", time.Minute)
	if err != nil || !ok {
		t.Fatalf("claim: %v, %v", ok, err)
	}
	if _, acted, err := pg.ErasePartitioned(ctx, postgres.PartitionErasure{Request: req.ID, Partition: part, Owner: "w",
		Epoch: epoch, Base: 0, Checkpoint: reached[0].Seq}); err != nil || !acted {
		t.Fatalf("erase at the partition: acted %v, err %v", acted, err)
	}
	receipt, err := e.Erase(ctx, "p_wait")
	if err != nil || receipt.ProfileID != "p_wait" || receipt.Events != 1 || len(receipt.Identities) != 1 {
		t.Fatalf("erase once done: %+v, %v; want the receipt", receipt, err)
	}
	if _, err := pg.FindErasure(ctx, req.ID); rapport.ErrorCode(err) != rapport.ENOTFOUND {
		t.Fatalf("request after its receipt was read: %v, want deleted", err)
	}
	if _, err := e.Erase(ctx, "p_wait"); rapport.ErrorCode(err) != rapport.ENOTFOUND {
		t.Fatalf("erase again: %v, want ENOTFOUND", err)
	}
	if forgot.Load() < 4 {
		t.Errorf("offers forgot the person %d times, want before every request and after the erasure", forgot.Load())
	}
}
