package storecodec_test

import (
	"math"
	"reflect"
	"testing"
	"testing/fstest"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/storecodec"
)

func TestNanos(t *testing.T) {
	for _, tt := range []struct {
		name string
		in   time.Time
		want int64
	}{
		{"epoch", time.Unix(0, 0), 0},
		{"nanoseconds", time.Unix(1, 5), 1_000_000_005},
		{"before 1678", time.Date(1000, 1, 1, 0, 0, 0, 0, time.UTC), math.MinInt64},
		{"after 2262", time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC), math.MaxInt64},
	} {
		if got := storecodec.Nanos(tt.in); got != tt.want {
			t.Errorf("%s: Nanos = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestNullNanos(t *testing.T) {
	if got := storecodec.NullNanos(time.Time{}); got != nil {
		t.Errorf("NullNanos(zero) = %d, want nil", *got)
	}
	if got := storecodec.FromNanos(nil); !got.IsZero() {
		t.Errorf("FromNanos(nil) = %v, want the zero time", got)
	}
	in := time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.FixedZone("x", 3600))
	got := storecodec.FromNanos(storecodec.NullNanos(in))
	if !got.Equal(in) || got.Location() != time.UTC {
		t.Errorf("round trip = %v, want %v in UTC", got, in)
	}
}

func TestPageLimit(t *testing.T) {
	for in, want := range map[int]int{-1: 50, 0: 50, 1: 1, 1000: 1000, 1001: 1000} {
		if got := storecodec.PageLimit(in); got != want {
			t.Errorf("PageLimit(%d) = %d, want %d", in, got, want)
		}
	}
}

func TestProfileRoundTrip(t *testing.T) {
	zone := time.FixedZone("x", -7200)
	at := time.Date(2024, 1, 2, 3, 4, 5, 6, zone)
	in := &rapport.Profile{
		ID:         "p1",
		Traits:     map[string]any{"plan": "pro"},
		TraitTimes: map[string]time.Time{"plan": at},
		Groups:     []string{"g1"},
		Aggregates: rapport.Aggregates{FirstSeen: at, LastSeen: at, Orders: 2},
		CreatedAt:  at,
		UpdatedAt:  at,
	}
	r, err := storecodec.EncodeProfile(in)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(r.TraitTimes), `{"plan":"2024-01-02T05:04:05.000000006Z"}`; got != want {
		t.Errorf("trait times = %s, want %s", got, want)
	}
	out := &rapport.Profile{ID: "p1"}
	if err := storecodec.DecodeProfile(out, r); err != nil {
		t.Fatal(err)
	}
	want := *in
	utc := at.UTC()
	want.TraitTimes = map[string]time.Time{"plan": utc}
	want.Aggregates.FirstSeen, want.Aggregates.LastSeen = utc, utc
	want.CreatedAt, want.UpdatedAt = utc, utc
	if !reflect.DeepEqual(*out, want) {
		t.Errorf("decoded %+v, want %+v", *out, want)
	}
}

func TestDecodeProfileError(t *testing.T) {
	r := storecodec.ProfileRow{Traits: []byte("{"), TraitTimes: []byte("null"), Groups: []byte("null"),
		Aggregates: []byte("{}")}
	err := storecodec.DecodeProfile(&rapport.Profile{ID: "p1"}, r)
	if err == nil {
		t.Fatal("DecodeProfile of bad JSON: got no error")
	}
}

func TestOrderRoundTrip(t *testing.T) {
	at := time.Date(2024, 1, 2, 3, 4, 5, 0, time.FixedZone("x", 3600))
	body, err := storecodec.EncodeOrder(rapport.Order{ProfileID: "old", OrderID: "o1", At: at, Revenue: 9.5})
	if err != nil {
		t.Fatal(err)
	}
	o, err := storecodec.DecodeOrder("new", body)
	if err != nil {
		t.Fatal(err)
	}
	want := rapport.Order{ProfileID: "new", OrderID: "o1", At: at.UTC(), Revenue: 9.5}
	if !reflect.DeepEqual(o, want) {
		t.Errorf("decoded %+v, want %+v", o, want)
	}
}

func TestCheckChanges(t *testing.T) {
	for _, tt := range []struct {
		name string
		c    rapport.Changes
	}{
		{"merge into itself", rapport.Changes{Merges: []rapport.Merge{{From: "a", Into: "a"}}}},
		{"merge without from", rapport.Changes{Merges: []rapport.Merge{{Into: "a"}}}},
		{"nil profile", rapport.Changes{Profiles: []*rapport.Profile{nil}}},
		{"profile without id", rapport.Changes{Profiles: []*rapport.Profile{{}}}},
		{"link without profile", rapport.Changes{Identities: []rapport.IdentityLink{
			{Identity: rapport.Identity{Kind: rapport.IdentityUserID, Value: "u"}}}}},
		{"order without id", rapport.Changes{Orders: []rapport.Order{{ProfileID: "p"}}}},
	} {
		err := storecodec.CheckChanges(&tt.c)
		if got := rapport.ErrorCode(err); got != rapport.EINVALID {
			t.Errorf("%s: code %q (%v), want %q", tt.name, got, err, rapport.EINVALID)
		}
	}
	ok := rapport.Changes{Merges: []rapport.Merge{{From: "a", Into: "b"}}, Profiles: []*rapport.Profile{{ID: "b"}}}
	if err := storecodec.CheckChanges(&ok); err != nil {
		t.Errorf("valid changes: %v", err)
	}
}

func TestPrepareKey(t *testing.T) {
	if err := storecodec.PrepareKey(&rapport.Key{}); rapport.ErrorCode(err) != rapport.EINVALID {
		t.Errorf("key without hash: %v, want EINVALID", err)
	}
	k := rapport.Key{Hash: "h"}
	if err := storecodec.PrepareKey(&k); err != nil {
		t.Fatal(err)
	}
	if k.ID == "" || k.CreatedAt.IsZero() {
		t.Errorf("PrepareKey left %+v without id or time", k)
	}
}

func TestMigrationNames(t *testing.T) {
	fsys := fstest.MapFS{
		"migrations/0002_b.sql":     {},
		"migrations/0001_a.sql":     {},
		"migrations/README":         {},
		"migrations/log/0001_a.sql": {},
	}
	for set, want := range map[string][]string{
		".":   {"0001_a.sql", "0002_b.sql"},
		"log": {"log/0001_a.sql"},
	} {
		got, err := storecodec.MigrationNames(fsys, set)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("MigrationNames(%q) = %q, want %q", set, got, want)
		}
	}
}

func TestEvents(t *testing.T) {
	at := time.Date(2024, 1, 2, 3, 4, 5, 6, time.FixedZone("x", 3600))
	in := []rapport.Event{{Seq: 7, MessageID: "m1", Type: rapport.EventTrack, Event: "Bought", UserID: "u", Timestamp: at}}
	bodies, err := storecodec.EncodeEvents(in, storecodec.Serial)
	if err != nil {
		t.Fatal(err)
	}
	out, err := storecodec.DecodeEvents([]int64{9}, bodies, storecodec.Parallel)
	if err != nil {
		t.Fatal(err)
	}
	if got := out[0]; got.Seq != 9 || got.MessageID != "m1" || !got.Timestamp.Equal(at) || got.Timestamp.Location() != time.UTC {
		t.Errorf("decoded %+v, want seq 9, message m1, timestamp %v in UTC", got, at)
	}
}

func TestProductKeys(t *testing.T) {
	got := storecodec.ProductKeys([]string{"a", "", "b", "a", "nul\x00", "bad\xff", string(make([]byte, rapport.MaxProductKey+1)), "c"})
	if want := []string{"a", "b", "c"}; !reflect.DeepEqual(got, want) {
		t.Errorf("ProductKeys = %q, want %q", got, want)
	}
}

func TestPickProducts(t *testing.T) {
	t1, t2 := time.Unix(1, 0), time.Unix(2, 0)
	rows := []rapport.ProductInfo{
		{ID: "p2", SKU: "x", UpdatedAt: t2},
		{ID: "x", UpdatedAt: t1},
		{ID: "old", SKU: "s", UpdatedAt: t1},
		{ID: "new", SKU: "s", UpdatedAt: t2},
		{ID: "tb", SKU: "tie", UpdatedAt: t1},
		{ID: "ta", SKU: "tie", UpdatedAt: t1},
		{SKU: "only"},
	}
	got := storecodec.PickProducts([]string{"x", "s", "tie", "only", "none"}, rows)
	want := map[string]string{"x": "x", "s": "new", "tie": "ta", "only": "only"}
	if len(got) != len(want) {
		t.Errorf("PickProducts found %d keys, want %d: %v", len(got), len(want), got)
	}
	for k, key := range want {
		if got[k].Key() != key {
			t.Errorf("PickProducts[%q] = %+v, want product %s", k, got[k], key)
		}
	}
}
