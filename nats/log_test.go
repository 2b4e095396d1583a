package nats_test

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	natsgo "github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/nats"
	"github.com/rapportdev/rapport/storetest"
)

// natsURL returns the test server's URL, or skips.
func natsURL(t testing.TB) string {
	url := os.Getenv("RAPPORT_TEST_NATS")
	if url == "" {
		t.Skip("RAPPORT_TEST_NATS is not set: the NATS JetStream log is not tested (set it to nats://127.0.0.1:4222)")
	}
	return url
}

var streams atomic.Int64

// newStream returns options for a stream of the test's own, deleted when
// the test ends.
func newStream(t testing.TB, url string) nats.Options {
	n := streams.Add(1)
	opts := nats.Options{Stream: fmt.Sprintf("RAPPORT_TEST_%d_%d", os.Getpid(), n),
		Subject: fmt.Sprintf("rapport.test.%d.%d", os.Getpid(), n)}
	t.Cleanup(func() {
		nc, err := natsgo.Connect(url)
		if err != nil {
			return
		}
		defer nc.Close()
		if js, err := jetstream.New(nc); err == nil {
			_ = js.DeleteStream(context.Background(), opts.Stream)
		}
	})
	return opts
}

func TestLogConformance(t *testing.T) {
	url := natsURL(t)
	storetest.RunLog(t, func(t *testing.T) (rapport.EventLog, func() rapport.EventLog) {
		opts := newStream(t, url)
		open := func() rapport.EventLog {
			l, err := nats.OpenLog(context.Background(), url, opts)
			if err != nil {
				t.Fatalf("open nats log: %v", err)
			}
			return l
		}
		return open(), open
	})
}

// TestReadWaitsBriefly checks that reading past the end returns quickly
// with nothing, so the processor's polling stays cheap.
func TestReadWaitsBriefly(t *testing.T) {
	url := natsURL(t)
	l, err := nats.OpenLog(context.Background(), url, newStream(t, url))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	start := time.Now()
	got, err := l.Read(context.Background(), 0, 100)
	if err != nil || len(got) != 0 {
		t.Fatalf("Read of an empty log = %v, %v", got, err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("an empty read took %v", d)
	}
}
