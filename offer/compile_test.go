package offer_test

import (
	"errors"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/offer"
)

func TestCompile(t *testing.T) {
	tests := []struct {
		src       string
		line, col int
		msg       string
	}{
		{src: `zone == "deli" && orders >= 2`},
		{src: `"vip" in segments && hour >= 9 && weekday in ["sat", "sun"]`},
		{src: `event == "Beacon Entered" && properties.zone == "deli"`},
		{src: `count("Order Completed", 30) > 0 || bought("wine", "12-01", "12-31")`},
		{src: "orders >= 1 &&\n  zonee == 1", line: 2, col: 3, msg: "unknown name zonee"},
		{src: `channel`, line: 0, msg: "the expression must be true or false, but it gives string"},
		{src: `now() > now`, line: 1, msg: "time.Time is not callable"},
		{src: "  ", msg: "expression is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			_, err := offer.Compile("o1", tt.src)
			if tt.msg == "" {
				if err != nil {
					t.Fatalf("Compile: %v", err)
				}
				return
			}
			var ce *offer.CompileError
			if !errors.As(err, &ce) {
				t.Fatalf("error %v, want a *CompileError", err)
			}
			if rapport.ErrorCode(err) != rapport.EINVALID {
				t.Errorf("code %q, want invalid", rapport.ErrorCode(err))
			}
			if ce.Line != tt.line && tt.line != 0 || ce.Column != tt.col && tt.col != 0 {
				t.Errorf("at %d:%d, want %d:%d", ce.Line, ce.Column, tt.line, tt.col)
			}
			if len(ce.Message) < len(tt.msg) || ce.Message[:len(tt.msg)] != tt.msg {
				t.Errorf("message %q, want it to start %q", ce.Message, tt.msg)
			}
		})
	}
}

func TestCompileOfferAndTrigger(t *testing.T) {
	bad := testOffer("o1", "orders >", 1)
	if _, err := offer.CompileOffer(bad); rapport.ErrorCode(err) != rapport.EINVALID {
		t.Errorf("offer with a broken eligibility: %v", err)
	}
	for name, o := range map[string]*rapport.Offer{
		"no value":      testOffer("o1", "", 0),
		"bad channel":   testOffer("o1", "", 1, "fax"),
		"bad id":        testOffer("O 1", "", 1),
		"bad window":    func() *rapport.Offer { o := testOffer("o1", "", 1); o.Window = "soon"; return o }(),
		"end not after": func() *rapport.Offer { o := testOffer("o1", "", 1); o.Start, o.End = t0, t0; return o }(),
		"unknown stage": func() *rapport.Offer { o := testOffer("o1", "", 1); o.Stage = "bliss"; return o }(),
	} {
		if _, err := offer.CompileOffer(o); rapport.ErrorCode(err) != rapport.EINVALID {
			t.Errorf("%s: %v, want invalid", name, err)
		}
	}
	w := testOffer("o1", "", 1)
	w.Window = "2d"
	if c, err := offer.CompileOffer(w); err != nil || c.Window() != 48*time.Hour {
		t.Errorf("window 2d: %v, %v", c, err)
	}
	tr := &rapport.Trigger{ID: "deli", Event: "Beacon Entered", Condition: `properties.zone == "deli"`, Channel: "beacon"}
	if _, err := offer.CompileTrigger(tr); err != nil {
		t.Errorf("trigger: %v", err)
	}
	tr.Condition = "zone =="
	if _, err := offer.CompileTrigger(tr); rapport.ErrorCode(err) != rapport.EINVALID {
		t.Errorf("broken trigger condition: %v", err)
	}
}

// FuzzCompile: expressions come from the admin API and rapport.yaml;
// none may panic, and an error always carries a position inside the text.
func FuzzCompile(f *testing.F) {
	for _, s := range []string{`zone == "deli"`, "orders >=", `properties["a"] ?? 1 > 0`, "\n\n)", `"é" in segments`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		_, err := offer.Compile("f", src)
		var ce *offer.CompileError
		if err != nil && !errors.As(err, &ce) {
			t.Fatalf("error %T %v, want *CompileError", err, err)
		}
		if ce != nil && (ce.Line < 0 || ce.Column < 0) {
			t.Fatalf("position %d:%d", ce.Line, ce.Column)
		}
	})
}
