package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/storecodec"
)

// trimSQL rolls up, then deletes, everything of offers recorded before ?1;
// the first statement's counts add to a day already rolled up, so a chunk
// that ends within a day (or a trim run twice) loses nothing.
var trimSQL = []string{
	`INSERT INTO offer_daily (day, offer_id, arm, control, type, n, revenue)
		SELECT at / ?2 * ?2, offer_id, arm, control, type, count(*), sum(revenue)
		FROM offer_outcomes WHERE at < ?1 GROUP BY 1, 2, 3, 4, 5
		ON CONFLICT (day, offer_id, arm, control, type) DO UPDATE
		SET n = offer_daily.n + excluded.n, revenue = offer_daily.revenue + excluded.revenue`,
	`DELETE FROM offer_pending WHERE (decision_id, offer_id) IN
		(SELECT decision_id, offer_id FROM offer_outcomes WHERE at < ?1 AND type = 'shown')`,
	`DELETE FROM offer_outcomes WHERE at < ?1`,
	`DELETE FROM offer_decisions WHERE at < ?1`,
}

// TrimOffers rolls up and deletes the decisions and outcomes recorded
// before `before`, an hour of records per transaction.
func (s *Store) TrimOffers(ctx context.Context, before time.Time) (rapport.OfferTrim, error) {
	var trim rapport.OfferTrim
	end := storecodec.Nanos(before)
	for {
		var oldest sql.NullInt64
		err := s.read.QueryRowContext(ctx, `SELECT min(at) FROM (SELECT min(at) AS at FROM offer_outcomes
			UNION ALL SELECT min(at) FROM offer_decisions)`).Scan(&oldest)
		if err != nil {
			return trim, fmt.Errorf("trim offers: %w", err)
		}
		if !oldest.Valid || oldest.Int64 >= end {
			return trim, nil
		}
		if err := s.trimChunk(ctx, storecodec.TrimEnd(oldest.Int64, end), &trim); err != nil {
			return trim, err
		}
	}
}

// trimChunk rolls up and deletes what was recorded before end, in one
// transaction.
func (s *Store) trimChunk(ctx context.Context, end int64, trim *rapport.OfferTrim) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("trim offers: %w", err)
	}
	defer tx.Rollback()
	for i, q := range trimSQL {
		args := []any{end}
		if i == 0 {
			args = append(args, storecodec.Day)
		}
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("trim offers before %d: %w", end, err)
		}
		n, _ := res.RowsAffected()
		switch i {
		case 2:
			trim.Outcomes += n
		case 3:
			trim.Decisions += n
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("trim offers: commit: %w", err)
	}
	return nil
}
