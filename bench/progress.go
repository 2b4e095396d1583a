package bench

import (
	"fmt"
	"io"
	"time"
)

// progressEvery is the time between progress lines; tests shorten it.
var progressEvery = time.Second

// startProgress writes a line a second to w with the run's counters so
// far, until the returned stop is called. A nil w writes nothing.
func startProgress(c *client, cfg Config, w io.Writer) (stop func()) {
	if w == nil {
		return func() {}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		start := time.Now()
		tick := time.NewTicker(progressEvery)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case t := <-tick.C:
				s := &c.stats
				secs := t.Sub(start).Seconds()
				fmt.Fprintf(w, "%s %4.0fs  %d events acknowledged (%.0f/s)  %d requests  %d failed\n",
					cfg.Mode, secs, s.acked.Load(), float64(s.acked.Load())/secs, s.requests.Load(), s.failed.Load())
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}
