package main

import (
	"sync"
	"time"
)

// demoClock is the time the demo's histories are played at (the offers'
// weeks, the leads' arrivals), set step by step.
type demoClock struct {
	mu sync.Mutex
	t  time.Time
}

// Now implements rapport.Clock.
func (c *demoClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *demoClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}
