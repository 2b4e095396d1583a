package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/storecodec"
)

const profileColumns = `id, kind, traits, trait_times, group_ids, aggregates, consents, created_at, updated_at`

// FindProfileByID returns the profile with its identities, or ENOTFOUND.
func (s *Store) FindProfileByID(ctx context.Context, id string) (*rapport.Profile, error) {
	row := s.pool.QueryRow(ctx, `SELECT `+profileColumns+` FROM profiles WHERE id = $1`, text(id))
	p, err := scanProfile(row)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "profile %s not found", id)
	} else if err != nil {
		return nil, fmt.Errorf("find profile %s: %w", id, err)
	}
	if err := s.attachIdentities(ctx, []*rapport.Profile{p}); err != nil {
		return nil, err
	}
	return p, nil
}

// FindProfileIDByIdentity returns the id of the profile holding the
// identity, or ENOTFOUND.
func (s *Store) FindProfileIDByIdentity(ctx context.Context, id rapport.Identity) (string, error) {
	var profileID string
	err := s.pool.QueryRow(ctx, `SELECT profile_id FROM identities WHERE kind = $1 AND value = $2`,
		text(string(id.Kind)), text(id.Value)).Scan(&profileID)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", rapport.Errorf(rapport.ENOTFOUND, "identity %s not found", id)
	} else if err != nil {
		return "", fmt.Errorf("find identity %s: %w", id, err)
	}
	return profileID, nil
}

// profileFilterSQL matches ProfileFilter; ->> takes the key as a bound
// parameter, so no key can change the query.
const profileFilterSQL = ` FROM profiles WHERE ($1 = '' OR kind = $1)
	AND ($2 = '' OR traits ->> $2::text = $3)`

// countProfiles counts the profiles matching filter (args are the
// filter's three parameters), with a plain count when a filter is unused:
// a generic plan of the full filter cannot use the kind index.
func (s *Store) countProfiles(ctx context.Context, filter rapport.ProfileFilter, args []any) (int, error) {
	q := `SELECT count(*)` + profileFilterSQL
	switch {
	case filter.TraitKey != "":
	case filter.Kind != "":
		q, args = `SELECT count(*) FROM profiles WHERE kind = $1`, args[:1]
	default:
		q, args = `SELECT count(*) FROM profiles`, nil
	}
	var total int
	if err := s.pool.QueryRow(ctx, q, args...).Scan(&total); err != nil {
		return 0, fmt.Errorf("count profiles: %w", err)
	}
	return total, nil
}

// FindProfiles returns a page of the profiles matching filter, ordered by
// id, and how many match in all.
func (s *Store) FindProfiles(ctx context.Context, filter rapport.ProfileFilter) ([]*rapport.Profile, int, error) {
	args := []any{text(string(filter.Kind)), text(filter.TraitKey), text(filter.TraitValue)}
	total, err := s.countProfiles(ctx, filter, args)
	if err != nil {
		return nil, 0, err
	}
	rows, _ := s.pool.Query(ctx, `SELECT `+profileColumns+profileFilterSQL+` ORDER BY id LIMIT $4 OFFSET $5`,
		append(args, storecodec.PageLimit(filter.Limit), max(filter.Offset, 0))...)
	profiles, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*rapport.Profile, error) {
		return scanProfile(row)
	})
	if err != nil {
		return nil, 0, fmt.Errorf("find profiles: %w", err)
	}
	if err := s.attachIdentities(ctx, profiles); err != nil {
		return nil, 0, err
	}
	return profiles, total, nil
}

// attachIdentities fills the Identities of each profile, sorted by kind
// then value.
func (s *Store) attachIdentities(ctx context.Context, profiles []*rapport.Profile) error {
	if len(profiles) == 0 {
		return nil
	}
	byID := make(map[string]*rapport.Profile, len(profiles))
	ids := make([]string, len(profiles))
	for i, p := range profiles {
		byID[p.ID] = p
		p.Identities = []rapport.Identity{}
		ids[i] = p.ID
	}
	rows, _ := s.pool.Query(ctx, `SELECT profile_id, kind, value FROM identities
		WHERE profile_id = ANY($1) ORDER BY profile_id, kind, value`, ids)
	var profileID string
	var id rapport.Identity
	_, err := pgx.ForEachRow(rows, []any{&profileID, &id.Kind, &id.Value}, func() error {
		p := byID[profileID]
		p.Identities = append(p.Identities, id)
		return nil
	})
	if err != nil {
		return fmt.Errorf("find identities: %w", err)
	}
	return nil
}

// scanProfile reads one row of profileColumns.
func scanProfile(row pgx.Row) (*rapport.Profile, error) {
	var p rapport.Profile
	var r storecodec.ProfileRow
	if err := row.Scan(&p.ID, &p.Kind, &r.Traits, &r.TraitTimes, &r.Groups, &r.Aggregates,
		&r.Consents, &r.CreatedAt, &r.UpdatedAt); err != nil {
		return nil, err
	}
	if err := storecodec.DecodeProfile(&p, r); err != nil {
		return nil, err
	}
	return &p, nil
}

// FindProfileIDsByIdentities returns the owners of the identities that
// some profile holds, in one query. Values are sanitised as they were
// when stored (see text), and mapped back to what the caller asked for.
func (s *Store) FindProfileIDsByIdentities(ctx context.Context, ids []rapport.Identity) (map[rapport.Identity]string, error) {
	owners := make(map[rapport.Identity]string, len(ids))
	if len(ids) == 0 {
		return owners, nil
	}
	// Two asked values can sanitise to one stored value; both get its owner.
	asked := make(map[rapport.Identity][]rapport.Identity, len(ids))
	kinds, values := make([]string, len(ids)), make([]string, len(ids))
	for i, id := range ids {
		kinds[i], values[i] = text(string(id.Kind)), text(id.Value)
		stored := rapport.Identity{Kind: rapport.IdentityKind(kinds[i]), Value: values[i]}
		asked[stored] = append(asked[stored], id)
	}
	rows, err := s.pool.Query(ctx, `SELECT i.kind, i.value, i.profile_id FROM identities i
		JOIN unnest($1::text[], $2::text[]) AS q(kind, value) ON i.kind = q.kind AND i.value = q.value`, kinds, values)
	if err != nil {
		return nil, fmt.Errorf("find identities: %w", err)
	}
	var kind, value, profileID string
	_, err = pgx.ForEachRow(rows, []any{&kind, &value, &profileID}, func() error {
		for _, id := range asked[rapport.Identity{Kind: rapport.IdentityKind(kind), Value: value}] {
			owners[id] = profileID
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find identities: %w", err)
	}
	return owners, nil
}
