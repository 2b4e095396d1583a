package lead_test

import (
	"testing"

	"github.com/rapportdev/rapport/lead"
)

func TestNormalName(t *testing.T) {
	for _, tt := range []struct{ first, last, want string }{
		{"José", "Núñez", "nunez|jose"},
		{"Jose", "Nunez", "nunez|jose"},
		{"Bob", "O'Brien Jr.", "obrien|robert"},
		{"robert j.", "OBRIEN", "obrien|robert"},
		{"Mary-Ann", "Smith", "smith|mary"},
		{"Ana", "de la Cruz", "delacruz|ana"},
		{"", "Smith", ""},
		{"Ann", "  ", ""},
		{"Zoë", "Weiß", "weiss|zoe"},
	} {
		if got := lead.NormalName(tt.first, tt.last); got != tt.want {
			t.Errorf("NormalName(%q, %q) = %q, want %q", tt.first, tt.last, got, tt.want)
		}
	}
}

func TestNormalStreet(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"123 North Main Street", "123 n main st"},
		{"123 N. Main St., Apt 4B", "123 n main st"},
		{"123 n main st #4", "123 n main st"},
		{"55 Elm Avenue Suite 200", "55 elm ave"},
		{"1600 Pennsylvania Ave NW", "1600 pennsylvania ave nw"},
		{"", ""},
	} {
		if got := lead.NormalStreet(tt.in); got != tt.want {
			t.Errorf("NormalStreet(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNormalPostal(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"98101", "98101"}, {"98101-1234", "98101"}, {" sw1a 1aa ", "SW1A1AA"}, {"", ""},
	} {
		if got := lead.NormalPostal(tt.in); got != tt.want {
			t.Errorf("NormalPostal(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMatchEmail(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"j.doe+cars@gmail.com", "jdoe@gmail.com"},
		{"jdoe@googlemail.com", "jdoe@gmail.com"},
		{"j.doe+x@example.com", "j.doe+x@example.com"},
	} {
		if got := lead.MatchEmail(tt.in); got != tt.want {
			t.Errorf("MatchEmail(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
