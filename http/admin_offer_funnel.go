package http

import (
	"context"
	"encoding/csv"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/decide"
	"github.com/rapportdev/rapport/offer"
)

// offerFunnel answers GET /api/v1/offers/funnel?period=day|week&from=&to=
// &format=json|csv: the acquisition → activation → activity funnel per
// period, counted in the store (docs/offers.md#the-funnel).
func (s *Server) offerFunnel(w http.ResponseWriter, r *http.Request) {
	svc, err := s.offers()
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	req, err := funnelRequest(r)
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	s.serveReport(w, r, "offer-funnel", func(ctx context.Context) (csvReport, error) {
		f, err := svc.Funnel(ctx, req)
		return funnelCSV{f}, err
	})
}

// funnelRequest reads period, from and to.
func funnelRequest(r *http.Request) (decide.FunnelRequest, error) {
	q := r.URL.Query()
	req := decide.FunnelRequest{Period: q.Get("period")}
	var err error
	if req.From, err = dayOrTime(q.Get("from"), "from"); err != nil {
		return req, err
	}
	req.To, err = dayOrTime(q.Get("to"), "to")
	return req, err
}

// dayOrTime reads a date (2026-03-01, midnight UTC) or an RFC 3339 time;
// "" is the zero time.
func dayOrTime(v, name string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return t, rapport.Errorf(rapport.EINVALID, "%s: %q, want a date such as 2026-03-01 or an RFC 3339 time", name, v)
	}
	return t, nil
}

// funnelCSV writes a funnel as CSV: one row per period and stage.
type funnelCSV struct{ offer.Funnel }

// funnelHeader names the CSV's columns.
var funnelHeader = []string{"period_start", "period_end", "stage", "shown", "accepted", "entered",
	"next_stage", "advanced", "conversion", "conversion_low", "conversion_high"}

// WriteCSV implements csvReport.
func (f funnelCSV) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(funnelHeader); err != nil {
		return err
	}
	num := func(n int64) string { return strconv.FormatInt(n, 10) }
	rate := func(x float64) string { return strconv.FormatFloat(x, 'f', 4, 64) }
	for _, p := range f.Periods {
		for _, st := range p.Stages {
			row := []string{p.Start.Format(time.DateOnly), p.End.Format(time.DateOnly), st.Stage, num(st.Shown),
				num(st.Accepted), num(st.Entered), st.Next, "", "", "", ""}
			if st.Next != "" {
				row[7], row[8], row[9], row[10] = num(st.Advanced), rate(st.Conversion), rate(st.ConversionCI.Low), rate(st.ConversionCI.High)
			}
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
