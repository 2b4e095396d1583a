package dashboard

import (
	"context"
	"time"

	"github.com/rapportdev/rapport/report"
)

// The economics table, the serve-first ranking, the RFM grid and the
// segments' mixes read every profile (six passes in all), far too slow
// for a page with many profiles. So they are computed together in the
// background (a refresher) at most once per reportsTTL, or sooner once a
// membership pass has ended, and pages show the latest result with its
// time.
const reportsTTL = 60 * time.Second

// serveFirstShown is how many customers of the serve-first ranking the
// economics page lists.
const serveFirstShown = 25

// reports are the figures the economics page and the segments' mixes
// show, as of At.
type reports struct {
	At   time.Time
	Took time.Duration

	Economics  *report.EconomicsReport
	ServeFirst *report.ServeFirstReport
	// Names are the names of the profiles in ServeFirst.
	Names map[string]string
	RFM   *report.RFMReport
	// Mixes are by segment id; a segment without customers has none.
	Mixes map[string]*mix
}

// latestReports returns the latest reports, nil before the first are
// made. Reports started before the latest membership pass ended may count
// members the pass has since changed: then new ones are due now.
func (h *Handler) latestReports(ctx context.Context) *reports {
	if h.cfg.Segments != nil {
		if st := h.cfg.Segments.Status(); !st.Running && !st.FinishedAt.IsZero() {
			h.reports.expireBefore(st.FinishedAt)
		}
	}
	return h.reports.get(ctx, h.cfg.PageWait)
}

// computeReports builds every report, for the refresher.
func (h *Handler) computeReports(ctx context.Context) (*reports, error) {
	start := time.Now()
	now := h.cfg.Clock.Now()
	r := &reports{At: now, Names: map[string]string{}}
	var err error
	if r.Economics, err = report.Economics(ctx, h.cfg.Store, h.econ, now); err != nil {
		return nil, err
	}
	if r.ServeFirst, err = report.ServeFirst(ctx, h.cfg.Store, h.econ, now, serveFirstShown); err != nil {
		return nil, err
	}
	if r.RFM, err = report.RFM(ctx, h.cfg.Store, now); err != nil {
		return nil, err
	}
	if r.Mixes, err = h.segmentMixes(ctx); err != nil {
		return nil, err
	}
	for _, x := range r.ServeFirst.Ranking {
		p, err := h.lookupProfile(ctx, x.ProfileID)
		if err != nil {
			return nil, err
		}
		if p != nil {
			r.Names[x.ProfileID] = displayName(p)
		}
	}
	r.Took = time.Since(start)
	return r, nil
}
