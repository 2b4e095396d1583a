package rapport_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/rapportdev/rapport"
)

func TestErrorCodeAndMessage(t *testing.T) {
	domain := rapport.Errorf(rapport.ENOTFOUND, "profile %s not found", "p_1")
	tests := []struct {
		name     string
		err      error
		wantCode string
		wantMsg  string
	}{
		{"nil", nil, "", ""},
		{"domain", domain, rapport.ENOTFOUND, "profile p_1 not found"},
		{"wrapped domain", fmt.Errorf("lookup: %w", domain), rapport.ENOTFOUND, "profile p_1 not found"},
		{"other", errors.New("disk on fire"), rapport.EINTERNAL, "Internal error."},
	}
	for _, tt := range tests {
		if got := rapport.ErrorCode(tt.err); got != tt.wantCode {
			t.Errorf("%s: code %q, want %q", tt.name, got, tt.wantCode)
		}
		if got := rapport.ErrorMessage(tt.err); got != tt.wantMsg {
			t.Errorf("%s: message %q, want %q", tt.name, got, tt.wantMsg)
		}
	}
}

func TestSecretsAndHashes(t *testing.T) {
	a, b := rapport.NewSecret("wk_"), rapport.NewSecret("wk_")
	if a == b || len(a) < 30 || a[:3] != "wk_" {
		t.Errorf("secrets %q and %q: want distinct, prefixed and long", a, b)
	}
	first, again := rapport.HashSecret(a), rapport.HashSecret(string([]byte(a)))
	if first != again || first == rapport.HashSecret(b) {
		t.Error("HashSecret must be deterministic and tell secrets apart")
	}
	if h := rapport.HashSecret(a); h == a || len(h) != 64 {
		t.Errorf("hash %q: want 64 hex characters, not the secret", h)
	}
}
