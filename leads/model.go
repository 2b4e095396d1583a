package leads

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/lead"
)

// ModelKind is the kind the lead conversion model is stored under.
const ModelKind = "lead"

// LoadModel makes the newest stored lead model price leads; without one
// the prior keeps doing it.
func (s *Service) LoadModel(ctx context.Context) error {
	mv, err := s.cfg.Store.CurrentModel(ctx, ModelKind)
	if rapport.ErrorCode(err) == rapport.ENOTFOUND {
		return nil
	} else if err != nil {
		return fmt.Errorf("load lead model: %w", err)
	}
	m, err := lead.LoadModel(mv.Body)
	if err != nil {
		return fmt.Errorf("load lead model version %d: %w", mv.Version, err)
	}
	s.estimator.Store(&estimatorBox{m})
	return nil
}

// Trained is a stored lead model and what it was trained on.
type Trained struct {
	Version   int       `json:"version"`
	Kind      string    `json:"kind"`
	Rows      int       `json:"rows"`
	Positives int       `json:"positives"`
	TestRows  int       `json:"testRows"`
	AUC       float64   `json:"auc"`
	Until     time.Time `json:"trainedOnLeadsBefore"`
}

// Train fits the conversion model on the leads whose outcome is known
// (received more than OutcomeWindow ago: converted or not by now),
// measures its AUC on a stratified 30% held out, stores it as the next
// version of the lead model and uses it from now on. kind is logistic or
// boosted.
func (s *Service) Train(ctx context.Context, kind string) (*Trained, error) {
	until := s.cfg.Clock.Now().Add(-s.cfg.OutcomeWindow)
	ls, err := s.leadsIn(ctx, time.Time{}, until, "")
	if err != nil {
		return nil, err
	}
	vendors, err := s.vendorMap(ctx)
	if err != nil {
		return nil, err
	}
	ex := make([]lead.Example, len(ls))
	for i := range ls {
		ex[i] = lead.Example{Lead: ls[i], Vendor: vendors[ls[i].VendorID], Converted: !ls[i].ConvertedAt.IsZero()}
	}
	m, err := lead.Train(ex, lead.TrainOptions{Kind: kind, Answers: s.cfg.Answers, TestShare: 0.3, Seed: 1})
	if err != nil {
		return nil, err
	}
	body, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("store lead model: %w", err)
	}
	mv, err := s.cfg.Store.PutModel(ctx, rapport.ModelVersion{Kind: ModelKind, Body: body, Source: "leads train"})
	if err != nil {
		return nil, fmt.Errorf("store lead model: %w", err)
	}
	s.estimator.Store(&estimatorBox{m})
	return &Trained{Version: mv.Version, Kind: m.Kind, Rows: m.Rows, Positives: m.Positives, TestRows: m.TestRows,
		AUC: m.AUC, Until: until}, nil
}

func (s *Service) vendorMap(ctx context.Context) (map[string]*rapport.Vendor, error) {
	vs, err := s.cfg.Store.FindVendors(ctx)
	if err != nil {
		return nil, fmt.Errorf("find vendors: %w", err)
	}
	m := make(map[string]*rapport.Vendor, len(vs))
	for _, v := range vs {
		m[v.ID] = v
	}
	return m, nil
}
