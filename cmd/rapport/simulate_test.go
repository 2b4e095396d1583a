package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSimulateOffers runs `rapport simulate offers` small and draws its
// chart.
func TestSimulateOffers(t *testing.T) {
	svg := filepath.Join(t.TempDir(), "sim.svg")
	var out, errs bytes.Buffer
	err := runSimulate(context.Background(), []string{"offers", "--people", "200", "--rounds", "4000", "--points", "4", "--svg", svg}, &out, &errs)
	if err != nil {
		t.Fatalf("simulate: %v\n%s", err, errs.String())
	}
	for _, want := range []string{"rapport ", "rapport without suppression", "random", "newsletter", "lift of rapport over its control group"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if b, err := os.ReadFile(svg); err != nil || !strings.HasPrefix(string(b), "<svg") {
		t.Errorf("chart: %v", err)
	}
	if err := runSimulate(context.Background(), []string{"people"}, &out, &errs); err == nil {
		t.Error("simulate without 'offers' accepted")
	}
}
