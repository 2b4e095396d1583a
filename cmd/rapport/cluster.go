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
	csv           string
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
	// Centers are in the CSV's own units, one row per cluster.
	Centers     [][]float64 `json:"centers"`
	ReadSeconds float64     `json:"read_seconds"`
	Seconds     float64     `json:"seconds"`
}

// runCluster groups the rows of a numeric CSV with k-means and prints one
// JSON line about the clustering.
func runCluster(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	start := time.Now()
	cfg, err := parseCluster(args, stderr)
	if err != nil {
		return err
	}
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
	columns := fs.String("columns", "", "comma-separated columns to cluster on (default all)")
	fs.IntVar(&cfg.k, "k", 0, "number of clusters (default: chosen by silhouette in --kmin…--kmax)")
	fs.IntVar(&cfg.kmin, "kmin", 2, "smallest k to try")
	fs.IntVar(&cfg.kmax, "kmax", 8, "largest k to try")
	fs.Uint64Var(&cfg.seed, "seed", 1, "seed of the k-means++ seeding and the silhouette sample")
	fs.IntVar(&cfg.maxIter, "max-iter", 300, "most Lloyd iterations per run")
	fs.IntVar(&cfg.nInit, "n-init", 1, "k-means++ runs; the lowest inertia wins")
	fs.IntVar(&cfg.sample, "silhouette-sample", cluster.DefaultSilhouetteSample, "rows the silhouette is scored on when choosing k")
	fs.BoolVar(&cfg.noStandardize, "no-standardize", false, "cluster the raw values instead of z-scores")
	fs.StringVar(&cfg.labelsOut, "labels-out", "", "file to write each row's cluster to, one per line under a 'cluster' header")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("cluster: unexpected argument %q", fs.Arg(0))
	}
	cfg.columns = splitList(*columns)
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	switch {
	case cfg.csv == "":
		return cfg, errors.New("cluster: --csv is required")
	case set["k"] && (set["kmin"] || set["kmax"]):
		return cfg, errors.New("cluster: give --k or --kmin/--kmax, not both")
	case set["k"] && cfg.k < 1:
		return cfg, fmt.Errorf("cluster: --k %d: want at least 1", cfg.k)
	case !set["k"] && (cfg.kmin < 2 || cfg.kmax < cfg.kmin):
		return cfg, fmt.Errorf("cluster: --kmin %d --kmax %d: want 2 ≤ kmin ≤ kmax", cfg.kmin, cfg.kmax)
	case cfg.maxIter < 1 || cfg.nInit < 1 || cfg.sample < 2:
		return cfg, errors.New("cluster: --max-iter and --n-init must be at least 1, --silhouette-sample at least 2")
	}
	return cfg, nil
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
