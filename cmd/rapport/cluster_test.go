package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeBlobsCSV writes n rows of three columns around three far-apart
// centres, the columns in very different units, and returns the file.
func writeBlobsCSV(t *testing.T, n int) string {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	b.WriteString("visits,spend,note\n")
	for i := range n {
		c := i % 3
		fmt.Fprintf(&b, "%.3f,%.2f,%d\n", float64(c*10)+rng.NormFloat64(), 1000*float64(c%2)+50*rng.NormFloat64(), i%7)
	}
	path := filepath.Join(t.TempDir(), "blobs.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// runClusterArgs runs `rapport cluster ARGS...` in process and decodes its
// line.
func runClusterArgs(t *testing.T, args ...string) (clusterReport, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	var rep clusterReport
	if err := runCluster(context.Background(), args, &stdout, &stderr); err != nil {
		return rep, err
	}
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("output %q: %v", stdout.String(), err)
	}
	return rep, nil
}

func TestClusterCSV(t *testing.T) {
	path := writeBlobsCSV(t, 600)
	tests := []struct {
		name           string
		args           []string
		wantK          int
		wantSilhouette bool
		wantColumns    int
	}{
		{"given k", []string{"--k", "3", "--columns", "visits,spend"}, 3, false, 2},
		{"chosen k", []string{"--columns", "visits, spend", "--kmax", "5"}, 3, true, 2},
		{"raw values, every column", []string{"--k", "2", "--no-standardize", "--n-init", "3", "--seed", "9"}, 2, false, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := runClusterArgs(t, append([]string{"--csv", path}, tt.args...)...)
			if err != nil {
				t.Fatal(err)
			}
			if rep.K != tt.wantK || len(rep.Sizes) != tt.wantK || len(rep.Centers) != tt.wantK || rep.Rows != 600 {
				t.Errorf("k %d, sizes %v, %d centres, %d rows; want k %d of 600 rows", rep.K, rep.Sizes, len(rep.Centers), rep.Rows, tt.wantK)
			}
			if (rep.Silhouette != nil) != tt.wantSilhouette || len(rep.Columns) != tt.wantColumns {
				t.Errorf("silhouette %v, columns %v", rep.Silhouette, rep.Columns)
			}
			if rep.Inertia <= 0 || rep.Iterations < 1 || !rep.Converged {
				t.Errorf("implausible %+v", rep)
			}
		})
	}
}

func TestClusterLabelsOut(t *testing.T) {
	path := writeBlobsCSV(t, 90)
	out := filepath.Join(t.TempDir(), "labels.csv")
	rep, err := runClusterArgs(t, "--csv", path, "--columns", "visits,spend", "--k", "3", "--labels-out", out)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 91 || lines[0] != "cluster" {
		t.Fatalf("%d lines starting %q, want a header and 90 labels", len(lines), lines[0])
	}
	// Rows i and i+3 come from the same centre: same label.
	for i := 1; i+3 < len(lines); i++ {
		if lines[i] != lines[i+3] {
			t.Fatalf("rows %d and %d: labels %s and %s", i, i+3, lines[i], lines[i+3])
		}
	}
	if rep.Sizes[0] != 30 || rep.Sizes[1] != 30 {
		t.Errorf("sizes %v, want 30 each", rep.Sizes)
	}
}

func TestClusterErrors(t *testing.T) {
	good := writeBlobsCSV(t, 30)
	bad := filepath.Join(t.TempDir(), "bad.csv")
	if err := os.WriteFile(bad, []byte("a,b\n1,2\n3,oops\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no csv", []string{"--k", "2"}, "--csv is required"},
		{"k and range", []string{"--csv", good, "--k", "2", "--kmax", "4"}, "not both"},
		{"bad range", []string{"--csv", good, "--kmin", "1"}, "kmin 1"},
		{"zero k", []string{"--csv", good, "--k", "0"}, "--k 0"},
		{"zero n-init", []string{"--csv", good, "--k", "2", "--n-init", "0"}, "--n-init"},
		{"stray argument", []string{"--csv", good, "extra"}, `unexpected argument "extra"`},
		{"missing file", []string{"--csv", filepath.Join(t.TempDir(), "nope.csv")}, "no such file"},
		{"bad value", []string{"--csv", bad, "--k", "2"}, `line 3 column "b"`},
		{"unknown column", []string{"--csv", good, "--columns", "visits,age"}, `no column "age"`},
		{"k above rows", []string{"--csv", good, "--k", "31"}, "exceeds the 30 rows"},
		{"unknown flag", []string{"--csv", good, "--kk", "2"}, "not defined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := runClusterArgs(t, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}
