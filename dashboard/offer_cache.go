package dashboard

import (
	"sync"
	"time"

	"github.com/rapportdev/rapport/offer"
)

// offerCacheTTL is how long the offers page shows figures it counted:
// paging through the table or switching the segment reads no store.
const offerCacheTTL = time.Minute

// offerCacheSize bounds the windows × periods kept (there are eight).
const offerCacheSize = 16

// offerFigures are the counts the offers page shows.
type offerFigures struct {
	report offer.Report
	funnel offer.Funnel
}

// offerCache keeps offerFigures by window and period for offerCacheTTL.
type offerCache struct {
	mu      sync.Mutex
	entries map[string]cachedFigures
}

type cachedFigures struct {
	offerFigures
	at time.Time
}

func (c *offerCache) get(key string, now time.Time) (offerFigures, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || now.Sub(e.at) > offerCacheTTL || now.Before(e.at) {
		return offerFigures{}, false
	}
	return e.offerFigures, true
}

func (c *offerCache) put(key string, f offerFigures, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) >= offerCacheSize {
		c.entries = map[string]cachedFigures{}
	}
	c.entries[key] = cachedFigures{offerFigures: f, at: now}
}
