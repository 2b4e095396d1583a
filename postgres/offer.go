package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/storecodec"
)

// outcomeColumns are the columns scanOutcome reads, in order.
const outcomeColumns = `decision_id, offer_id, type, profile_id, channel, arm, control, revenue, at, due`

// PutOffer creates or replaces the offer.
func (s *Store) PutOffer(ctx context.Context, o *rapport.Offer) error {
	if err := o.Validate(); err != nil {
		return err
	}
	return s.putBody(ctx, "offers", o.ID, o, o.CreatedAt, o.UpdatedAt)
}

// FindOffer returns the offer or ENOTFOUND.
func (s *Store) FindOffer(ctx context.Context, id string) (*rapport.Offer, error) {
	var body string
	err := s.pool.QueryRow(ctx, `SELECT body FROM offers WHERE id = $1`, text(id)).Scan(&body)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "offer %s not found", id)
	} else if err != nil {
		return nil, fmt.Errorf("find offer %s: %w", id, err)
	}
	var o rapport.Offer
	if err := json.Unmarshal([]byte(body), &o); err != nil {
		return nil, fmt.Errorf("decode offer %s: %w", id, err)
	}
	return &o, nil
}

// FindOffers returns every offer, by id.
func (s *Store) FindOffers(ctx context.Context) ([]*rapport.Offer, error) {
	return findBodies[rapport.Offer](ctx, s, "offers")
}

// DeleteOffer removes the offer; its decisions and outcomes stay.
func (s *Store) DeleteOffer(ctx context.Context, id string) error {
	return s.deleteBody(ctx, "offers", "offer", id)
}

// PutTrigger creates or replaces the trigger.
func (s *Store) PutTrigger(ctx context.Context, t *rapport.Trigger) error {
	if err := t.Validate(); err != nil {
		return err
	}
	return s.putBody(ctx, "offer_triggers", t.ID, t, t.CreatedAt, t.UpdatedAt)
}

// FindTriggers returns every trigger, by id.
func (s *Store) FindTriggers(ctx context.Context) ([]*rapport.Trigger, error) {
	return findBodies[rapport.Trigger](ctx, s, "offer_triggers")
}

// DeleteTrigger removes the trigger.
func (s *Store) DeleteTrigger(ctx context.Context, id string) error {
	return s.deleteBody(ctx, "offer_triggers", "trigger", id)
}

// putBody upserts a row of a table of JSON bodies (offers, triggers); the
// creation time of a row already there is kept. Encoded JSON is valid
// UTF-8 and escapes NUL, so the text column takes it as it is.
func (s *Store) putBody(ctx context.Context, table, id string, v any, created, updated time.Time) error {
	body, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s %s: %w", table, id, err)
	}
	_, err = s.pool.Exec(ctx, `INSERT INTO `+table+` (id, body, created_at, updated_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`,
		text(id), string(body), storecodec.Nanos(created), storecodec.Nanos(updated))
	if err != nil {
		return fmt.Errorf("put %s %s: %w", table, id, err)
	}
	return nil
}

// findBodies decodes every row of a table of JSON bodies, by id.
func findBodies[T any](ctx context.Context, s *Store, table string) ([]*T, error) {
	rows, _ := s.pool.Query(ctx, `SELECT id, body FROM `+table+` ORDER BY id COLLATE "C"`)
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*T, error) {
		var id, body string
		if err := row.Scan(&id, &body); err != nil {
			return nil, err
		}
		v := new(T)
		if err := json.Unmarshal([]byte(body), v); err != nil {
			return nil, fmt.Errorf("decode %s: %w", id, err)
		}
		return v, nil
	})
	if err != nil {
		return nil, fmt.Errorf("find %s: %w", table, err)
	}
	return out, nil
}

// deleteBody deletes a row of a table of JSON bodies, or ENOTFOUND.
func (s *Store) deleteBody(ctx context.Context, table, noun, id string) error {
	tag, err := s.pool.Exec(ctx, `DELETE FROM `+table+` WHERE id = $1`, text(id))
	if err != nil {
		return fmt.Errorf("delete %s %s: %w", noun, id, err)
	}
	if tag.RowsAffected() == 0 {
		return rapport.Errorf(rapport.ENOTFOUND, "%s %s not found", noun, id)
	}
	return nil
}

// CreateDecisions stores decisions in one transaction, leaving those
// already stored as they are.
func (s *Store) CreateDecisions(ctx context.Context, decisions []*rapport.Decision) error {
	if len(decisions) == 0 {
		return nil
	}
	b := &pgx.Batch{}
	for _, d := range decisions {
		if d.ID == "" {
			return rapport.Errorf(rapport.EINVALID, "decision needs an id")
		}
		body, err := json.Marshal(d)
		if err != nil {
			return fmt.Errorf("encode decision %s: %w", d.ID, err)
		}
		b.Queue(`INSERT INTO offer_decisions (id, profile_id, at, body) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING`,
			text(d.ID), text(d.ProfileID), storecodec.Nanos(d.At), string(body))
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error { return tx.SendBatch(ctx, b).Close() })
	if err != nil {
		return fmt.Errorf("create decisions: %w", err)
	}
	return nil
}

// FindDecision returns the decision or ENOTFOUND.
func (s *Store) FindDecision(ctx context.Context, id string) (*rapport.Decision, error) {
	var body string
	err := s.pool.QueryRow(ctx, `SELECT body FROM offer_decisions WHERE id = $1`, text(id)).Scan(&body)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "decision %s not found", id)
	} else if err != nil {
		return nil, fmt.Errorf("find decision %s: %w", id, err)
	}
	var d rapport.Decision
	if err := json.Unmarshal([]byte(body), &d); err != nil {
		return nil, fmt.Errorf("decode decision %s: %w", id, err)
	}
	return &d, nil
}

// RecordOutcomes stores the outcomes not stored yet, in one transaction,
// keeps a new shown outcome pending until it is answered, and returns the
// new ones.
func (s *Store) RecordOutcomes(ctx context.Context, outcomes []rapport.Outcome) ([]rapport.Outcome, error) {
	for i := range outcomes {
		if err := outcomes[i].Validate(); err != nil {
			return nil, err
		}
	}
	var added []rapport.Outcome
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		added = added[:0]
		for _, o := range outcomes {
			tag, err := tx.Exec(ctx, `INSERT INTO offer_outcomes (`+outcomeColumns+`)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (decision_id, offer_id, type) DO NOTHING`,
				text(o.DecisionID), text(o.OfferID), o.Type, text(o.ProfileID), text(o.Channel), text(o.Arm), o.Control,
				o.Revenue, storecodec.Nanos(o.At), storecodec.NullNanos(o.Due))
			if err != nil {
				return fmt.Errorf("record outcome %s of %s: %w", o.Type, o.DecisionID, err)
			}
			if tag.RowsAffected() == 0 {
				continue
			}
			if err := pend(ctx, tx, o); err != nil {
				return err
			}
			added = append(added, o)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("record outcomes: %w", err)
	}
	return added, nil
}

// pend keeps a new shown outcome waiting for an answer (unless one came
// first), or lets an answer end the wait.
func pend(ctx context.Context, tx pgx.Tx, o rapport.Outcome) error {
	var err error
	switch {
	case o.Answers():
		_, err = tx.Exec(ctx, `DELETE FROM offer_pending WHERE decision_id = $1 AND offer_id = $2`, text(o.DecisionID), text(o.OfferID))
	case !o.Due.IsZero():
		_, err = tx.Exec(ctx, `INSERT INTO offer_pending (decision_id, offer_id, due)
			SELECT $1, $2, $3 WHERE NOT EXISTS (SELECT 1 FROM offer_outcomes
				WHERE decision_id = $1 AND offer_id = $2 AND type <> 'shown')
			ON CONFLICT DO NOTHING`, text(o.DecisionID), text(o.OfferID), storecodec.Nanos(o.Due))
	}
	if err != nil {
		return fmt.Errorf("pending outcome of %s: %w", o.DecisionID, err)
	}
	return nil
}

// FindOutcomes returns a person's outcomes, newest first.
func (s *Store) FindOutcomes(ctx context.Context, f rapport.OutcomeFilter) ([]rapport.Outcome, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 1000
	}
	rows, _ := s.pool.Query(ctx, `SELECT `+outcomeColumns+` FROM offer_outcomes
		WHERE profile_id = $1 AND at >= $2 ORDER BY at DESC, id DESC LIMIT $3`,
		text(f.ProfileID), storecodec.Nanos(f.Since), limit)
	out, err := pgx.CollectRows(rows, scanOutcome)
	if err != nil {
		return nil, fmt.Errorf("find outcomes of %s: %w", f.ProfileID, err)
	}
	return out, nil
}

// FindUnanswered returns the shown outcomes due by now without an answer.
func (s *Store) FindUnanswered(ctx context.Context, now time.Time, limit int) ([]rapport.Outcome, error) {
	rows, _ := s.pool.Query(ctx, `SELECT o.decision_id, o.offer_id, o.type, o.profile_id, o.channel, o.arm,
			o.control, o.revenue, o.at, o.due
		FROM offer_pending p JOIN offer_outcomes o
			ON o.decision_id = p.decision_id AND o.offer_id = p.offer_id AND o.type = 'shown'
		WHERE p.due <= $1 ORDER BY p.due, p.decision_id COLLATE "C", p.offer_id COLLATE "C" LIMIT $2`,
		storecodec.Nanos(now), limit)
	out, err := pgx.CollectRows(rows, scanOutcome)
	if err != nil {
		return nil, fmt.Errorf("find unanswered outcomes: %w", err)
	}
	return out, nil
}

func scanOutcome(row pgx.CollectableRow) (rapport.Outcome, error) {
	var o rapport.Outcome
	var at int64
	var due *int64
	if err := row.Scan(&o.DecisionID, &o.OfferID, &o.Type, &o.ProfileID, &o.Channel, &o.Arm, &o.Control,
		&o.Revenue, &at, &due); err != nil {
		return o, err
	}
	o.At, o.Due = storecodec.FromNanos(&at), storecodec.FromNanos(due)
	return o, nil
}

// FindOfferStats counts outcomes since a time by offer, arm and group.
func (s *Store) FindOfferStats(ctx context.Context, since time.Time) ([]rapport.OfferStats, error) {
	// Outcomes rolled up by TrimOffers count by their day.
	rows, _ := s.pool.Query(ctx, `SELECT offer_id, arm, control, type, sum(n)::bigint, sum(revenue) FROM (
			SELECT offer_id, arm, control, type, count(*) AS n, sum(revenue) AS revenue
			FROM offer_outcomes WHERE at >= $1 GROUP BY offer_id, arm, control, type
			UNION ALL
			SELECT offer_id, arm, control, type, n, revenue FROM offer_daily WHERE day >= $1) AS u
		GROUP BY offer_id, arm, control, type
		ORDER BY offer_id COLLATE "C", arm COLLATE "C", control`, storecodec.Nanos(since))
	var out []rapport.OfferStats
	var r rapport.OfferStats
	var typ string
	var n int64
	var revenue float64
	_, err := pgx.ForEachRow(rows, []any{&r.OfferID, &r.Arm, &r.Control, &typ, &n, &revenue}, func() error {
		out = addStats(out, r, typ, n, revenue)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find offer stats: %w", err)
	}
	return out, nil
}

// addStats adds the count of one outcome type to stats, whose rows come
// ordered by offer, arm and group: a row of the last group extends it.
func addStats(stats []rapport.OfferStats, r rapport.OfferStats, typ string, n int64, revenue float64) []rapport.OfferStats {
	if k := len(stats) - 1; k < 0 || stats[k].OfferID != r.OfferID || stats[k].Arm != r.Arm || stats[k].Control != r.Control {
		r.Counts = map[string]int64{}
		stats = append(stats, r)
	}
	last := &stats[len(stats)-1]
	last.Counts[typ] += n
	last.Revenue += revenue
	return stats
}
