package cluster

import (
	"context"
	"testing"
)

// BenchmarkKMeans fits 8 clusters to 100,000 rows of 8 features, seeding
// included.
func BenchmarkKMeans(b *testing.B) {
	x, _ := blobs(b, 100_000, 8, 8, 1)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := KMeans(context.Background(), x, Options{K: 8, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSilhouetteSample scores 8 clusters on the default sample.
func BenchmarkSilhouetteSample(b *testing.B) {
	x, truth := blobs(b, 100_000, 8, 8, 1)
	for b.Loop() {
		if _, err := SilhouetteSample(x, truth, DefaultSilhouetteSample, 1); err != nil {
			b.Fatal(err)
		}
	}
}
