package storecodec

import (
	"fmt"
	json "github.com/goccy/go-json"
	"time"

	"github.com/rapportdev/rapport"
)

// ProfileRow holds a profile's stored columns other than its id and kind:
// the JSON of its traits, trait times, groups, aggregates and consents,
// and its times as unix nanoseconds (nil for NULL).
type ProfileRow struct {
	Traits, TraitTimes, Groups, Aggregates, Consents []byte
	CreatedAt, UpdatedAt                             *int64
}

// EncodeProfile returns p's stored columns, with every time in UTC.
func EncodeProfile(p *rapport.Profile) (ProfileRow, error) {
	out := ProfileRow{CreatedAt: NullNanos(p.CreatedAt), UpdatedAt: NullNanos(p.UpdatedAt)}
	var times map[string]time.Time
	if p.TraitTimes != nil {
		times = make(map[string]time.Time, len(p.TraitTimes))
		for k, t := range p.TraitTimes {
			times[k] = t.UTC()
		}
	}
	agg := p.Aggregates
	agg.FirstSeen, agg.LastSeen = agg.FirstSeen.UTC(), agg.LastSeen.UTC()
	agg.FirstOrderAt, agg.LastOrderAt = agg.FirstOrderAt.UTC(), agg.LastOrderAt.UTC()
	for _, f := range []struct {
		src any
		dst *[]byte
	}{{p.Traits, &out.Traits}, {times, &out.TraitTimes}, {p.Groups, &out.Groups}, {agg, &out.Aggregates},
		{consentsUTC(p.Consents), &out.Consents}} {
		b, err := json.Marshal(f.src)
		if err != nil {
			return out, fmt.Errorf("encode profile %s: %w", p.ID, err)
		}
		*f.dst = b
	}
	return out, nil
}

// DecodeProfile fills p, whose ID is set already, from its stored
// columns, with its times in UTC.
func DecodeProfile(p *rapport.Profile, r ProfileRow) error {
	for _, f := range []struct {
		data []byte
		dst  any
	}{{r.Traits, &p.Traits}, {r.TraitTimes, &p.TraitTimes}, {r.Groups, &p.Groups}, {r.Aggregates, &p.Aggregates},
		{r.Consents, &p.Consents}} {
		if len(f.data) == 0 {
			continue
		}
		if err := json.Unmarshal(f.data, f.dst); err != nil {
			return fmt.Errorf("decode profile %s: %w", p.ID, err)
		}
	}
	if len(p.Consents) == 0 {
		p.Consents = nil // stored as {}: a profile without consents
	}
	p.CreatedAt, p.UpdatedAt = FromNanos(r.CreatedAt), FromNanos(r.UpdatedAt)
	return nil
}

// consentsUTC returns the consents with their times in UTC; none is {}.
func consentsUTC(cs map[string]rapport.Consent) map[string]rapport.Consent {
	out := make(map[string]rapport.Consent, len(cs))
	for ch, c := range cs {
		c.At = c.At.UTC()
		out[ch] = c
	}
	return out
}
