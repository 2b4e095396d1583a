package dashboard

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/segment"
)

// previewSample is how many profiles the live count reads at most, as
// the admin API's preview does by default; above it the count is an
// estimate.
const previewSample = 20_000

// previewAnswer is the live count of an unsaved expression, or why it
// does not compile. A refused expression is an answer too (Valid false),
// not a failed request.
type previewAnswer struct {
	Valid   bool `json:"valid"`
	Matched int  `json:"matched"`
	Scanned int  `json:"scanned"`
	// Estimate is Matched scaled to every profile when the sample did not
	// cover them all (Exact false).
	Estimate int  `json:"estimate"`
	Exact    bool `json:"exact"`
	// Error says why the expression was refused; Problem, when it does
	// not compile, where (line, column, the line with a caret).
	Error   string                `json:"error,omitempty"`
	Problem *segment.CompileError `json:"problem,omitempty"`
}

// previewSegment answers POST /segments/preview (expression): the live
// count as JSON, for the editor's script.
func (h *Handler) previewSegment(w http.ResponseWriter, r *http.Request, s *session) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	a, err := h.preview(r.Context(), strings.ReplaceAll(r.PostForm.Get("expression"), "\r\n", "\n"))
	if err != nil {
		status := statusOf(err)
		if r.Context().Err() == nil && status == http.StatusInternalServerError {
			h.cfg.Logger.Error("dashboard: preview segment", "err", err)
		}
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": publicMessage(err)})
		return
	}
	_ = json.NewEncoder(w).Encode(a)
}

// publicMessage is err's message for people: a domain error's own, else a
// generic one, so internals never reach the page.
func publicMessage(err error) string {
	if statusOf(err) == http.StatusInternalServerError {
		return "Something went wrong on our side; the details are in the server's log."
	}
	return rapport.ErrorMessage(err)
}

// preview compiles expression and counts the profiles it matches among
// the first previewSample, scaling the count to every profile beyond.
func (h *Handler) preview(ctx context.Context, expression string) (*previewAnswer, error) {
	keeper, err := h.keeper()
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(expression) == "" {
		return &previewAnswer{Error: "Write an expression to see how many profiles it matches."}, nil
	}
	matched, scanned, err := keeper.Preview(ctx, expression, previewSample)
	var ce *segment.CompileError
	switch {
	case errors.As(err, &ce):
		return &previewAnswer{Error: ce.Message, Problem: ce}, nil
	case rapport.ErrorCode(err) == rapport.EINVALID:
		return &previewAnswer{Error: rapport.ErrorMessage(err)}, nil
	case err != nil:
		return nil, fmt.Errorf("preview segment: %w", err)
	}
	a := &previewAnswer{Valid: true, Matched: matched, Scanned: scanned, Estimate: matched, Exact: scanned < previewSample}
	if !a.Exact && scanned > 0 {
		_, total, err := h.cfg.Store.FindProfiles(ctx, rapport.ProfileFilter{Limit: 1})
		if err != nil {
			return nil, fmt.Errorf("count profiles: %w", err)
		}
		a.Estimate = int(float64(matched) * float64(total) / float64(scanned))
	}
	return a, nil
}
