package dashboard

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/predict"
)

// conversionRecheck is how long a loaded conversion model is used before
// the store is asked for a newer one (`rapport model train` stores it from
// another process).
const conversionRecheck = 30 * time.Second

// conversionCache holds the newest conversion model.
type conversionCache struct {
	mu      sync.Mutex
	checked time.Time // monotonic
	version int
	conv    *predict.Conversion
}

// prediction is a profile's predicted conversion with the model behind it.
type prediction struct {
	predict.Prediction
	ModelVersion int
	ModelAUC     float64
	TrainedAt    time.Time
}

// conversion returns the newest stored conversion model, nil when none
// was trained.
func (h *Handler) conversion(ctx context.Context) (*predict.Conversion, int, error) {
	c := &h.conv
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.checked.IsZero() && time.Since(c.checked) < conversionRecheck {
		return c.conv, c.version, nil
	}
	v, err := h.cfg.Store.CurrentModel(ctx, rapport.ModelConversion)
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

// predict returns the profile's predicted conversion with its top five
// features, nil without a trained model.
func (h *Handler) predict(ctx context.Context, p *rapport.Profile) (*prediction, error) {
	conv, version, err := h.conversion(ctx)
	if err != nil || conv == nil {
		return nil, err
	}
	pr, err := conv.Predict(p, h.cfg.Clock.Now(), 5)
	if err != nil {
		return nil, fmt.Errorf("predict %s: %w", p.ID, err)
	}
	return &prediction{Prediction: pr, ModelVersion: version, ModelAUC: conv.AUC, TrainedAt: conv.TrainedAt}, nil
}
