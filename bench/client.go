package bench

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// requestTimeout bounds one request: a server that has not answered by
// then is counted as failing, not waited for.
const requestTimeout = 30 * time.Second

// client sends requests and records what came back. One client, with one
// connection pool, serves every worker of a run.
type client struct {
	cfg      Config
	http     *http.Client
	batchURL string
	trackURL string
	auth     string
	stats    stats
}

// stats are the counters of a run, safe for concurrent use.
type stats struct {
	sent     atomic.Int64 // messages sent
	acked    atomic.Int64 // messages in 2xx responses
	requests atomic.Int64 // requests answered or failed
	failed   atomic.Int64 // requests without a 2xx

	mu        sync.Mutex
	latencies []time.Duration // of 2xx responses
	errors    map[string]int64
}

func newClient(cfg Config) *client {
	base := strings.TrimRight(cfg.URL, "/")
	idle := cfg.Concurrency * 2
	return &client{
		cfg: cfg,
		http: &http.Client{
			Timeout: requestTimeout,
			Transport: &http.Transport{
				Proxy:               nil, // loopback load must not go through a proxy
				MaxIdleConns:        idle,
				MaxIdleConnsPerHost: idle,
				IdleConnTimeout:     90 * time.Second,
				DisableCompression:  true,
			},
		},
		batchURL: base + "/v1/batch",
		trackURL: base + "/v1/track",
		auth:     "Basic " + base64.StdEncoding.EncodeToString([]byte(cfg.WriteKey+":")),
		stats:    stats{errors: map[string]int64{}},
	}
}

// post sends body, holding n messages, and records the outcome. The
// latency is measured from due: the time the request was meant to go.
func (c *client) post(ctx context.Context, url string, body []byte, n int, due time.Time) {
	c.stats.sent.Add(int64(n))
	status, err := c.do(ctx, url, body)
	latency := time.Since(due)
	c.stats.requests.Add(1)
	switch {
	case err != nil && ctx.Err() != nil:
		c.stats.fail("cancelled")
	case err != nil:
		c.stats.fail("transport")
	case status/100 != 2:
		c.stats.fail(strconv.Itoa(status))
	default:
		c.stats.acked.Add(int64(n))
		c.stats.mu.Lock()
		c.stats.latencies = append(c.stats.latencies, latency)
		c.stats.mu.Unlock()
	}
}

// do makes one request and reads the whole response, so the connection
// can be reused.
func (c *client) do(ctx context.Context, url string, body []byte) (int, error) {
	var rd io.Reader = bytes.NewReader(body)
	if c.cfg.Gzip {
		rd = gzipped(body)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, rd)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", c.auth)
	if c.cfg.Gzip {
		req.Header.Set("Content-Encoding", "gzip")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, err
}

// gzipped compresses body. Compression is part of a real client's cost,
// so it happens per request, inside the measured time.
func gzipped(body []byte) io.Reader {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(body)
	zw.Close()
	return &buf
}

// fail counts a request that got no 2xx, by reason.
func (s *stats) fail(reason string) {
	s.failed.Add(1)
	s.mu.Lock()
	s.errors[reason]++
	s.mu.Unlock()
}
