package conversion_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/conversion"
	"github.com/rapportdev/rapport/predict"
)

// models is a store of model versions that counts its reads.
type models struct {
	current *rapport.ModelVersion
	err     error
	reads   int
}

func (m *models) CurrentModel(context.Context, string) (*rapport.ModelVersion, error) {
	m.reads++
	if m.current == nil && m.err == nil {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "no conversion model stored")
	}
	return m.current, m.err
}

func TestLatest(t *testing.T) {
	ctx := context.Background()
	store := &models{}
	l := &conversion.Latest{Store: store}
	if conv, v, err := l.Model(ctx); conv != nil || v != 0 || err != nil {
		t.Fatalf("no model: %v, %d, %v", conv, v, err)
	}
	body, _ := json.Marshal(&predict.Conversion{Outcome: "Order Completed", AUC: 0.8})
	store.current = &rapport.ModelVersion{Kind: rapport.ModelConversion, Version: 3, Body: body}
	// Within Recheck the answer is the cached one: no second read.
	if conv, _, _ := l.Model(ctx); conv != nil || store.reads != 1 {
		t.Fatalf("within recheck: %v after %d reads", conv, store.reads)
	}
	fresh := &conversion.Latest{Store: store}
	conv, v, err := fresh.Model(ctx)
	if err != nil || v != 3 || conv.Outcome != "Order Completed" {
		t.Fatalf("stored model: %+v, %d, %v", conv, v, err)
	}
	store.err = errors.New("disk on fire")
	bad := &conversion.Latest{Store: store}
	if _, _, err := bad.Model(ctx); err == nil {
		t.Fatal("a store error was swallowed")
	}
	store.err, store.current = nil, &rapport.ModelVersion{Version: 4, Body: []byte("{")}
	if _, _, err := (&conversion.Latest{Store: store}).Model(ctx); err == nil {
		t.Fatal("a broken body was accepted")
	}
}
