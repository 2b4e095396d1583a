package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/rapportdev/rapport/offer"
)

// runSimulate runs `rapport simulate offers`: synthetic customers with
// hidden preferences through Rapport's offer policy and two baselines
// (docs/offers.md, docs/benchmarks.md).
func runSimulate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "offers" {
		return errors.New("simulate: want 'simulate offers'")
	}
	cfg := offer.SimConfig{Policy: offer.DefaultPolicy()}
	fs := flag.NewFlagSet("simulate offers", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&cfg.People, "people", 2000, "synthetic customers")
	fs.IntVar(&cfg.Rounds, "rounds", 60_000, "decisions (about one per customer and simulated day)")
	fs.Float64Var(&cfg.Dislike, "dislike", 0.3, "share of customers who never accept their segment's best offer")
	fs.Uint64Var(&cfg.Seed, "seed", 1, "random seed")
	fs.IntVar(&cfg.Checkpoints, "points", 20, "points of each curve")
	svg := fs.String("svg", "", "also draw the curves into this SVG file")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if cfg.People < 1 || cfg.Checkpoints < 1 || cfg.Rounds < cfg.Checkpoints || cfg.Dislike < 0 || cfg.Dislike > 1 {
		return errors.New("simulate offers: want --people ≥ 1, --rounds ≥ --points ≥ 1 and --dislike from 0 to 1")
	}
	res := offer.Simulate(cfg)
	fmt.Fprintf(stdout, "%-28s %12s %10s %16s\n", "policy", "accept rate", "regret", "never-accepted")
	for _, c := range res.Curves {
		last := len(c.Rounds) - 1
		fmt.Fprintf(stdout, "%-28s %12.4f %10.0f %16.3f\n", c.Policy, c.AcceptRate[last], c.Regret[last], c.Irrelevant[last])
	}
	o := res.Report.Overall
	fmt.Fprintf(stdout, "lift of rapport over its control group: %+.4f (95%% CI %+.4f to %+.4f), %d and %d offers shown\n",
		o.Lift.Absolute, o.Lift.CI.Low, o.Lift.CI.High, o.Treatment.Shown, o.Control.Shown)
	if *svg == "" {
		return nil
	}
	f, err := os.Create(*svg)
	if err != nil {
		return fmt.Errorf("simulate offers: %w", err)
	}
	if err := res.WriteSVG(f); err != nil {
		f.Close()
		return fmt.Errorf("simulate offers: %w", err)
	}
	return f.Close()
}
