package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"os"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/config"
	"github.com/rapportdev/rapport/rescore"
	"github.com/rapportdev/rapport/scoring"
)

// scoringFlags choose what the server declares: rapport.yaml, and the
// flags that override its scoring model.
type scoringFlags struct {
	config   string
	file     string
	template string
	// templateSet is whether --scoring-template was given.
	templateSet bool
}

func (f *scoringFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.config, "config", envOr("RAPPORT_CONFIG", ""), "rapport.yaml to read (env RAPPORT_CONFIG); default ./rapport.yaml when it exists")
	fs.StringVar(&f.file, "scoring", "", "YAML file holding the scoring model (see docs/scoring.md); overrides rapport.yaml")
	fs.StringVar(&f.template, "scoring-template", "b2c", "shipped scoring model when neither --scoring nor rapport.yaml declares one: b2c or b2b")
}

// parsed records which flags were given, once fs has parsed.
func (f *scoringFlags) parsed(fs *flag.FlagSet) {
	fs.Visit(func(fl *flag.Flag) {
		if fl.Name == "scoring-template" {
			f.templateSet = true
		}
	})
}

// declaration is what the server was told to run.
type declaration struct {
	cfg *config.Config
	// model is the scoring model's YAML and source names where it came
	// from.
	model  []byte
	source string
}

// load reads rapport.yaml (the named one, else ./rapport.yaml when it
// exists) and resolves the scoring model: --scoring, else an explicit
// --scoring-template, else rapport.yaml's, else the template.
func (f *scoringFlags) load() (*declaration, error) {
	d := &declaration{cfg: &config.Config{}}
	path := f.config
	if path == "" {
		if _, err := os.Stat("rapport.yaml"); err == nil {
			path = "rapport.yaml"
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("rapport.yaml: %w", err)
		}
	}
	var err error
	if path != "" {
		if d.cfg, err = config.Load(path); err != nil {
			return nil, err
		}
	}
	switch {
	case f.file != "":
		if d.model, err = os.ReadFile(f.file); err != nil {
			return nil, fmt.Errorf("--scoring: %w", err)
		}
		d.source = "file " + f.file
	case f.templateSet || path == "":
		if d.model, err = scoring.TemplateYAML(f.template); err != nil {
			return nil, fmt.Errorf("--scoring-template: %w", err)
		}
		d.source = "template " + f.template
	default:
		if d.model, d.source, err = d.cfg.ScoringModel(); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	if _, err := scoring.ParseModel(d.model); err != nil {
		return nil, fmt.Errorf("scoring model %s: %w", d.source, err)
	}
	return d, nil
}

// newKeeper settles the scoring model with the store (the declaration, or
// a newer version made through the API) and returns the keeper that runs
// it; changed reports a new version, which calls for a pass. A process
// that does not apply events (readOnly) stores nothing: it adopts the
// newest stored version.
func newKeeper(ctx context.Context, d *declaration, store rapport.Store, clock rapport.Clock, logger *slog.Logger, readOnly bool) (*rescore.Keeper, bool, error) {
	k := rescore.NewKeeper(rescore.NewLive(scoring.B2C(), clock), store, logger, rescore.Options{})
	if readOnly {
		return k, false, k.Adopt(ctx, d.model, d.source)
	}
	changed, err := k.Declare(ctx, d.model, d.source)
	if err != nil {
		return nil, false, err
	}
	st := k.Status()
	logger.Info("scoring model", "version", st.ModelVersion, "source", st.ModelSource, "new", changed)
	return k, changed, nil
}
