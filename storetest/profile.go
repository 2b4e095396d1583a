package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
)

// fullProfile sets every field of a Profile except Identities.
func fullProfile(id string) *rapport.Profile {
	return &rapport.Profile{
		ID: id, Kind: rapport.ProfilePerson,
		Traits:     map[string]any{"email": "ada@example.com", "age": 36.0, "vip": true, "address": map[string]any{"city": "Turin"}},
		TraitTimes: map[string]time.Time{"email": at(1), "age": at(2).In(time.FixedZone("X", -7200))},
		Groups:     []string{"acme"},
		Aggregates: rapport.Aggregates{
			FirstSeen: at(0), LastSeen: at(100), Events: map[string]int64{"page": 3, "Order Completed": 1},
			Channels: map[string]int64{"web": 4}, Sessions: 2, PageViews: 3, Screens: 1,
			Orders: 1, Revenue: 42.5, Cost: 20, Margin: 22.5, AverageOrderValue: 42.5,
			FirstOrderAt: at(50), LastOrderAt: at(50), PurchaseChannels: map[string]int64{"web": 1},
			Categories: map[string]float64{"books": 42.5}, Brands: map[string]float64{"acme": 42.5},
		},
		CreatedAt: at(0), UpdatedAt: at(100),
	}
}

// order returns an order of the profile.
func order(profileID, orderID string, when time.Time, revenue float64) rapport.Order {
	return rapport.Order{
		ProfileID: profileID, OrderID: orderID, MessageID: "msg-" + orderID, At: when,
		Revenue: revenue, Cost: revenue / 2, Currency: "EUR", Channel: "web",
		Products: []rapport.Product{{ID: "p1", SKU: "A-1", Name: "Book", Category: "books",
			Brand: "acme", Price: revenue, Quantity: 1, Cost: revenue / 2}},
	}
}

func testApplyChanges(t *testing.T, s rapport.Store) {
	ctx := context.Background()
	if cp, err := s.Checkpoint(ctx); err != nil || cp != 0 {
		t.Fatalf("Checkpoint of a new store = %d, %v; want 0", cp, err)
	}
	p := fullProfile("p1")
	// Identities in the profile are ignored: links decide.
	p.Identities = []rapport.Identity{{Kind: rapport.IdentityEmail, Value: "ignored@example.com"}}
	apply(t, s, rapport.Changes{
		Profiles: []*rapport.Profile{p},
		Identities: []rapport.IdentityLink{link(rapport.IdentityUserID, "u1", "p1"),
			link(rapport.IdentityAnonymousID, "a1", "p1"), link(rapport.IdentityEmail, "ada@example.com", "p1")},
		Orders: []rapport.Order{order("p1", "o2", at(20), 10), order("p1", "o1", at(10), 42.5)},
		Base:   0, Checkpoint: 7,
	})
	if cp, err := s.Checkpoint(ctx); err != nil || cp != 7 {
		t.Fatalf("Checkpoint = %d, %v; want 7", cp, err)
	}
	got, err := s.FindProfileByID(ctx, "p1")
	if err != nil {
		t.Fatalf("FindProfileByID: %v", err)
	}
	want := fullProfile("p1")
	want.TraitTimes["age"] = at(2)
	want.Identities = []rapport.Identity{{Kind: rapport.IdentityAnonymousID, Value: "a1"},
		{Kind: rapport.IdentityEmail, Value: "ada@example.com"}, {Kind: rapport.IdentityUserID, Value: "u1"}}
	equal(t, "profile", got, want)
	orders, err := s.FindOrders(ctx, "p1")
	if err != nil {
		t.Fatalf("FindOrders: %v", err)
	}
	equal(t, "orders, oldest first", orders, []rapport.Order{order("p1", "o1", at(10), 42.5), order("p1", "o2", at(20), 10)})

	// A profile written again is replaced whole.
	p2 := person("p1")
	p2.Traits["plan"] = "pro"
	apply(t, s, rapport.Changes{Profiles: []*rapport.Profile{p2}, Base: 7, Checkpoint: 9})
	got, err = s.FindProfileByID(ctx, "p1")
	if err != nil {
		t.Fatalf("FindProfileByID: %v", err)
	}
	p2.Identities = want.Identities
	equal(t, "replaced profile", got, p2)
}

func testApplyChangesConflict(t *testing.T, s rapport.Store) {
	ctx := context.Background()
	apply(t, s, rapport.Changes{Profiles: []*rapport.Profile{person("p1")}, Base: 0, Checkpoint: 5})
	err := s.ApplyChanges(ctx, rapport.Changes{
		Merges:     []rapport.Merge{{From: "p1", Into: "p2", At: at(1)}},
		Profiles:   []*rapport.Profile{person("p2")},
		Identities: []rapport.IdentityLink{link(rapport.IdentityUserID, "u2", "p2")},
		Orders:     []rapport.Order{order("p2", "o1", at(1), 1)},
		Base:       3, Checkpoint: 8,
	})
	wantCode(t, "ApplyChanges with a stale base", err, rapport.ECONFLICT)
	if cp, err := s.Checkpoint(ctx); err != nil || cp != 5 {
		t.Fatalf("Checkpoint after conflict = %d, %v; want 5", cp, err)
	}
	if _, err := s.FindProfileByID(ctx, "p1"); err != nil {
		t.Fatalf("p1 after conflict: %v, want it kept (the merge must not apply)", err)
	}
	_, err = s.FindProfileByID(ctx, "p2")
	wantCode(t, "p2 after conflict", err, rapport.ENOTFOUND)
	_, err = s.FindProfileIDByIdentity(ctx, rapport.Identity{Kind: rapport.IdentityUserID, Value: "u2"})
	wantCode(t, "identity after conflict", err, rapport.ENOTFOUND)
	merges, err := s.FindMerges(ctx, "p1")
	if err != nil || len(merges) != 0 {
		t.Fatalf("merges after conflict = %v, %v; want none", merges, err)
	}
	orders, err := s.FindOrders(ctx, "p2")
	if err != nil || len(orders) != 0 {
		t.Fatalf("orders after conflict = %v, %v; want none", orders, err)
	}
	apply(t, s, rapport.Changes{Base: 5, Checkpoint: 8})
}

func testApplyChangesInvalid(t *testing.T, s rapport.Store) {
	for name, c := range map[string]rapport.Changes{
		"nil profile":        {Profiles: []*rapport.Profile{nil}},
		"profile without id": {Profiles: []*rapport.Profile{{Kind: rapport.ProfilePerson}}},
		"merge into itself":  {Merges: []rapport.Merge{{From: "p1", Into: "p1"}}},
		"link without profile": {Identities: []rapport.IdentityLink{
			link(rapport.IdentityUserID, "u1", "")}},
	} {
		err := s.ApplyChanges(context.Background(), c)
		wantCode(t, name, err, rapport.EINVALID)
	}
	if cp, err := s.Checkpoint(context.Background()); err != nil || cp != 0 {
		t.Fatalf("Checkpoint = %d, %v; want 0", cp, err)
	}
}

func testOrdersIdempotent(t *testing.T, s rapport.Store) {
	apply(t, s, rapport.Changes{Profiles: []*rapport.Profile{person("p1")},
		Orders: []rapport.Order{order("p1", "o1", at(1), 10)}, Checkpoint: 1})
	apply(t, s, rapport.Changes{Orders: []rapport.Order{order("p1", "o1", at(5), 99),
		order("p1", "o2", at(2), 20)}, Base: 1, Checkpoint: 2})
	orders, err := s.FindOrders(context.Background(), "p1")
	if err != nil {
		t.Fatalf("FindOrders: %v", err)
	}
	equal(t, "orders", orders, []rapport.Order{order("p1", "o1", at(1), 10), order("p1", "o2", at(2), 20)})
}

func testMerge(t *testing.T, s rapport.Store) {
	ctx := context.Background()
	apply(t, s, rapport.Changes{
		Profiles: []*rapport.Profile{person("anon"), person("known"), person("third")},
		Identities: []rapport.IdentityLink{link(rapport.IdentityAnonymousID, "a1", "anon"),
			link(rapport.IdentityUserID, "u1", "known"), link(rapport.IdentityAnonymousID, "a3", "third")},
		Orders: []rapport.Order{order("anon", "o1", at(1), 10), order("anon", "shared", at(2), 5),
			order("known", "shared", at(3), 7), order("known", "o3", at(4), 30)},
		Checkpoint: 1,
	})
	m1 := rapport.Merge{From: "anon", Into: "known", At: at(10), Reason: "identify u1 with a1", MessageID: "m1"}
	m2 := rapport.Merge{From: "third", Into: "known", At: at(20), Reason: "alias a3", MessageID: "m2"}
	apply(t, s, rapport.Changes{Merges: []rapport.Merge{m1, m2}, Base: 1, Checkpoint: 2})

	for _, id := range []string{"anon", "third"} {
		_, err := s.FindProfileByID(ctx, id)
		wantCode(t, "merged-away profile "+id, err, rapport.ENOTFOUND)
	}
	got, err := s.FindProfileByID(ctx, "known")
	if err != nil {
		t.Fatalf("FindProfileByID: %v", err)
	}
	equal(t, "identities after merge", got.Identities, []rapport.Identity{
		{Kind: rapport.IdentityAnonymousID, Value: "a1"}, {Kind: rapport.IdentityAnonymousID, Value: "a3"},
		{Kind: rapport.IdentityUserID, Value: "u1"}})
	orders, err := s.FindOrders(ctx, "known")
	if err != nil {
		t.Fatalf("FindOrders: %v", err)
	}
	// The surviving profile's own copy of a shared order id wins.
	equal(t, "orders after merge", orders, []rapport.Order{order("known", "o1", at(1), 10),
		order("known", "shared", at(3), 7), order("known", "o3", at(4), 30)})
	if orders, err := s.FindOrders(ctx, "anon"); err != nil || len(orders) != 0 {
		t.Fatalf("orders left on merged-away profile = %v, %v; want none", orders, err)
	}
	merges, err := s.FindMerges(ctx, "known")
	if err != nil {
		t.Fatalf("FindMerges: %v", err)
	}
	equal(t, "merges into known", merges, []rapport.Merge{m1, m2})
	merges, err = s.FindMerges(ctx, "anon")
	if err != nil {
		t.Fatalf("FindMerges: %v", err)
	}
	equal(t, "merges out of anon", merges, []rapport.Merge{m1})
}

func testFindProfileNotFound(t *testing.T, s rapport.Store) {
	_, err := s.FindProfileByID(context.Background(), "nobody")
	wantCode(t, "FindProfileByID of an unknown id", err, rapport.ENOTFOUND)
}

func testFindProfileIDByIdentity(t *testing.T, s rapport.Store) {
	ctx := context.Background()
	apply(t, s, rapport.Changes{Profiles: []*rapport.Profile{person("p1"), person("p2")},
		Identities: []rapport.IdentityLink{link(rapport.IdentityEmail, "a@example.com", "p1")}, Checkpoint: 1})
	email := rapport.Identity{Kind: rapport.IdentityEmail, Value: "a@example.com"}
	if id, err := s.FindProfileIDByIdentity(ctx, email); err != nil || id != "p1" {
		t.Fatalf("FindProfileIDByIdentity = %q, %v; want p1", id, err)
	}
	// Same value, other kind: not the same identity.
	_, err := s.FindProfileIDByIdentity(ctx, rapport.Identity{Kind: rapport.IdentityUserID, Value: "a@example.com"})
	wantCode(t, "identity of another kind", err, rapport.ENOTFOUND)
	// Re-pointing an identity moves it.
	apply(t, s, rapport.Changes{Identities: []rapport.IdentityLink{link(rapport.IdentityEmail, "a@example.com", "p2")},
		Base: 1, Checkpoint: 2})
	if id, err := s.FindProfileIDByIdentity(ctx, email); err != nil || id != "p2" {
		t.Fatalf("FindProfileIDByIdentity after re-point = %q, %v; want p2", id, err)
	}
}

func testFindProfileIDsByIdentities(t *testing.T, s rapport.Store) {
	ctx := context.Background()
	var links []rapport.IdentityLink
	var asked []rapport.Identity
	want := map[rapport.Identity]string{}
	// More identities than one query chunk, half of them held.
	for i := range 1200 {
		id := rapport.Identity{Kind: rapport.IdentityAnonymousID, Value: fmt.Sprintf("anon-%d", i)}
		asked = append(asked, id)
		if i%2 == 0 {
			owner := fmt.Sprintf("p%d", i%3)
			links = append(links, rapport.IdentityLink{Identity: id, ProfileID: owner})
			want[id] = owner
		}
	}
	// Same value, other kind: not held.
	asked = append(asked, rapport.Identity{Kind: rapport.IdentityUserID, Value: "anon-0"})
	apply(t, s, rapport.Changes{Profiles: []*rapport.Profile{person("p0"), person("p1"), person("p2")},
		Identities: links, Checkpoint: 1})
	got, err := s.FindProfileIDsByIdentities(ctx, asked)
	if err != nil {
		t.Fatalf("FindProfileIDsByIdentities: %v", err)
	}
	if len(got) != len(want) {
		t.Errorf("found %d owners, want %d", len(got), len(want))
	}
	for id, owner := range want {
		if got[id] != owner {
			t.Errorf("owner of %s = %q, want %q", id, got[id], owner)
		}
	}
	if none, err := s.FindProfileIDsByIdentities(ctx, nil); err != nil || len(none) != 0 {
		t.Errorf("FindProfileIDsByIdentities(nil) = %v, %v; want empty", none, err)
	}
}

func testFindProfiles(t *testing.T, s rapport.Store) {
	ctx := context.Background()
	var profiles []*rapport.Profile
	for i := range 12 {
		p := person(fmt.Sprintf("p%02d", i))
		p.Traits = map[string]any{"plan": []string{"free", "pro"}[i%2], "seats": float64(i % 3), "vip": i%4 == 0}
		if i >= 10 {
			p.Kind = rapport.ProfileAccount
		}
		profiles = append(profiles, p)
	}
	apply(t, s, rapport.Changes{Profiles: profiles, Identities: []rapport.IdentityLink{
		link(rapport.IdentityUserID, "u3", "p03")}, Checkpoint: 1})
	for _, c := range []struct {
		filter rapport.ProfileFilter
		ids    []string
		total  int
	}{
		{rapport.ProfileFilter{Limit: 3}, []string{"p00", "p01", "p02"}, 12},
		{rapport.ProfileFilter{Offset: 10}, []string{"p10", "p11"}, 12},
		{rapport.ProfileFilter{Kind: rapport.ProfileAccount}, []string{"p10", "p11"}, 2},
		{rapport.ProfileFilter{Kind: rapport.ProfilePerson, TraitKey: "plan", TraitValue: "pro", Offset: 1, Limit: 2},
			[]string{"p03", "p05"}, 5},
		{rapport.ProfileFilter{TraitKey: "seats", TraitValue: "2"}, []string{"p02", "p05", "p08", "p11"}, 4},
		{rapport.ProfileFilter{TraitKey: "vip", TraitValue: "true"}, []string{"p00", "p04", "p08"}, 3},
		{rapport.ProfileFilter{TraitKey: "plan", TraitValue: "gold"}, []string{}, 0},
		{rapport.ProfileFilter{TraitKey: "missing", TraitValue: "pro"}, []string{}, 0},
	} {
		got, total, err := s.FindProfiles(ctx, c.filter)
		if err != nil {
			t.Fatalf("FindProfiles(%+v): %v", c.filter, err)
		}
		ids := []string{}
		for _, p := range got {
			ids = append(ids, p.ID)
		}
		equal(t, fmt.Sprintf("FindProfiles(%+v) ids", c.filter), ids, c.ids)
		if total != c.total {
			t.Fatalf("FindProfiles(%+v) total = %d, want %d", c.filter, total, c.total)
		}
	}
	got, _, err := s.FindProfiles(ctx, rapport.ProfileFilter{Offset: 3, Limit: 1})
	if err != nil || len(got) != 1 {
		t.Fatalf("FindProfiles = %v, %v; want one profile", got, err)
	}
	equal(t, "identities of a listed profile", got[0].Identities, []rapport.Identity{{Kind: rapport.IdentityUserID, Value: "u3"}})
}

func testFindProfilesTraitKeyQuote(t *testing.T, s rapport.Store) {
	p := person("p1")
	p.Traits = map[string]any{`it's "odd"`: "yes", "plain": "x"}
	apply(t, s, rapport.Changes{Profiles: []*rapport.Profile{p}, Checkpoint: 1})
	for key, want := range map[string]int{
		`it's "odd"`:           1,
		`' OR '1'='1`:          0,
		`plain' OR 1=1 --`:     0,
		`plain") OR 1=1 --`:    0,
		`$.plain`:              0,
		`x"] OR 1=1; DROP --"`: 0,
	} {
		value := "yes"
		if want == 0 {
			value = "x"
		}
		got, total, err := s.FindProfiles(context.Background(), rapport.ProfileFilter{TraitKey: key, TraitValue: value})
		if err != nil {
			t.Fatalf("FindProfiles with key %q: %v", key, err)
		}
		if len(got) != want || total != want {
			t.Fatalf("FindProfiles with key %q: %d profiles, total %d; want %d", key, len(got), total, want)
		}
	}
}
