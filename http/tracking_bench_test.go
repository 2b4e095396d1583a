package http_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/rapportdev/rapport"
	rhttp "github.com/rapportdev/rapport/http"
)

// BenchmarkBatchIngest measures the whole tracking path over loopback:
// HTTP, auth, decoding, rate guard, group commit and SQLite, with
// concurrent clients each posting batches of 100 messages to /v1/batch.
// The "discard" run replaces the log with one that stores nothing, to show
// what the HTTP side alone costs.
func BenchmarkBatchIngest(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) {
		benchIngest(b, newTrackEnv(b, trackConfig{clock: rapport.SystemClock{}}))
	})
	b.Run("discard", func(b *testing.B) {
		benchIngest(b, newTrackEnv(b, trackConfig{clock: rapport.SystemClock{},
			ingest: func(rapport.EventLog) rhttp.Appender { return discard{} }}))
	})
}

// discard accepts events and stores nothing.
type discard struct{}

func (discard) Append(context.Context, []rapport.Event) error { return nil }

// benchIngest posts b.N batches to env from concurrent clients.
func benchIngest(b *testing.B, env *trackEnv) {
	tmpl := rhttp.BenchTemplate()
	b.SetBytes(int64(len(tmpl)))
	auth := basic(trackWriteKey)["Authorization"]
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var seq atomic.Int64
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			body := bytes.ReplaceAll(tmpl, []byte(rhttp.BenchToken), fmt.Appendf(nil, "b%d", seq.Add(1)))
			req, _ := http.NewRequest("POST", env.srv.URL+"/v1/batch", bytes.NewReader(body))
			req.Header.Set("Authorization", auth)
			req.Header.Set("Content-Type", "application/json")
			res, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			res.Body.Close()
			if res.StatusCode != 200 {
				b.Errorf("status %d", res.StatusCode)
				return
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N*rhttp.BenchBatchSize)/b.Elapsed().Seconds(), "events/s")
}
