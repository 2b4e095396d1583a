package dashboard

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/scoring"
)

// maxOrders bounds the orders a profile's page shows, newest first.
const maxOrders = 100

// profileView is the data of a profile's page.
type profileView struct {
	Profile    *rapport.Profile
	Name       string
	MergedFrom string
	Traits     []traitRow
	Score      *scoring.Result
	History    []scoring.Transition
	Chart      *chart
	Prediction *prediction
	Orders     []rapport.Order
	OrderCount int
	Merges     []rapport.Merge
	Segments   []memberOfRow
	Consents   []rapport.Consent
	Outcomes   []outcomeRow
	Events     []eventRow
	Pager      pager
}

// traitRow is one trait with the event time of its value.
type traitRow struct {
	Key   string
	Value any
	At    time.Time
}

// profile loads GET /profiles/{id}?events_page=: everything known about
// one profile. A profile merged into another redirects to the survivor.
func (h *Handler) profile(r *http.Request, _ *session) (any, error) {
	ctx, id := r.Context(), r.PathValue("id")
	q := r.URL.Query()
	pg, err := parsePaging(q, "events_page", eventsPerPage, false)
	if err != nil {
		return nil, err
	}
	p, err := h.findProfile(ctx, id)
	if err != nil {
		return nil, err
	}
	v := &profileView{Profile: p, Name: displayName(p), Traits: traitRows(p)}
	if v.MergedFrom, err = h.mergedFrom(ctx, q.Get("merged_from"), p.ID); err != nil {
		return nil, err
	}
	if err := h.loadScore(ctx, v); err != nil {
		return nil, err
	}
	if v.Prediction, err = h.predict(ctx, p); err != nil {
		return nil, err
	}
	if err := h.loadLedger(ctx, v); err != nil {
		return nil, err
	}
	if err := h.loadRelations(ctx, v); err != nil {
		return nil, err
	}
	if err := h.loadEvents(ctx, v, q, pg); err != nil {
		return nil, err
	}
	return v, nil
}

// findProfile returns the profile, a redirect to the profile it was
// merged into, or ENOTFOUND.
func (h *Handler) findProfile(ctx context.Context, id string) (*rapport.Profile, error) {
	p, err := h.cfg.Store.FindProfileByID(ctx, id)
	if rapport.ErrorCode(err) == rapport.ENOTFOUND {
		into, merr := rapport.FindSurvivor(ctx, h.cfg.Store, id)
		if merr != nil {
			return nil, merr
		}
		if into != "" {
			return nil, &redirect{to: "/profiles/" + url.PathEscape(into) + "?merged_from=" + url.QueryEscape(id)}
		}
		return nil, rapport.Errorf(rapport.ENOTFOUND, "There is no profile %s (it may have been erased).", id)
	}
	if err != nil {
		return nil, fmt.Errorf("find profile %s: %w", id, err)
	}
	return p, nil
}

// mergedFrom returns from when it names a profile merged into id, so the
// page says where the visitor came from; a link cannot make it claim a
// merge that did not happen.
func (h *Handler) mergedFrom(ctx context.Context, from, id string) (string, error) {
	if from == "" {
		return "", nil
	}
	into, err := rapport.FindSurvivor(ctx, h.cfg.Store, from)
	if err != nil || into != id {
		return "", err
	}
	return from, nil
}

// traitRows returns the traits sorted by key.
func traitRows(p *rapport.Profile) []traitRow {
	rows := make([]traitRow, 0, len(p.Traits))
	for k, v := range p.Traits {
		rows = append(rows, traitRow{Key: k, Value: v, At: p.TraitTimes[k]})
	}
	slices.SortFunc(rows, func(a, b traitRow) int { return cmp.Compare(a.Key, b.Key) })
	return rows
}

// loadScore adds the score, its lifecycle history (newest first) and the
// history's chart, when the profile has been scored.
func (h *Handler) loadScore(ctx context.Context, v *profileView) error {
	rec, err := h.cfg.Scores.FindScore(ctx, v.Profile.ID)
	if rapport.ErrorCode(err) == rapport.ENOTFOUND {
		return nil
	} else if err != nil {
		return fmt.Errorf("find score of %s: %w", v.Profile.ID, err)
	}
	res, err := decodeResult(rec)
	if err != nil {
		return err
	}
	st, err := decodeState(rec)
	if err != nil {
		return err
	}
	v.Score = &res
	v.History = slices.Clone(st.History)
	slices.Reverse(v.History)
	v.Chart = historyChart(st.History, res.Lifecycle.Stage, h.cfg.Clock.Now())
	return nil
}

// historyChart draws the stage over time: a step at each transition,
// held until now.
func historyChart(history []scoring.Transition, current scoring.Stage, now time.Time) *chart {
	if len(history) == 0 {
		return nil
	}
	c := &chart{Kind: "stages", Label: "Lifecycle stage", Stages: make([]string, len(scoring.Stages))}
	for i, s := range scoring.Stages {
		c.Stages[i] = label(string(s))
	}
	for _, t := range history {
		c.Points = append(c.Points, point{X: t.At.UnixMilli(), Y: slices.Index(scoring.Stages, t.To)})
	}
	if last := history[len(history)-1].At; now.After(last) {
		c.Points = append(c.Points, point{X: now.UnixMilli(), Y: slices.Index(scoring.Stages, current)})
	}
	return c
}

// loadLedger adds the newest orders and the merges.
func (h *Handler) loadLedger(ctx context.Context, v *profileView) error {
	id := v.Profile.ID
	orders, err := h.cfg.Store.FindOrders(ctx, id)
	if err != nil {
		return fmt.Errorf("find orders of %s: %w", id, err)
	}
	v.OrderCount = len(orders)
	slices.Reverse(orders)
	v.Orders = orders[:min(len(orders), maxOrders)]
	if v.Merges, err = h.cfg.Store.FindMerges(ctx, id); err != nil {
		return fmt.Errorf("find merges of %s: %w", id, err)
	}
	return nil
}
