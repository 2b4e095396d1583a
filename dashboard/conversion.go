package dashboard

import (
	"context"
	"fmt"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/predict"
)

// prediction is a profile's predicted conversion with the model behind it.
type prediction struct {
	predict.Prediction
	ModelVersion int
	ModelAUC     float64
	TrainedAt    time.Time
}

// predict returns the profile's predicted conversion with its top five
// features, nil without a trained model.
func (h *Handler) predict(ctx context.Context, p *rapport.Profile) (*prediction, error) {
	conv, version, err := h.conv.Model(ctx)
	if err != nil || conv == nil {
		return nil, err
	}
	pr, err := conv.Predict(p, h.cfg.Clock.Now(), 5)
	if err != nil {
		return nil, fmt.Errorf("predict %s: %w", p.ID, err)
	}
	return &prediction{Prediction: pr, ModelVersion: version, ModelAUC: conv.AUC, TrainedAt: conv.TrainedAt}, nil
}
