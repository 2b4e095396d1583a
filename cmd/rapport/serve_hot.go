package main

import (
	"context"

	"github.com/rapportdev/rapport"
	rhttp "github.com/rapportdev/rapport/http"
	"github.com/rapportdev/rapport/rescore"
)

// hotErasure erases through the processor, then drops the person's
// scoring state held in memory, so no reader is served their score.
type hotErasure struct {
	rhttp.Processor
	hot *rescore.Hot
}

// Erase implements http.Processor.
func (p hotErasure) Erase(ctx context.Context, profileID string) (*rapport.Erasure, error) {
	e, err := p.Processor.Erase(ctx, profileID)
	if err == nil {
		p.hot.Remove(profileID)
	}
	return e, err
}
