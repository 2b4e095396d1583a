package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/storecodec"
)

// trimSQL rolls up, then deletes, everything of offers recorded before $1;
// the first statement's counts add to a day already rolled up, so a chunk
// that ends within a day (or a trim run twice) loses nothing.
var trimSQL = []string{
	`INSERT INTO offer_daily (day, offer_id, arm, control, type, n, revenue)
		SELECT at / $2::bigint * $2::bigint, offer_id, arm, control, type, count(*), sum(revenue)
		FROM offer_outcomes WHERE at < $1 GROUP BY 1, 2, 3, 4, 5
		ON CONFLICT (day, offer_id, arm, control, type) DO UPDATE
		SET n = offer_daily.n + excluded.n, revenue = offer_daily.revenue + excluded.revenue`,
	`DELETE FROM offer_pending WHERE (decision_id, offer_id) IN
		(SELECT decision_id, offer_id FROM offer_outcomes WHERE at < $1 AND type = 'shown')`,
	`DELETE FROM offer_outcomes WHERE at < $1`,
	`DELETE FROM offer_decisions WHERE at < $1`,
}

// TrimOffers rolls up and deletes the decisions and outcomes recorded
// before `before`, an hour of records per transaction.
func (s *Store) TrimOffers(ctx context.Context, before time.Time) (rapport.OfferTrim, error) {
	var trim rapport.OfferTrim
	end := storecodec.Nanos(before)
	for {
		var oldest *int64
		err := s.pool.QueryRow(ctx, `SELECT min(at) FROM (SELECT min(at) AS at FROM offer_outcomes
			UNION ALL SELECT min(at) FROM offer_decisions) AS m`).Scan(&oldest)
		if err != nil {
			return trim, fmt.Errorf("trim offers: %w", err)
		}
		if oldest == nil || *oldest >= end {
			return trim, nil
		}
		if err := s.trimChunk(ctx, storecodec.TrimEnd(*oldest, end), &trim); err != nil {
			return trim, err
		}
	}
}

// trimChunk rolls up and deletes what was recorded before end, in one
// transaction.
func (s *Store) trimChunk(ctx context.Context, end int64, trim *rapport.OfferTrim) error {
	var chunk rapport.OfferTrim
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		chunk = rapport.OfferTrim{}
		for i, q := range trimSQL {
			args := []any{end}
			if i == 0 {
				args = append(args, storecodec.Day)
			}
			tag, err := tx.Exec(ctx, q, args...)
			if err != nil {
				return err
			}
			switch i {
			case 2:
				chunk.Outcomes = tag.RowsAffected()
			case 3:
				chunk.Decisions = tag.RowsAffected()
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("trim offers before %d: %w", end, err)
	}
	trim.Outcomes += chunk.Outcomes
	trim.Decisions += chunk.Decisions
	return nil
}
