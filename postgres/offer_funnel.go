package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/storecodec"
)

// funnelSQL counts the funnel in one statement, so both halves read the
// same snapshot. $1 and $2 are the offer ids and their stage indexes, $3
// the periods' origin and $4 their length (nanoseconds), $5 and $6 the
// range. The first half counts distinct people shown and accepting per
// period; the second finds each person's first accept per stage (before
// the range's end, from every outcome kept) and counts the entries in the
// range with those who entered the next stage at or after.
const funnelSQL = `WITH stage_of AS (SELECT * FROM unnest($1::text[], $2::int[]) AS t(offer_id, stage)),
firsts AS (
	SELECT o.profile_id, s.stage, min(o.at) AS at
	FROM offer_outcomes o JOIN stage_of s ON s.offer_id = o.offer_id
	WHERE o.type = 'accepted' AND o.at < $6 AND o.profile_id <> ''
	GROUP BY o.profile_id, s.stage)
SELECT (o.at - $3::bigint) / $4::bigint, s.stage, o.type, count(DISTINCT o.profile_id), 0::bigint
	FROM offer_outcomes o JOIN stage_of s ON s.offer_id = o.offer_id
	WHERE o.at >= $5 AND o.at < $6 AND o.type IN ('shown', 'accepted') AND o.profile_id <> ''
	GROUP BY 1, 2, 3
UNION ALL
SELECT (a.at - $3::bigint) / $4::bigint, a.stage, 'entered', count(*), count(b.profile_id)
	FROM firsts a LEFT JOIN firsts b ON b.profile_id = a.profile_id AND b.stage = a.stage + 1 AND b.at >= a.at
	WHERE a.at >= $5
	GROUP BY 1, 2
ORDER BY 1, 2`

// FindOfferFunnel counts people per period and stage.
func (s *Store) FindOfferFunnel(ctx context.Context, q rapport.FunnelQuery) ([]rapport.FunnelCount, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	var ids []string
	var stages []int32
	for id, st := range q.Stages {
		ids, stages = append(ids, text(id)), append(stages, int32(rapport.StageIndex(st)))
	}
	if len(ids) == 0 {
		return []rapport.FunnelCount{}, nil
	}
	rows, _ := s.pool.Query(ctx, funnelSQL, ids, stages, storecodec.Nanos(q.Origin), int64(q.Length),
		storecodec.Nanos(q.From), storecodec.Nanos(q.To))
	var b storecodec.FunnelBuilder
	var k, n, advanced int64
	var stage int32
	var kind string
	_, err := pgx.ForEachRow(rows, []any{&k, &stage, &kind, &n, &advanced}, func() error {
		b.Add(q, k, int(stage), kind, n, advanced)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find offer funnel: %w", err)
	}
	return b.Counts(), nil
}
