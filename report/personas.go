package report

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/cluster"
)

// PersonasReport holds the persona cards of the discovered buckets, as
// `rapport cluster` stored them.
type PersonasReport struct {
	At       time.Time     `json:"at"`
	Personas []PersonaCard `json:"personas"`
}

// PersonaCard is one bucket and its card. Members is the bucket's size
// now; the card's size is at the clustering.
type PersonaCard struct {
	Segment string `json:"segment"`
	Name    string `json:"name"`
	Members int    `json:"members"`
	cluster.Persona
}

// Personas reports the card of every cluster segment, in cluster order.
func Personas(ctx context.Context, st Segments, now time.Time) (*PersonasReport, error) {
	segs, err := findSegments(ctx, st)
	if err != nil {
		return nil, fmt.Errorf("personas report: %w", err)
	}
	rep := &PersonasReport{At: now.UTC(), Personas: []PersonaCard{}}
	for _, s := range segs {
		if s.Kind != rapport.SegmentCluster {
			continue
		}
		card := PersonaCard{Segment: s.ID, Name: s.Name, Members: s.members}
		if len(s.Persona) > 0 {
			if err := json.Unmarshal(s.Persona, &card.Persona); err != nil {
				return nil, fmt.Errorf("personas report: segment %s: persona card: %w", s.ID, err)
			}
		}
		rep.Personas = append(rep.Personas, card)
	}
	slices.SortStableFunc(rep.Personas, func(a, b PersonaCard) int { return cmp.Compare(a.Cluster, b.Cluster) })
	return rep, nil
}

// WriteCSV writes one line per card: mixes as "name share" lists, traits
// separated by "; ", and a median_<feature> column per feature any card
// has; shares and medians rounded to four decimals.
func (r *PersonasReport) WriteCSV(w io.Writer) error {
	features := map[string]bool{}
	for _, p := range r.Personas {
		for f := range p.Medians {
			features[f] = true
		}
	}
	names := slices.Sorted(maps.Keys(features))
	header := []string{"segment", "name", "members", "cluster", "size", "share", "label", "channel", "channel_share",
		"top_categories", "top_brands", "traits", "story"}
	for _, f := range names {
		header = append(header, "median_"+f)
	}
	rows := make([][]string, len(r.Personas))
	for i, p := range r.Personas {
		row := []string{text(p.Segment), text(p.Name), integer(p.Members), integer(p.Cluster), integer(p.Size),
			num(round(p.Share, 4)), text(p.Label), text(p.Channel), num(round(p.ChannelShare, 4)), text(shares(p.TopCategories)),
			text(shares(p.TopBrands)), text(traits(p.Traits)), text(p.Story)}
		for _, f := range names {
			v, ok := p.Medians[f]
			if ok {
				row = append(row, num(round(v, 4)))
			} else {
				row = append(row, "")
			}
		}
		rows[i] = row
	}
	return writeCSV(w, header, rows)
}

// shares writes a mix as "Shoes 0.45; Bags 0.2".
func shares(ss []cluster.Share) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = s.Name + " " + num(round(s.Share, 4))
	}
	return strings.Join(parts, "; ")
}

// traits writes traits separated by "; ".
func traits(ts []cluster.Trait) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = string(t)
	}
	return strings.Join(parts, "; ")
}
