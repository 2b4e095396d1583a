package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
)

// TestBenchSegments runs the segment benchmark on a small population: in
// memory always, against PostgreSQL when RAPPORT_TEST_POSTGRES names one
// (the benchmark itself fails when the two counts differ).
func TestBenchSegments(t *testing.T) {
	tests := []struct {
		name     string
		postgres string
	}{
		{"memory", ""},
		{"postgres", os.Getenv("RAPPORT_TEST_POSTGRES")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "postgres" && tt.postgres == "" {
				t.Skip("RAPPORT_TEST_POSTGRES is not set")
			}
			args := []string{"--rows", "20000", "--runs", "1", "--seed", "7"}
			if tt.postgres != "" {
				args = append(args, "--postgres", tt.postgres)
			}
			var stdout, stderr bytes.Buffer
			if err := benchSegments(context.Background(), args, &stdout, &stderr); err != nil {
				t.Fatalf("bench segments: %v\n%s", err, stderr.String())
			}
			out := stdout.String()
			for _, p := range segmentPredicates {
				if !strings.Contains(out, p.expr) {
					t.Errorf("output lacks %s:\n%s", p.expr, out)
				}
			}
			if tt.postgres != "" && !strings.Contains(out, "×") {
				t.Errorf("output has no ratio:\n%s", out)
			}
		})
	}
}

// TestBenchSegmentsSeed checks that the profiles depend on the seed only.
func TestBenchSegmentsSeed(t *testing.T) {
	a, b, c := newProfileGen(3), newProfileGen(3), newProfileGen(4)
	same, differ := true, false
	for range 1000 {
		pa, pb, pc := a.next(), b.next(), c.next()
		same = same && pa.orders == pb.orders && pa.revenue == pb.revenue && pa.grade == pb.grade
		differ = differ || pa.revenue != pc.revenue
	}
	if !same || !differ {
		t.Errorf("same seed same profiles: %v; other seed other profiles: %v", same, differ)
	}
}

func TestBenchSegmentsFlags(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := benchSegments(context.Background(), []string{"--rows", "0"}, &stdout, &stderr); err == nil {
		t.Error("--rows 0 is accepted")
	}
}
