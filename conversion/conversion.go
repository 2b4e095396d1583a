// Package conversion serves the newest conversion model that `rapport
// model train` stored, to the processes that show predictions (the admin
// API and the dashboard). The model is trained by another process, so the
// store is asked again at most every Recheck.
package conversion

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/predict"
)

// Recheck is how long a loaded model is used before the store is asked
// for a newer one.
const Recheck = 30 * time.Second

// Models is where trained models are stored (rapport.ModelStore).
type Models interface {
	CurrentModel(ctx context.Context, kind string) (*rapport.ModelVersion, error)
}

// Latest holds the newest stored conversion model. Its methods are safe
// for concurrent use.
type Latest struct {
	Store Models

	mu      sync.Mutex
	checked time.Time
	version int
	conv    *predict.Conversion
}

// Model returns the newest conversion model and its version, nil when
// none was trained.
func (l *Latest) Model(ctx context.Context) (*predict.Conversion, int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.checked.IsZero() && time.Since(l.checked) < Recheck {
		return l.conv, l.version, nil
	}
	v, err := l.Store.CurrentModel(ctx, rapport.ModelConversion)
	if rapport.ErrorCode(err) == rapport.ENOTFOUND {
		l.checked = time.Now()
		return nil, 0, nil
	} else if err != nil {
		return nil, 0, fmt.Errorf("find conversion model: %w", err)
	}
	if v.Version != l.version {
		var conv predict.Conversion
		if err := json.Unmarshal(v.Body, &conv); err != nil {
			return nil, 0, fmt.Errorf("load conversion model version %d: %w", v.Version, err)
		}
		l.conv, l.version = &conv, v.Version
	}
	l.checked = time.Now()
	return l.conv, l.version, nil
}
