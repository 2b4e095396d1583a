package lead_test

import (
	"strings"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/lead"
)

func TestCheckReturn(t *testing.T) {
	v := &rapport.Vendor{ID: "acme", Terms: rapport.VendorTerms{ReturnWindowHours: 72, ReturnReasons: []string{"Bad phone", "duplicate"}}}
	paid := rapport.Lead{ID: "l", Price: 40, ReceivedAt: submitted}
	in := submitted.Add(24 * time.Hour)
	for _, c := range []struct {
		name   string
		l      rapport.Lead
		v      *rapport.Vendor
		reason string
		now    time.Time
		code   string
		field  string
	}{
		{"listed reason, any case and spacing", paid, v, "  bad   PHONE ", in, "", ""},
		{"a reason the contract does not list", paid, v, "changed mind", in, rapport.EINVALID, "reason"},
		{"no reason", paid, v, " ", in, rapport.EINVALID, "reason"},
		{"after the window", paid, v, "duplicate", submitted.Add(73 * time.Hour), rapport.ECONFLICT, "terms.returnWindowHours"},
		{"returned already", rapport.Lead{ID: "l", Price: 40, ReceivedAt: submitted, ReturnedAt: in}, v, "duplicate", in, rapport.ECONFLICT, "returned already"},
		{"not paid (over the cap)", rapport.Lead{ID: "l", OverCap: true, ReceivedAt: submitted}, v, "duplicate", in, rapport.ECONFLICT, "not paid"},
		{"a contract without returns", paid, &rapport.Vendor{ID: "x"}, "duplicate", in, rapport.ECONFLICT, "terms.returnWindowHours"},
		{"a contract without reasons takes any", paid, &rapport.Vendor{ID: "x", Terms: rapport.VendorTerms{ReturnWindowHours: 1}}, "fraud", submitted, "", ""},
	} {
		reason, credit, err := lead.CheckReturn(&c.l, c.v, c.reason, c.now)
		if rapport.ErrorCode(err) != c.code || (err != nil && !strings.Contains(err.Error(), c.field)) {
			t.Errorf("%s: %v, want code %q naming %q", c.name, err, c.code, c.field)
			continue
		}
		if err == nil && (credit != c.l.Price || reason != strings.ToLower(strings.Join(strings.Fields(c.reason), " "))) {
			t.Errorf("%s: reason %q credit %v", c.name, reason, credit)
		}
	}
}

func TestCaps(t *testing.T) {
	now := time.Date(2026, 11, 23, 15, 4, 5, 0, time.UTC)
	v := &rapport.Vendor{ID: "acme", Terms: rapport.VendorTerms{DailyCap: 10, MonthlyCap: 200}}
	caps := lead.Caps(v, now)
	if len(caps) != 2 || caps[0].Term != "terms.dailyCap" || !caps[0].Since.Equal(time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)) ||
		caps[1].Limit != 200 || !caps[1].Since.Equal(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)) ||
		caps[0].VendorID != "acme" || caps[1].Unpaid {
		t.Fatalf("caps %+v", caps)
	}
	v.Terms.OverCap = rapport.OverCapUnpaid
	if caps := lead.Caps(v, now); !caps[0].Unpaid || !caps[1].Unpaid {
		t.Fatalf("caps of a contract that keeps leads over them unpaid: %+v", caps)
	}
	if len(lead.Caps(&rapport.Vendor{}, now)) != 0 {
		t.Fatal("a contract without caps has caps")
	}
	if err := lead.OverCapError(v, caps[1]); !strings.Contains(err.Error(), "200 leads a month (terms.monthlyCap)") {
		t.Fatalf("over-cap error %q", err)
	}
}

// TestCheckReturnLongWindow checks that a window too long to count in
// nanoseconds, as a vendor stored before Validate bounded it may hold,
// stays open rather than wrapping round to a closed one.
func TestCheckReturnLongWindow(t *testing.T) {
	v := &rapport.Vendor{ID: "v", Terms: rapport.VendorTerms{ReturnWindowHours: 3_000_000}}
	l := &rapport.Lead{ID: "l", Price: 40, ReceivedAt: submitted}
	if _, credit, err := lead.CheckReturn(l, v, "bad phone", submitted.Add(time.Hour)); err != nil || credit != 40 {
		t.Fatalf("return an hour after receipt under a %d-hour window: credit %v, %v; want 40", v.Terms.ReturnWindowHours, credit, err)
	}
}

// FuzzCheckReturn checks that no reason or contract makes a return panic,
// and that an accepted return always credits what was paid.
func FuzzCheckReturn(f *testing.F) {
	f.Add("bad phone", "Bad Phone", 72, 40.0, int64(3600))
	f.Add("\x00\xff", "", 0, 0.0, int64(-1))
	f.Fuzz(func(t *testing.T, reason, listed string, window int, price float64, after int64) {
		v := &rapport.Vendor{ID: "v", Terms: rapport.VendorTerms{ReturnWindowHours: window, ReturnReasons: []string{listed}}}
		l := &rapport.Lead{ID: "l", Price: price, ReceivedAt: submitted}
		_, credit, err := lead.CheckReturn(l, v, reason, submitted.Add(time.Duration(after)))
		if err == nil && credit != price {
			t.Fatalf("credit %v of a lead bought for %v", credit, price)
		}
	})
}

// FuzzOrderRevenue checks that no order's properties make the revenue
// panic or come out negative or not finite.
func FuzzOrderRevenue(f *testing.F) {
	f.Add(`{"revenue": 12}`)
	f.Add(`{"products": [{"price": 1e308, "quantity": 1e308}]}`)
	f.Add(`{"products": [null, 1, {"price": "x"}]}`)
	f.Fuzz(func(t *testing.T, props string) {
		var m map[string]any
		if jsonUnmarshal(props, &m) != nil {
			return
		}
		if r := lead.OrderRevenue(m); !(r >= 0 && r < 1e300) {
			t.Fatalf("revenue %v from %s", r, props)
		}
	})
}
