package offer_test

import (
	"bytes"
	"encoding/xml"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rapportdev/rapport/offer"
)

// update rewrites docs/offers-simulation.svg and docs/offers-simulation.md
// from the simulation: go test ./offer -run Simulation -update.
var update = flag.Bool("update", false, "rewrite the simulation's chart and table in docs/")

// simConfig is the simulation docs/benchmarks.md reports.
func simConfig() offer.SimConfig {
	return offer.SimConfig{People: 2000, Rounds: 60_000, Dislike: 0.3, Seed: 1, Policy: offer.DefaultPolicy(), Checkpoints: 20}
}

// TestSimulation runs synthetic customers with a known best offer per
// segment through Rapport's policy and the baselines: the learned policy
// must clearly beat a random offer and one newsletter for everyone,
// converge on each segment's best offer, and suppression must cut the
// share of offers shown that the person never accepts.
func TestSimulation(t *testing.T) {
	if testing.Short() {
		t.Skip("60,000 decisions; skipped with -short")
	}
	res := offer.Simulate(simConfig())
	curves := map[string]offer.SimCurve{}
	for _, c := range res.Curves {
		curves[c.Policy] = c
	}
	t.Log("\n" + simTable(res))
	final := func(name string) (rate, regret float64) {
		c := curves[name]
		return c.AcceptRate[len(c.AcceptRate)-1], c.Regret[len(c.Regret)-1]
	}
	learned, learnedRegret := final("rapport")
	for _, base := range []string{"random", "newsletter"} {
		rate, regret := final(base)
		if learned < 1.5*rate {
			t.Errorf("accept rate %.4f, want at least 1.5 × %s's %.4f", learned, base, rate)
		}
		if learnedRegret > 0.6*regret {
			t.Errorf("regret %.0f, want at most 60%% of %s's %.0f", learnedRegret, base, regret)
		}
	}
	for seg, share := range res.BestShare {
		if share < 0.6 {
			t.Errorf("segment %s: best offer shown in %.0f%% of the last fifth's treatment decisions, want 60%%", seg, 100*share)
		}
	}
	// Suppressions end after their cooldown and some come back, so the
	// share is compared over the second half.
	with, without := secondHalf(curves["rapport"].Irrelevant), secondHalf(curves["rapport without suppression"].Irrelevant)
	if with > without/2 {
		t.Errorf("never-accepted share over the second half %.3f with suppression, want at most half of %.3f without", with, without)
	}
	// At first, before anyone has ignored anything four times, both
	// policies show as many: the cut comes with time.
	if a, b := curves["rapport"].Irrelevant[0], curves["rapport without suppression"].Irrelevant[0]; a < 0.8*b {
		t.Errorf("never-accepted share at first %.3f with suppression against %.3f without: want about the same", a, b)
	}
	if lo := res.Report.Overall.Lift.CI.Low; lo <= 0 {
		t.Errorf("lift over the control group %+v: want an interval above 0", res.Report.Overall.Lift)
	}
	checkChart(t, res)
}

// checkChart draws the curves: well-formed SVG with a line per policy
// and panel. With -update it is written to docs/ with the table.
func checkChart(t *testing.T, res offer.SimResult) {
	var svg bytes.Buffer
	if err := res.WriteSVG(&svg); err != nil {
		t.Fatal(err)
	}
	dec := xml.NewDecoder(bytes.NewReader(svg.Bytes()))
	for {
		if _, err := dec.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("chart is not well-formed: %v", err)
		}
	}
	if n := strings.Count(svg.String(), "<polyline"); n != 3*len(res.Curves) {
		t.Errorf("%d lines, want %d", n, 3*len(res.Curves))
	}
	if !*update {
		return
	}
	docs := filepath.Join("..", "docs")
	if err := os.WriteFile(filepath.Join(docs, "offers-simulation.svg"), svg.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(docs, "offers-simulation.md"), []byte(simTable(res)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// secondHalf is the mean of the second half of a curve.
func secondHalf(xs []float64) float64 {
	sum := 0.0
	for _, x := range xs[len(xs)/2:] {
		sum += x
	}
	return sum / float64(len(xs)-len(xs)/2)
}

// simTable renders the curves as docs/benchmarks.md shows them.
func simTable(res offer.SimResult) string {
	var b strings.Builder
	b.WriteString("| decisions |")
	for _, c := range res.Curves {
		fmt.Fprintf(&b, " %s: accept rate / regret / never-accepted share |", c.Policy)
	}
	b.WriteString("\n")
	for i, n := range res.Curves[0].Rounds {
		fmt.Fprintf(&b, "| %d |", n)
		for _, c := range res.Curves {
			fmt.Fprintf(&b, " %.3f / %.0f / %.3f |", c.AcceptRate[i], c.Regret[i], c.Irrelevant[i])
		}
		b.WriteString("\n")
	}
	o := res.Report.Overall
	fmt.Fprintf(&b, "best-offer share in the last fifth: %v\n", res.BestShare)
	fmt.Fprintf(&b, "treatment %.4f (%d shown) vs control %.4f (%d shown): lift %+.4f [%+.4f, %+.4f]\n",
		o.Treatment.AcceptRate, o.Treatment.Shown, o.Control.AcceptRate, o.Control.Shown, o.Lift.Absolute, o.Lift.CI.Low, o.Lift.CI.High)
	return b.String()
}
