package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestBenchOffers runs the offer benchmark small: every measurement
// answers without errors, and every trigger event brings its delivery.
func TestBenchOffers(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server; skipped with -short")
	}
	var out, errs bytes.Buffer
	args := []string{"--data", t.TempDir(), "--profiles", "300", "--offers", "40", "--segments", "10",
		"--rate", "200", "--duration", "1s", "--triggers", "30", "--trigger-rate", "30"}
	if err := benchOffers(context.Background(), args, &out, &errs); err != nil {
		t.Fatalf("bench offers: %v\n%s", err, errs.String())
	}
	t.Log("\n" + out.String())
	for _, want := range []string{"engine alone", "people cached", "store read every time", "POST /api/v1/decide", "webhook delivery"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.Contains(out.String(), "first error") {
		t.Errorf("errors in the measurements:\n%s", out.String())
	}
}
