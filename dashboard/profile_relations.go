package dashboard

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/rapportdev/rapport"
)

// maxProfileOutcomes bounds the offer outcomes a profile's page shows,
// newest first, over the profile and the profiles merged into it.
const maxProfileOutcomes = 50

// memberOfRow is a segment the profile belongs to.
type memberOfRow struct {
	ID   string
	Name string
	Kind string
}

// outcomeRow is an offer outcome with the offer's title, when the offer
// still exists.
type outcomeRow struct {
	rapport.Outcome
	Title string
	// Under is the merged-away profile the outcome was recorded for, when
	// it is not this one.
	Under string
}

// loadRelations adds the segments the profile belongs to, its consent
// records and the offers it was shown and how it answered them.
func (h *Handler) loadRelations(ctx context.Context, v *profileView) error {
	if err := h.loadSegments(ctx, v); err != nil {
		return err
	}
	v.Consents = consentRows(v.Profile)
	return h.loadOutcomes(ctx, v)
}

// loadSegments adds the segments, by name.
func (h *Handler) loadSegments(ctx context.Context, v *profileView) error {
	id := v.Profile.ID
	m, err := h.cfg.Store.FindMemberships(ctx, []string{id})
	if err != nil {
		return fmt.Errorf("find segments of %s: %w", id, err)
	}
	if len(m[id]) == 0 {
		return nil
	}
	byID, err := h.segmentsByID(ctx)
	if err != nil {
		return err
	}
	for _, sid := range m[id] {
		s := byID[sid]
		if s == nil {
			continue // deleted since the membership was read
		}
		v.Segments = append(v.Segments, memberOfRow{ID: s.ID, Name: cmp.Or(s.Name, s.ID), Kind: s.Kind})
	}
	slices.SortFunc(v.Segments, func(a, b memberOfRow) int { return cmp.Compare(a.Name, b.Name) })
	return nil
}

// consentRows returns the latest consent record per channel, by channel.
func consentRows(p *rapport.Profile) []rapport.Consent {
	rows := make([]rapport.Consent, 0, len(p.Consents))
	for _, ch := range slices.Sorted(maps.Keys(p.Consents)) {
		rows = append(rows, p.Consents[ch])
	}
	return rows
}

// loadOutcomes adds the newest offer outcomes of the profile and of the
// profiles merged into it: a person's answers given before a merge are
// still theirs.
func (h *Handler) loadOutcomes(ctx context.Context, v *profileView) error {
	ids := []string{v.Profile.ID}
	for _, m := range v.Merges {
		if m.Into == v.Profile.ID && !slices.Contains(ids, m.From) {
			ids = append(ids, m.From)
		}
	}
	var rows []outcomeRow
	for _, id := range ids {
		outs, err := h.cfg.Store.FindOutcomes(ctx, rapport.OutcomeFilter{ProfileID: id, Limit: maxProfileOutcomes})
		if err != nil {
			return fmt.Errorf("find offer outcomes of %s: %w", id, err)
		}
		for _, o := range outs {
			r := outcomeRow{Outcome: o}
			if id != v.Profile.ID {
				r.Under = id
			}
			rows = append(rows, r)
		}
	}
	slices.SortStableFunc(rows, func(a, b outcomeRow) int { return b.At.Compare(a.At) })
	rows = rows[:min(len(rows), maxProfileOutcomes)]
	titles := map[string]string{}
	for i := range rows {
		oid := rows[i].OfferID
		t, ok := titles[oid]
		if !ok {
			o, err := h.cfg.Store.FindOffer(ctx, oid)
			switch {
			case rapport.ErrorCode(err) == rapport.ENOTFOUND:
				t = "" // deleted offer: its outcomes stay for reports
			case err != nil:
				return fmt.Errorf("find offer %s: %w", oid, err)
			default:
				t = o.Title
			}
			titles[oid] = t
		}
		rows[i].Title = t
	}
	v.Outcomes = rows
	return nil
}
