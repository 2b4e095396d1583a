package rapport_test

import (
	"math"
	"strings"
	"testing"

	"github.com/rapportdev/rapport"
)

func TestVendorValidateTerms(t *testing.T) {
	for _, c := range []struct {
		name  string
		terms rapport.VendorTerms
		want  string // substring of the error; "" for valid
	}{
		{"no terms", rapport.VendorTerms{}, ""},
		{"a ten-year return window", rapport.VendorTerms{ReturnWindowHours: 87_600}, ""},
		{"a window past ten years", rapport.VendorTerms{ReturnWindowHours: 87_601}, "terms.returnWindowHours: at most 87600"},
		{"a window that overflows a duration", rapport.VendorTerms{ReturnWindowHours: 3_000_000}, "terms.returnWindowHours"},
		{"the largest int", rapport.VendorTerms{ReturnWindowHours: math.MaxInt}, "terms.returnWindowHours"},
		{"a negative window", rapport.VendorTerms{ReturnWindowHours: -1}, "terms.returnWindowHours: must not be negative"},
		{"a negative cap", rapport.VendorTerms{DailyCap: -1}, "terms.dailyCap"},
		{"an unknown over-cap rule", rapport.VendorTerms{OverCap: "bill"}, "terms.overCap"},
	} {
		v := rapport.Vendor{ID: "acme", Name: "Acme", Terms: c.terms}
		err := v.Validate()
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v, want valid", c.name, err)
		case c.want != "" && (rapport.ErrorCode(err) != rapport.EINVALID || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: %v, want EINVALID naming %q", c.name, err, c.want)
		}
	}
}
