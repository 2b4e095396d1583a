package http

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/economics"
	"github.com/rapportdev/rapport/report"
)

// csvReport is a report that can also be written as CSV.
type csvReport interface {
	WriteCSV(w io.Writer) error
}

// serveReport answers a GET /api/v1/reports/ request: the report build
// makes, as JSON, or as a CSV attachment with format=csv.
func (s *Server) serveReport(w http.ResponseWriter, r *http.Request, name string, build func(ctx context.Context) (csvReport, error)) {
	format := r.URL.Query().Get("format")
	if format != "" && format != "json" && format != "csv" {
		s.adminError(w, r, rapport.Errorf(rapport.EINVALID, "format: %q, want json or csv", format))
		return
	}
	rep, err := build(r.Context())
	if err != nil {
		s.adminError(w, r, fmt.Errorf("%s report: %w", name, err))
		return
	}
	if format != "csv" {
		writeJSON(w, http.StatusOK, rep)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="rapport-%s.csv"`, name))
	if err := rep.WriteCSV(w); err != nil {
		// The status is sent: the client sees a short file.
		s.cfg.Logger.Error("write report", "report", name, "err", err)
	}
}

// economicsOptions are the costs and horizon the economics reports use:
// rapport.yaml's economics section, else the documented defaults.
func (s *Server) economicsOptions() economics.Options {
	if s.cfg.Economics != nil {
		return *s.cfg.Economics
	}
	return economics.Defaults()
}

// segmentsReport answers GET /api/v1/reports/segments: every segment's
// size.
func (s *Server) segmentsReport(w http.ResponseWriter, r *http.Request) {
	s.serveReport(w, r, "segments", func(ctx context.Context) (csvReport, error) {
		return report.SegmentSizes(ctx, s.cfg.Store, s.cfg.Clock.Now())
	})
}

// economicsReport answers GET /api/v1/reports/economics: the economics of
// all customers and of each segment, with the fitted models.
func (s *Server) economicsReport(w http.ResponseWriter, r *http.Request) {
	s.serveReport(w, r, "economics", func(ctx context.Context) (csvReport, error) {
		return report.Economics(ctx, s.cfg.Store, s.economicsOptions(), s.cfg.Clock.Now())
	})
}

// personasReport answers GET /api/v1/reports/personas: the persona cards
// of the discovered buckets.
func (s *Server) personasReport(w http.ResponseWriter, r *http.Request) {
	s.serveReport(w, r, "personas", func(ctx context.Context) (csvReport, error) {
		return report.Personas(ctx, s.cfg.Store, s.cfg.Clock.Now())
	})
}

// rfmReport answers GET /api/v1/reports/rfm: customers and revenue by
// recency and frequency score, and by RFM group.
func (s *Server) rfmReport(w http.ResponseWriter, r *http.Request) {
	s.serveReport(w, r, "rfm", func(ctx context.Context) (csvReport, error) {
		return report.RFM(ctx, s.cfg.Store, s.cfg.Clock.Now())
	})
}

// defaultServeFirstLimit is how many customers serve-first lists unless
// told otherwise.
const defaultServeFirstLimit = 100

// serveFirstReport answers GET /api/v1/reports/serve-first?limit=N: the
// first N customers to serve (default 100, 0 for all).
func (s *Server) serveFirstReport(w http.ResponseWriter, r *http.Request) {
	limit := defaultServeFirstLimit
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			s.adminError(w, r, rapport.Errorf(rapport.EINVALID, "limit: %q, want a count of 0 (all) or more", v))
			return
		}
		limit = n
	}
	s.serveReport(w, r, "serve-first", func(ctx context.Context) (csvReport, error) {
		return report.ServeFirst(ctx, s.cfg.Store, s.economicsOptions(), s.cfg.Clock.Now(), limit)
	})
}
