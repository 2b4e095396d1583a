package http

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/predict"
)

// conversionRecheck is how long a loaded conversion model is served
// before the store is asked for a newer one (rapport model train stores
// it from another process).
const conversionRecheck = 30 * time.Second

// conversionCache holds the newest conversion model.
type conversionCache struct {
	mu      sync.Mutex
	checked time.Time
	version int
	conv    *predict.Conversion
}

// prediction is a profile's predicted conversion as the score shows it.
type prediction struct {
	predict.Prediction
	ModelVersion int     `json:"modelVersion"`
	ModelAUC     float64 `json:"modelAuc"`
}

// conversion returns the newest stored conversion model, nil when none
// was trained.
func (s *Server) conversion(ctx context.Context) (*predict.Conversion, int, error) {
	c := &s.conv
	c.mu.Lock()
	defer c.mu.Unlock()
	if time.Since(c.checked) < conversionRecheck {
		return c.conv, c.version, nil
	}
	v, err := s.cfg.Store.CurrentModel(ctx, rapport.ModelConversion)
	if rapport.ErrorCode(err) == rapport.ENOTFOUND {
		c.checked = time.Now()
		return nil, 0, nil
	} else if err != nil {
		return nil, 0, fmt.Errorf("find conversion model: %w", err)
	}
	if v.Version != c.version {
		var conv predict.Conversion
		if err := json.Unmarshal(v.Body, &conv); err != nil {
			return nil, 0, fmt.Errorf("load conversion model version %d: %w", v.Version, err)
		}
		c.conv, c.version = &conv, v.Version
	}
	c.checked = time.Now()
	return c.conv, c.version, nil
}

// predict returns the profile's predicted conversion, nil without a
// trained model.
func (s *Server) predict(ctx context.Context, profileID string) (*prediction, error) {
	conv, version, err := s.conversion(ctx)
	if err != nil || conv == nil {
		return nil, err
	}
	p, err := s.cfg.Store.FindProfileByID(ctx, profileID)
	if err != nil {
		return nil, fmt.Errorf("predict %s: %w", profileID, err)
	}
	pr, err := conv.Predict(p, time.Now().UTC(), 5)
	if err != nil {
		return nil, fmt.Errorf("predict %s: %w", profileID, err)
	}
	return &prediction{Prediction: pr, ModelVersion: version, ModelAUC: conv.AUC}, nil
}
