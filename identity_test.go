package rapport_test

import (
	"testing"

	"github.com/rapportdev/rapport"
)

func TestNormalizeEmail(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Ann@Example.COM", "ann@example.com"},
		{"  bob@example.com\t", "bob@example.com"},
		{"no-at-sign", ""},
		{"@example.com", ""},
		{"ann@", ""},
		{"ann smith@example.com", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := rapport.NormalizeEmail(tt.in); got != tt.want {
			t.Errorf("NormalizeEmail(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNormalizePhone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"+1 (415) 555-0100", "+14155550100"},
		{"415-555-0100", "+14155550100"}, // DefaultPhoneRegion US
		{"+44 20 7946 0958", "+442079460958"},
		{"+33 1 42 68 53 00", "+33142685300"},
		{"12", ""},
		{"not a phone", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := rapport.NormalizePhone(tt.in); got != tt.want {
			t.Errorf("NormalizePhone(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNewIdentity(t *testing.T) {
	tests := []struct {
		kind   rapport.IdentityKind
		in     string
		want   string
		wantOK bool
	}{
		{rapport.IdentityEmail, "Ann@Example.com", "ann@example.com", true},
		{rapport.IdentityPhone, "+1 415 555 0100", "+14155550100", true},
		{rapport.IdentityUserID, "  42 ", "42", true},
		{rapport.IdentityAnonymousID, "", "", false},
		{rapport.IdentityEmail, "nope", "", false},
	}
	for _, tt := range tests {
		got, ok := rapport.NewIdentity(tt.kind, tt.in)
		if ok != tt.wantOK || got.Value != tt.want || got.Kind != tt.kind {
			t.Errorf("NewIdentity(%s, %q) = %v, %v; want %s, %v", tt.kind, tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}

// FuzzNormalize feeds outside text to the normalisers: they must never
// panic, and what they return must be stable under a second pass.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"Ann@Example.com", "+1 (415) 555-0100", "", "@", "+", "00 44 20 7946 0958", "ext. 12"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if e := rapport.NormalizeEmail(s); e != "" && rapport.NormalizeEmail(e) != e {
			t.Errorf("NormalizeEmail not idempotent on %q: %q", s, e)
		}
		if p := rapport.NormalizePhone(s); p != "" && rapport.NormalizePhone(p) != p {
			t.Errorf("NormalizePhone not idempotent on %q: %q", s, p)
		}
	})
}
