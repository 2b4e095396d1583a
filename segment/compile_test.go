package segment

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/rapportdev/rapport"
)

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		name       string
		id         string
		expression string
		line, col  int
		message    string
	}{
		{"empty", "s", "", 1, 1, "expression is empty"},
		{"blank", "s", "  \n ", 1, 1, "expression is empty"},
		{"no id", "", "orders > 1", 0, 0, "segment has no id"},
		{"unfinished", "s", "orders >", 1, 8, "unexpected token EOF"},
		{"unknown name", "s", "foo > 1", 1, 1, "unknown name foo"},
		{"unknown name on line 2", "s", "orders > 1 &&\n  nope == 2", 2, 3, "unknown name nope"},
		{"mismatched types", "s", `grade == 1`, 1, 7, "mismatched types string and int"},
		{"not a bool", "s", "orders + 1", 1, 1, "must be true or false, but it gives int"},
		{"wrong argument", "s", "count(1, 2) > 0", 1, 7, "cannot use int as argument"},
		{"no days", "s", `count("Order Completed", 0) > 1`, 1, 26, "days must be 1 to 400"},
		{"too many days", "s", `orders > 0 && count("x", 99999) > 1`, 1, 26, "days must be 1 to 400"},
		{"bad month-day", "s", `bought("flowers", "02-30", "03-01")`, 1, 19, "day 30 is not 01 to 29"},
		{"bad window", "s", `bought("flowers", "02-01", "2-14")`, 1, 28, "want MM-DD"},
		{"wall clock", "s", `now() > last_seen`, 1, 1, ""},
		{"unknown function", "s", `visits(3) > 1`, 1, 1, "unknown"},
		{"bad regexp", "s", `stage matches "("`, 1, 7, "missing closing )"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compile(Definition{ID: tt.id, Expression: tt.expression})
			var ce *CompileError
			if !errors.As(err, &ce) {
				t.Fatalf("error %v (%T), want a *CompileError", err, err)
			}
			if ce.Line != tt.line || ce.Column != tt.col {
				t.Errorf("at %d:%d, want %d:%d (%v)", ce.Line, ce.Column, tt.line, tt.col, err)
			}
			if !strings.Contains(ce.Message, tt.message) {
				t.Errorf("message %q, want it to contain %q", ce.Message, tt.message)
			}
			if ce.Segment != tt.id || !strings.Contains(err.Error(), `segment "`+tt.id+`"`) {
				t.Errorf("error %q does not name segment %q", err, tt.id)
			}
			if code := rapport.ErrorCode(err); code != rapport.EINVALID {
				t.Errorf("code %q, want %q", code, rapport.EINVALID)
			}
		})
	}
}

func TestCompileErrorJSON(t *testing.T) {
	_, err := Compile(Definition{ID: "vip", Expression: "orders >"})
	b, _ := json.Marshal(err)
	for _, want := range []string{`"segment":"vip"`, `"line":1`, `"column":8`, `"message":"unexpected token EOF"`, `"snippet":" | orders \u003e\n | .......^"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON %s lacks %s", b, want)
		}
	}
}

// TestExamples evaluates the examples of the issue against hand-built
// profiles: one that matches and one that does not.
func TestExamples(t *testing.T) {
	p, score, h := shopper()
	in := NewEnv(p, score, h, RFM{5, 4, 4, Champions}, now)
	out := NewEnv(&rapport.Profile{ID: "p2", Traits: map[string]any{"followers": 20.0}}, nil, nil, RFM{}, now)
	tests := []string{
		`count("Order Completed", 90) >= 2`,
		`bought("flowers", "02-07", "02-14")`,
		`traits.influencer == true || (traits.followers ?? 0) >= 10000`,
		`purchase_channels["in-store"] > 0`,
		`grade == "A" && engagement >= 70`,
		`stage in ["loyal_customer", "advocate"]`,
		`rfm.group == "champions"`,
		`has_trait("email") && days_since_last_order < 30 && tenure_days > 300`,
		`categories.flowers >= 100 && events["Product Viewed"] > 10`,
	}
	// The spelling of the stage example, for a shop whose stages
	// are named so.
	loyal := in
	loyal.Stage = "loyal"
	if ok, err := mustCompile(t, "x", `stage in ["loyal", "advocate"]`).Match(&loyal); !ok || err != nil {
		t.Errorf(`stage in ["loyal", "advocate"]: %v, %v; want true`, ok, err)
	}
	for _, src := range tests {
		seg := mustCompile(t, "x", src)
		if ok, err := seg.Match(&in); !ok || err != nil {
			t.Errorf("%s: shopper gives %v, %v; want true", src, ok, err)
		}
		if ok, err := seg.Match(&out); ok || err != nil {
			t.Errorf("%s: visitor gives %v, %v; want false", src, ok, err)
		}
	}
}

func TestEnvNever(t *testing.T) {
	env := NewEnv(&rapport.Profile{}, nil, nil, RFM{}, now)
	if env.DaysSinceLastOrder != NeverDays || env.DaysSinceLastSeen != NeverDays || env.TenureDays != 0 {
		t.Errorf("days %v, %v, tenure %v; want never, never, 0", env.DaysSinceLastOrder, env.DaysSinceLastSeen, env.TenureDays)
	}
	seg := mustCompile(t, "lapsed", `days_since_last_order > 90 && count("Order Completed", 30) == 0 && !bought("x", "01-01", "12-31")`)
	if ok, err := seg.Match(&env); !ok || err != nil {
		t.Errorf("a profile without orders: %v, %v; want true", ok, err)
	}
}

func TestReadsField(t *testing.T) {
	for _, tt := range []struct {
		expr  string
		field string
		want  bool
	}{
		{`rfm.group == "champions"`, "rfm", true},
		{`rfm.r >= 4 && orders > 1`, "orders", true},
		{`orders > 1`, "rfm", false},
		{`"vip" in segments`, "segments", true},
		{`len(segments) > 2`, "segments", true},
		{`traits.rfm == 1`, "rfm", false},
	} {
		seg, err := Compile(Definition{ID: "x", Name: "x", Expression: tt.expr})
		if err != nil {
			t.Fatal(err)
		}
		if got := seg.ReadsField(tt.field); got != tt.want {
			t.Errorf("%s reads %s = %v, want %v", tt.expr, tt.field, got, tt.want)
		}
	}
}
