package http

import (
	"context"
	"fmt"
	"time"

	"github.com/rapportdev/rapport/predict"
)

// prediction is a profile's predicted conversion as the score shows it.
type prediction struct {
	predict.Prediction
	ModelVersion int     `json:"modelVersion"`
	ModelAUC     float64 `json:"modelAuc"`
}

// predict returns the profile's predicted conversion, nil without a
// trained model.
func (s *Server) predict(ctx context.Context, profileID string) (*prediction, error) {
	conv, version, err := s.conv.Model(ctx)
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
