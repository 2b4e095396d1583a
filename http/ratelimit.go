package http

import (
	"hash/maphash"
	"sync"
	"time"

	"github.com/rapportdev/rapport"
)

// rateShards spreads profile buckets over independently locked maps so
// concurrent requests rarely contend.
const rateShards = 64

// minSweep is the map size below which a shard is never swept.
const minSweep = 1024

// rateGuard keeps one token bucket per profile key: each holds up to burst
// tokens and refills at rate tokens per second; an event takes one.
//
// Memory stays bounded without a timer: a bucket that has refilled to full
// behaves exactly like a missing one, so a shard deletes its full buckets
// whenever its map has doubled since the last sweep. Only profiles active
// within the last burst/rate seconds keep a bucket, and the sweeps cost
// O(1) amortised per new key.
type rateGuard struct {
	rate   float64
	burst  float64
	seed   maphash.Seed
	shards [rateShards]rateShard
}

type rateShard struct {
	mu        sync.Mutex
	buckets   map[string]*bucket
	nextSweep int
}

// bucket is one profile's tokens as of last (unix nanoseconds).
type bucket struct {
	tokens float64
	last   int64
}

func newRateGuard(rate float64, burst int) *rateGuard {
	g := &rateGuard{rate: rate, burst: float64(burst), seed: maphash.MakeSeed()}
	for i := range g.shards {
		g.shards[i].buckets = make(map[string]*bucket)
		g.shards[i].nextSweep = minSweep
	}
	return g
}

// allowEvents takes one token per event from each event's profile bucket,
// all or nothing: when any profile lacks tokens, the tokens already taken
// are given back and it reports false, so a retry of the whole request
// starts clean. A request with more events for one profile than the burst
// is never allowed on a live endpoint; history belongs on /v1/import.
func (g *rateGuard) allowEvents(now time.Time, events []rapport.Event) bool {
	counts := make(map[string]int, 8)
	for i := range events {
		counts[events[i].Key()]++
	}
	taken := make([]string, 0, len(counts))
	for key, n := range counts {
		if !g.take(now, key, float64(n)) {
			for _, k := range taken {
				g.take(now, k, -float64(counts[k]))
			}
			return false
		}
		taken = append(taken, key)
	}
	return true
}

// take removes n tokens from key's bucket (a negative n gives them back)
// and reports whether it had them. It never takes part of n.
func (g *rateGuard) take(now time.Time, key string, n float64) bool {
	sh := &g.shards[maphash.String(g.seed, key)%rateShards]
	ns := now.UnixNano()
	sh.mu.Lock()
	defer sh.mu.Unlock()
	b := sh.buckets[key]
	if b == nil {
		sh.sweepIfDue(g, ns) // before inserting, so the new bucket stays
		b = &bucket{tokens: g.burst, last: ns}
		sh.buckets[key] = b
	}
	b.refill(g, ns)
	if b.tokens < n {
		return false
	}
	b.tokens = min(b.tokens-n, g.burst)
	return true
}

// refill adds the tokens earned since b.last. A clock that went back earns
// nothing.
func (b *bucket) refill(g *rateGuard, ns int64) {
	if elapsed := ns - b.last; elapsed > 0 {
		b.tokens = min(g.burst, b.tokens+float64(elapsed)/1e9*g.rate)
		b.last = ns
	}
}

// sweepIfDue deletes the shard's full buckets once the map has doubled
// since the last sweep. The caller holds sh.mu.
func (sh *rateShard) sweepIfDue(g *rateGuard, ns int64) {
	if len(sh.buckets) < sh.nextSweep {
		return
	}
	for key, b := range sh.buckets {
		b.refill(g, ns)
		if b.tokens >= g.burst {
			delete(sh.buckets, key)
		}
	}
	sh.nextSweep = max(minSweep, 2*len(sh.buckets))
}

// size returns the number of buckets kept, for tests.
func (g *rateGuard) size() int {
	n := 0
	for i := range g.shards {
		g.shards[i].mu.Lock()
		n += len(g.shards[i].buckets)
		g.shards[i].mu.Unlock()
	}
	return n
}
