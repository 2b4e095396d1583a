package report

import (
	"context"
	"io"
	"time"
)

// SegmentsReport is the size of every segment.
type SegmentsReport struct {
	At time.Time `json:"at"`
	// Profiles counts every stored profile, the base of the shares.
	Profiles int           `json:"profiles"`
	Segments []SegmentSize `json:"segments"`
}

// SegmentSize is one segment's size.
type SegmentSize struct {
	ID      string  `json:"id"`
	Name    string  `json:"name"`
	Kind    string  `json:"kind"`
	Members int     `json:"members"`
	Share   float64 `json:"share"`
}

// SegmentSizes reports the size of every segment: rule segments, then
// discovered buckets, the largest first.
func SegmentSizes(ctx context.Context, st Store, now time.Time) (*SegmentsReport, error) {
	segs, err := findSegments(ctx, st)
	if err != nil {
		return nil, err
	}
	total, err := countProfiles(ctx, st)
	if err != nil {
		return nil, err
	}
	rep := &SegmentsReport{At: now.UTC(), Profiles: total, Segments: make([]SegmentSize, len(segs))}
	for i, s := range segs {
		rep.Segments[i] = SegmentSize{ID: s.ID, Name: s.Name, Kind: s.Kind, Members: s.members}
		if total > 0 {
			rep.Segments[i].Share = round(float64(s.members)/float64(total), 4)
		}
	}
	return rep, nil
}

// WriteCSV writes one line per segment.
func (r *SegmentsReport) WriteCSV(w io.Writer) error {
	rows := make([][]string, len(r.Segments))
	for i, s := range r.Segments {
		rows[i] = []string{text(s.ID), text(s.Name), text(s.Kind), integer(s.Members), num(s.Share)}
	}
	return writeCSV(w, []string{"segment", "name", "kind", "members", "share"}, rows)
}
