package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/rapportdev/rapport/cluster"
)

// clusterConfig is what the flags of `rapport cluster` ask for.
type clusterConfig struct {
	csv string
	// fromStore: cluster the stored customers (--data, --postgres) and
	// store the buckets as segments, instead of a CSV's rows.
	fromStore     bool
	store         storeFlags
	topCategories int
	dryRun        bool
	columns       []string
	k, kmin, kmax int
	seed          uint64
	maxIter       int
	nInit         int
	sample        int
	noStandardize bool
	labelsOut     string
}

// clusterReport is the JSON line `rapport cluster` prints.
type clusterReport struct {
	Rows       int      `json:"rows"`
	Columns    []string `json:"columns"`
	K          int      `json:"k"`
	Inertia    float64  `json:"inertia"`
	Iterations int      `json:"iterations"`
	Converged  bool     `json:"converged"`
	Sizes      []int    `json:"sizes"`
	// Silhouette is set when k was chosen by it; Trials then holds every k.
	Silhouette   *float64        `json:"silhouette,omitempty"`
	Trials       []cluster.Trial `json:"trials,omitempty"`
	Standardized bool            `json:"standardized"`
	// Centers are in the columns' own units, one row per cluster (from the
	// store, influence is log(1 + followers)).
	Centers [][]float64 `json:"centers"`
	// Profiles, WindowDays and Segments describe a run over the stored
	// customers: profiles read, the span of their order history, and the
	// segment each cluster became (Segments[c] is cluster c).
	Profiles    int             `json:"profiles,omitempty"`
	WindowDays  float64         `json:"window_days,omitempty"`
	Segments    []segmentReport `json:"segments,omitempty"`
	ReadSeconds float64         `json:"read_seconds"`
	Seconds     float64         `json:"seconds"`
}

// runCluster groups the rows of a numeric CSV, or the customers in the
// store, with k-means and prints one JSON line about the clustering.
func runCluster(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseCluster(args, stderr)
	if err != nil {
		return err
	}
	if cfg.fromStore {
		return clusterCustomers(ctx, cfg, stdout, stderr)
	}
	return clusterCSV(ctx, cfg, stdout)
}

// clusterCSV groups the rows of a numeric CSV and prints the report.
func clusterCSV(ctx context.Context, cfg clusterConfig, stdout io.Writer) error {
	start := time.Now()
	table, err := readClusterCSV(cfg.csv, cfg.columns)
	if err != nil {
		return fmt.Errorf("cluster: %w", err)
	}
	read := time.Since(start)
	rep, labels, err := clusterMatrix(ctx, table.X, cfg)
	if err != nil {
		return fmt.Errorf("cluster: %w", err)
	}
	if cfg.labelsOut != "" {
		if err := writeLabels(cfg.labelsOut, labels); err != nil {
			return fmt.Errorf("cluster: %w", err)
		}
	}
	rep.Columns = table.Names
	rep.ReadSeconds = round(read.Seconds(), 3)
	rep.Seconds = round(time.Since(start).Seconds(), 3)
	return json.NewEncoder(stdout).Encode(rep)
}

// parseCluster reads and checks the flags.
func parseCluster(args []string, stderr io.Writer) (clusterConfig, error) {
	var cfg clusterConfig
	fs := flag.NewFlagSet("cluster", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.csv, "csv", "", "numeric CSV to cluster (header required; ',' or ';')")
	cfg.store.register(fs)
	columns := fs.String("columns", "", "comma-separated columns (or, from the store, features) to cluster on (default all)")
	fs.IntVar(&cfg.k, "k", 0, "number of clusters (default: chosen by silhouette in --kmin…--kmax)")
	fs.IntVar(&cfg.kmin, "kmin", 2, "smallest k to try")
	fs.IntVar(&cfg.kmax, "kmax", 8, "largest k to try")
	fs.Uint64Var(&cfg.seed, "seed", 1, "seed of the k-means++ seeding and the silhouette sample")
	fs.IntVar(&cfg.maxIter, "max-iter", 300, "most Lloyd iterations per run")
	fs.IntVar(&cfg.nInit, "n-init", 0, "k-means++ runs; the lowest inertia wins (default 1 with --csv, 10 from the store)")
	fs.IntVar(&cfg.sample, "silhouette-sample", cluster.DefaultSilhouetteSample, "rows the silhouette is scored on when choosing k")
	fs.BoolVar(&cfg.noStandardize, "no-standardize", false, "cluster the raw values instead of z-scores")
	fs.StringVar(&cfg.labelsOut, "labels-out", "", "file to write each row's cluster to, one per line under a 'cluster' header (--csv only)")
	fs.IntVar(&cfg.topCategories, "top-categories", 5, "categories whose revenue shares are features (from the store)")
	fs.BoolVar(&cfg.dryRun, "dry-run", false, "describe the buckets without storing them as segments (from the store)")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("cluster: unexpected argument %q", fs.Arg(0))
	}
	cfg.columns = splitList(*columns)
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return cfg, cfg.check(set)
}

// check completes and checks the configuration; set holds the flags given.
func (cfg *clusterConfig) check(set map[string]bool) error {
	if err := cfg.chooseSource(set); err != nil {
		return err
	}
	if !set["n-init"] {
		// A store's customers are few enough to afford ten seedings, and
		// one can settle in a poor local optimum that makes the silhouette
		// pick the wrong k (it did on the demo, about one run in thirty).
		cfg.nInit = 1
		if cfg.fromStore {
			cfg.nInit = 10
		}
	}
	switch {
	case set["k"] && (set["kmin"] || set["kmax"]):
		return errors.New("cluster: give --k or --kmin/--kmax, not both")
	case set["k"] && cfg.k < 1:
		return fmt.Errorf("cluster: --k %d: want at least 1", cfg.k)
	case !set["k"] && (cfg.kmin < 2 || cfg.kmax < cfg.kmin):
		return fmt.Errorf("cluster: --kmin %d --kmax %d: want 2 ≤ kmin ≤ kmax", cfg.kmin, cfg.kmax)
	case cfg.maxIter < 1 || cfg.nInit < 1 || cfg.sample < 2:
		return errors.New("cluster: --max-iter and --n-init must be at least 1, --silhouette-sample at least 2")
	case cfg.topCategories < 0:
		return fmt.Errorf("cluster: --top-categories %d: want 0 or more", cfg.topCategories)
	}
	return nil
}

// chooseSource decides between the CSV and the store, and refuses the
// flags that only make sense for the other. The store is chosen by --data
// or --postgres, or by RAPPORT_POSTGRES when no CSV is given.
func (cfg *clusterConfig) chooseSource(set map[string]bool) error {
	named := set["data"] || set["postgres"]
	switch {
	case cfg.csv != "" && named:
		return errors.New("cluster: give --csv or --data/--postgres, not both")
	case cfg.csv == "" && !named && cfg.store.postgres == "":
		return errors.New("cluster: --csv FILE, or --data DIR / --postgres URL, is required")
	}
	cfg.fromStore = cfg.csv == ""
	switch {
	case cfg.fromStore && cfg.labelsOut != "":
		return errors.New("cluster: --labels-out is for --csv; from the store the clusters become segments")
	case !cfg.fromStore && (set["dry-run"] || set["top-categories"]):
		return errors.New("cluster: --dry-run and --top-categories are for the store (--data, --postgres)")
	}
	return nil
}

// readClusterCSV reads the table to cluster from a file.
func readClusterCSV(path string, columns []string) (*cluster.Table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	t, err := cluster.ReadCSV(f, columns)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

// clusterMatrix standardises x in place (unless told not to), clusters it
// with the k given or the one the silhouette picks, and reports; the labels
// come back for --labels-out. It knows nothing of where x came from.
func clusterMatrix(ctx context.Context, x cluster.Matrix, cfg clusterConfig) (*clusterReport, []int, error) {
	rep := &clusterReport{Rows: x.Rows, Standardized: !cfg.noStandardize}
	scaler := cluster.Scaler{Mean: make([]float64, x.Cols), Std: make([]float64, x.Cols)}
	if !cfg.noStandardize {
		var err error
		if scaler, err = cluster.FitScaler(x); err != nil {
			return nil, nil, err
		}
		if err := scaler.TransformInPlace(x); err != nil {
			return nil, nil, err
		}
	}
	opts := cluster.Options{K: cfg.k, MaxIter: cfg.maxIter, NInit: cfg.nInit, Seed: cfg.seed}
	var res *cluster.Result
	if cfg.k > 0 {
		var err error
		if res, err = cluster.KMeans(ctx, x, opts); err != nil {
			return nil, nil, err
		}
	} else {
		choice, err := cluster.ChooseK(ctx, x, cfg.kmin, cfg.kmax, opts, cfg.sample)
		if err != nil {
			return nil, nil, err
		}
		res, rep.Trials = choice.Result, choice.Trials
		rep.Silhouette = &choice.Silhouette
	}
	rep.K, rep.Inertia, rep.Iterations, rep.Converged, rep.Sizes = res.Centers.Rows, res.Inertia, res.Iterations, res.Converged, res.Sizes
	for c := range res.Centers.Rows {
		center, err := scaler.Inverse(res.Centers.Row(c))
		if err != nil {
			return nil, nil, err
		}
		rep.Centers = append(rep.Centers, center)
	}
	return rep, res.Labels, nil
}

// writeLabels writes one cluster number per row under a "cluster" header.
func writeLabels(path string, labels []int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	_, _ = w.WriteString("cluster\n")
	buf := make([]byte, 0, 8)
	for _, l := range labels {
		buf = strconv.AppendInt(buf[:0], int64(l), 10)
		buf = append(buf, '\n')
		_, _ = w.Write(buf)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("write labels: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write labels: %w", err)
	}
	return nil
}
