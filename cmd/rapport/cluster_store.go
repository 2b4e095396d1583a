package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/cluster"
)

// segmentReport is one stored bucket in the line `rapport cluster` prints.
type segmentReport struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	Story string `json:"story"`
	Size  int    `json:"size"`
}

// customers are the stored customers being clustered: profile ids and
// what Describe knows of each, in the same order.
type customers struct {
	ids        []string
	members    []cluster.Member
	profiles   int
	firstOrder time.Time
}

// membershipChunk bounds the membership changes written per transaction.
const membershipChunk = 5000

// clusterCustomers clusters every person with an order in the store,
// describes each cluster as a persona, stores the clusters as segments in
// place of the previous run's, and prints the report.
func clusterCustomers(ctx context.Context, cfg clusterConfig, stdout, stderr io.Writer) error {
	start := time.Now()
	now := start.UTC()
	b, err := cfg.store.open(ctx)
	if err != nil {
		return fmt.Errorf("cluster: %w", err)
	}
	defer b.Close()
	cs, err := readCustomers(ctx, b.Store, now, stderr)
	if err != nil {
		return fmt.Errorf("cluster: %w", err)
	}
	read := time.Since(start)
	space := cluster.NewProfileSpace(cs.members, cfg.topCategories)
	x, columns, err := selectColumns(space.ProfileMatrix(cs.members), space.Names(), cfg.columns)
	if err != nil {
		return fmt.Errorf("cluster: %w", err)
	}
	if err := fitRange(&cfg, x.Rows); err != nil {
		return fmt.Errorf("cluster: %w", err)
	}
	fmt.Fprintf(stderr, "cluster: %d customers of %d profiles read in %s; clustering on %d features\n",
		x.Rows, cs.profiles, read.Round(time.Millisecond), len(columns))
	rep, labels, err := clusterMatrix(ctx, x, cfg)
	if err != nil {
		return fmt.Errorf("cluster: %w", err)
	}
	bySize(rep, labels)
	window := 365.0 // without any order time, Describe's default year
	if !cs.firstOrder.IsZero() {
		window = math.Max(1, math.Round(now.Sub(cs.firstOrder).Hours()/24))
	}
	personas, err := cluster.Describe(cs.members, labels, cluster.DescribeOptions{WindowDays: window})
	if err != nil {
		return fmt.Errorf("cluster: %w", err)
	}
	segments, err := personaSegments(personas, now)
	if err != nil {
		return fmt.Errorf("cluster: %w", err)
	}
	if !cfg.dryRun {
		if err := storeSegments(ctx, b.Store, segments, cs.ids, labels, now); err != nil {
			return fmt.Errorf("cluster: %w", err)
		}
		fmt.Fprintf(stderr, "cluster: stored %d segments of kind %q, replacing the previous run's\n", len(segments), rapport.SegmentCluster)
	}
	rep.Columns, rep.Profiles, rep.WindowDays = columns, cs.profiles, window
	for c, s := range segments {
		rep.Segments = append(rep.Segments, segmentReport{ID: s.ID, Label: s.Name, Story: s.Description, Size: personas[c].Size})
	}
	rep.ReadSeconds = round(read.Seconds(), 3)
	rep.Seconds = round(time.Since(start).Seconds(), 3)
	return json.NewEncoder(stdout).Encode(rep)
}

// readCustomers walks every profile in pages and keeps the people with an
// order, noting progress on stderr every 100,000 profiles.
func readCustomers(ctx context.Context, store rapport.Store, now time.Time, stderr io.Writer) (*customers, error) {
	cs := &customers{}
	after := ""
	for {
		page, err := store.ScanProfiles(ctx, after, 5000)
		if err != nil {
			return nil, fmt.Errorf("read profiles: %w", err)
		}
		if len(page) == 0 {
			break
		}
		for _, p := range page {
			cs.add(p, now)
		}
		after = page[len(page)-1].ID
		if cs.profiles/100_000 != (cs.profiles-len(page))/100_000 {
			fmt.Fprintf(stderr, "cluster: read %d profiles, %d customers\n", cs.profiles, len(cs.ids))
		}
	}
	if len(cs.ids) == 0 {
		return nil, fmt.Errorf("no customers: none of the %d profiles has an order", cs.profiles)
	}
	return cs, nil
}

// add keeps p if it is a person with an order.
func (cs *customers) add(p *rapport.Profile, now time.Time) {
	cs.profiles++
	if p.Kind != rapport.ProfilePerson {
		return
	}
	m, ok := cluster.ProfileMember(p, now)
	if !ok {
		return
	}
	cs.ids = append(cs.ids, p.ID)
	cs.members = append(cs.members, m)
	first := p.Aggregates.FirstOrderAt
	if first.IsZero() {
		first = p.Aggregates.FirstSeen
	}
	if !first.IsZero() && (cs.firstOrder.IsZero() || first.Before(cs.firstOrder)) {
		cs.firstOrder = first
	}
}

// selectColumns keeps the named columns of x, in the order named; none
// named keeps all.
func selectColumns(x cluster.Matrix, names, want []string) (cluster.Matrix, []string, error) {
	if len(want) == 0 {
		return x, names, nil
	}
	idx := make([]int, len(want))
	for i, w := range want {
		if idx[i] = slices.Index(names, w); idx[i] < 0 {
			return x, nil, fmt.Errorf("no feature %q; the features are %v", w, names)
		}
	}
	out := cluster.NewMatrix(x.Rows, len(want))
	for r := range x.Rows {
		row, src := out.Row(r), x.Row(r)
		for i, j := range idx {
			row[i] = src[j]
		}
	}
	return out, want, nil
}

// fitRange lowers --kmax below the number of customers when k is chosen,
// so a small shop still gets the best k it can have.
func fitRange(cfg *clusterConfig, rows int) error {
	if cfg.k > 0 {
		return nil
	}
	cfg.kmax = min(cfg.kmax, rows-1)
	if cfg.kmax < cfg.kmin {
		return fmt.Errorf("%d customers: too few to choose k from %d up", rows, cfg.kmin)
	}
	return nil
}

// bySize renumbers the clusters largest first (k-means numbers them in no
// meaningful order), in the labels and in the report's sizes and centres.
func bySize(rep *clusterReport, labels []int) {
	order := make([]int, len(rep.Sizes))
	for c := range order {
		order[c] = c
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(rep.Sizes[b], rep.Sizes[a]) })
	renumber := make([]int, len(order))
	sizes, centers := make([]int, len(order)), make([][]float64, len(order))
	for to, from := range order {
		renumber[from] = to
		sizes[to], centers[to] = rep.Sizes[from], rep.Centers[from]
	}
	for i, l := range labels {
		labels[i] = renumber[l]
	}
	rep.Sizes, rep.Centers = sizes, centers
}

// personaSegments makes a cluster segment of each persona: cluster c is
// "cluster-<c+1>", named by its label (numbered when two share one) and
// described by its story, with the whole persona card as JSON.
func personaSegments(personas []cluster.Persona, now time.Time) ([]*rapport.Segment, error) {
	seen := map[string]int{}
	out := make([]*rapport.Segment, len(personas))
	for c, p := range personas {
		card, err := json.Marshal(p)
		if err != nil {
			return nil, fmt.Errorf("encode persona %d: %w", c, err)
		}
		name := p.Label
		if seen[p.Label]++; seen[p.Label] > 1 {
			name = fmt.Sprintf("%s (%d)", p.Label, seen[p.Label])
		}
		out[c] = &rapport.Segment{ID: fmt.Sprintf("cluster-%d", c+1), Name: name, Description: p.Story,
			Kind: rapport.SegmentCluster, Persona: card, CreatedAt: now, UpdatedAt: now}
	}
	return out, nil
}

// storeSegments replaces the stored cluster segments with segments and
// enters each customer into its cluster's. The old segments go with their
// members and history: a new clustering's buckets are new buckets, even
// where an id repeats.
func storeSegments(ctx context.Context, store rapport.Store, segments []*rapport.Segment, ids []string, labels []int, now time.Time) error {
	old, err := store.FindSegments(ctx)
	if err != nil {
		return err
	}
	for _, s := range old {
		if s.Kind != rapport.SegmentCluster && slices.ContainsFunc(segments, func(n *rapport.Segment) bool { return n.ID == s.ID }) {
			return fmt.Errorf("segment %s is a %s segment: rename it before clustering", s.ID, s.Kind)
		}
	}
	for _, s := range old {
		if s.Kind != rapport.SegmentCluster {
			continue
		}
		if err := store.DeleteSegment(ctx, s.ID); err != nil {
			return fmt.Errorf("replace segment %s: %w", s.ID, err)
		}
	}
	for _, s := range segments {
		if err := store.PutSegment(ctx, s); err != nil {
			return err
		}
	}
	changes := make([]rapport.MembershipChange, 0, min(len(ids), membershipChunk))
	for i, id := range ids {
		changes = append(changes, rapport.MembershipChange{SegmentID: segments[labels[i]].ID, ProfileID: id, Entered: true, At: now})
		if len(changes) == membershipChunk || i == len(ids)-1 {
			if err := store.ApplyMemberships(ctx, changes); err != nil {
				return fmt.Errorf("enter members: %w", err)
			}
			changes = changes[:0]
		}
	}
	return nil
}
