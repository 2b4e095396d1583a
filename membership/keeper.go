package membership

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/runner"
	"github.com/rapportdev/rapport/segment"
)

// Store is what a Keeper reads and writes.
type Store interface {
	rapport.SegmentStore
	ScanProfiles(ctx context.Context, after string, limit int) ([]*rapport.Profile, error)
	FindScores(ctx context.Context, profileIDs []string) (map[string]*rapport.ScoreRecord, error)
}

// Status is how far the latest recompute pass has come.
type Status struct {
	Running    bool      `json:"running"`
	Reason     string    `json:"reason,omitempty"`
	StartedAt  time.Time `json:"startedAt,omitzero"`
	FinishedAt time.Time `json:"finishedAt,omitzero"`
	// Scanned profiles were evaluated; Changes is how many entries and
	// exits the pass recorded.
	Scanned int    `json:"scanned"`
	Changes int    `json:"changes"`
	Error   string `json:"error,omitempty"`
}

// Keeper keeps rule segments: their definitions in the store, the
// compiled set in Live, and passes that recompute every membership.
type Keeper struct {
	store Store
	live  *Live
	clock rapport.Clock
	log   *slog.Logger
	// OnWritten, when set, is called with the profiles of each page a
	// pass wrote: the processor forgets the memberships it holds of them.
	OnWritten func(profileIDs []string)

	run runner.Runner
	// editing makes saving and deleting segments one at a time, so two
	// saves checked against the same rules cannot form a cycle together.
	editing sync.Mutex
	mu      sync.Mutex
	status  Status
}

// NewKeeper returns a keeper of the store's segments; call Load before
// use.
func NewKeeper(store Store, clock rapport.Clock, log *slog.Logger) *Keeper {
	return &Keeper{store: store, live: &Live{}, clock: clock, log: log}
}

// Live returns the segmenter the processor runs.
func (k *Keeper) Live() *Live { return k.live }

// Load compiles the stored rule segments and puts them in use. A stored
// segment that no longer compiles (after an upgrade changed the language)
// is left out and logged, not fatal.
func (k *Keeper) Load(ctx context.Context) error {
	segs, err := k.store.FindSegments(ctx)
	if err != nil {
		return err
	}
	var compiled []*segment.Segment
	for _, s := range segs {
		if s.Kind != rapport.SegmentRule {
			continue
		}
		c, err := compile(s)
		if err != nil {
			k.log.Error("segment left out: it does not compile", "segment", s.ID, "err", err)
			continue
		}
		compiled = append(compiled, c)
	}
	var rfm segment.RFMScale
	ready := false
	if cur := k.live.rules.Load(); cur != nil {
		rfm, ready = cur.rfm, cur.rfmReady
	}
	r, err := newRules(compiled, rfm, ready)
	if err != nil {
		// Segments stored by two saves at once can read each other in a
		// cycle: leave out those that read segments rather than stop.
		k.log.Error("segments that read other segments left out", "err", err)
		var acyclic []*segment.Segment
		for _, c := range compiled {
			if !c.ReadsField("segments") {
				acyclic = append(acyclic, c)
			}
		}
		if r, err = newRules(acyclic, rfm, ready); err != nil {
			return err
		}
	}
	k.live.rules.Store(r)
	return nil
}

func compile(s *rapport.Segment) (*segment.Segment, error) {
	return segment.Compile(segment.Definition{ID: s.ID, Name: s.Name, Description: s.Description, Expression: s.Expression})
}

// idPattern is what a segment id may be: it is written in expressions
// (`"vip" in segments`) and URLs.
var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

// reservedIDs are words the segment addresses use for pages of their own
// (/api/v1/segments/preview, /segments/new in the dashboard).
var reservedIDs = []string{"new", "economics", "preview", "recompute"}

// Slug returns an id for a segment named name.
func Slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 60 {
			break
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// Validate checks a rule segment as the API receives it: an id, a name,
// and an expression that compiles, with the line and column of any
// problem (*segment.CompileError).
func (k *Keeper) Validate(s *rapport.Segment) error {
	if strings.TrimSpace(s.Name) == "" {
		return rapport.Errorf(rapport.EINVALID, "name: required")
	}
	if !idPattern.MatchString(s.ID) {
		return rapport.Errorf(rapport.EINVALID, "id %q: want lower-case letters, digits, - and _, at most 64", s.ID)
	}
	if slices.Contains(reservedIDs, s.ID) {
		return rapport.Errorf(rapport.EINVALID, "id %q is reserved (an address of the API or the dashboard): give another", s.ID)
	}
	if s.Kind != rapport.SegmentRule {
		return rapport.Errorf(rapport.EINVALID, "kind %q: only rule segments are written through the API; clusters come from rapport cluster", s.Kind)
	}
	c, err := compile(s)
	if err != nil {
		return err
	}
	// A segment reading others must not form a cycle with them.
	cur := k.live.rules.Load()
	segs := []*segment.Segment{c}
	if cur != nil {
		for _, o := range cur.segs {
			if o.ID() != s.ID {
				segs = append(segs, o)
			}
		}
	}
	if _, err := segment.NewSet(segs...); err != nil {
		return rapport.Errorf(rapport.EINVALID, "%s", err)
	}
	return nil
}

// Put stores a rule segment (new or changed), puts it in use and starts
// a pass to compute its members.
func (k *Keeper) Put(ctx context.Context, s *rapport.Segment) error {
	k.editing.Lock()
	defer k.editing.Unlock()
	if err := k.Validate(s); err != nil {
		return err
	}
	if err := k.store.PutSegment(ctx, s); err != nil {
		return err
	}
	if err := k.Load(ctx); err != nil {
		return err
	}
	k.Start("segment " + s.ID + " saved")
	return nil
}

// Delete removes a segment and its members. A running pass is stopped
// first, so it cannot record members of the segment after it is gone.
func (k *Keeper) Delete(ctx context.Context, id string) error {
	k.editing.Lock()
	defer k.editing.Unlock()
	running := k.Status().Running
	k.run.Close()
	if err := k.store.DeleteSegment(ctx, id); err != nil {
		return err
	}
	if err := k.Load(ctx); err != nil {
		return err
	}
	if running {
		k.Start("segment " + id + " deleted during a pass")
	}
	return nil
}

// previewID names the segment being previewed; it cannot be a stored
// segment's id (idPattern refuses underscores at the start).
const previewID = "_preview"

// Preview evaluates an expression that is not saved on up to sample
// profiles (the first by id, which are random ids) and returns how many
// matched and how many were looked at: the editor's live count. It is
// evaluated beside the segments in use, so `"vip" in segments` counts.
func (k *Keeper) Preview(ctx context.Context, expression string, sample int) (matched, scanned int, err error) {
	c, err := segment.Compile(segment.Definition{ID: previewID, Name: "preview", Expression: expression})
	if err != nil {
		var ce *segment.CompileError
		if errors.As(err, &ce) {
			ce.Segment = "preview"
		}
		return 0, 0, err
	}
	r := k.rulesOrEmpty()
	set, err := segment.NewSet(append(slices.Clone(r.segs), c)...)
	if err != nil {
		return 0, 0, rapport.Errorf(rapport.EINVALID, "%s", err)
	}
	now := k.clock.Now()
	after := ""
	for scanned < sample {
		page, scores, err := k.page(ctx, after, min(2000, sample-scanned))
		if err != nil || len(page) == 0 {
			return matched, scanned, err
		}
		ids := make([]string, len(page))
		for i, p := range page {
			ids[i] = p.ID
		}
		had, err := k.store.FindMemberships(ctx, ids)
		if err != nil {
			return matched, scanned, err
		}
		for _, p := range page {
			if slices.Contains(r.all(set, p, scores[p.ID], had[p.ID], now), previewID) {
				matched++
			}
		}
		scanned += len(page)
		after = page[len(page)-1].ID
	}
	return matched, scanned, nil
}

func (k *Keeper) rulesOrEmpty() *rules {
	if r := k.live.rules.Load(); r != nil {
		return r
	}
	r, _ := newRules(nil, segment.RFMScale{}, false)
	return r
}

// page reads profiles after an id, with their scores.
func (k *Keeper) page(ctx context.Context, after string, n int) ([]*rapport.Profile, map[string]*rapport.ScoreRecord, error) {
	page, err := k.store.ScanProfiles(ctx, after, n)
	if err != nil || len(page) == 0 {
		return nil, nil, err
	}
	ids := make([]string, len(page))
	for i, p := range page {
		ids[i] = p.ID
	}
	scores, err := k.store.FindScores(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	return page, scores, nil
}

// Status returns the latest pass.
func (k *Keeper) Status() Status {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.status
}

// Start begins a recompute pass in the background, stopping one already
// running.
func (k *Keeper) Start(reason string) {
	k.run.Start(func() {
		k.mu.Lock()
		k.status = Status{Running: true, Reason: reason, StartedAt: k.clock.Now()}
		k.mu.Unlock()
	}, func(ctx context.Context) {
		err := k.pass(ctx)
		k.mu.Lock()
		k.status.Running, k.status.FinishedAt = false, k.clock.Now()
		switch {
		case errors.Is(err, context.Canceled):
			k.status.Error = "stopped before the end"
		case err != nil:
			k.status.Error = err.Error()
			k.log.Error("segment recompute failed", "reason", reason, "err", err)
		default:
			k.log.Info("segments recomputed", "reason", reason, "profiles", k.status.Scanned, "changes", k.status.Changes)
		}
		k.mu.Unlock()
	})
}

// Wait blocks until the running pass, if any, ends, and returns the status.
func (k *Keeper) Wait() Status {
	k.run.Wait()
	return k.Status()
}

// Close stops a running pass and waits for it.
func (k *Keeper) Close() { k.run.Close() }

// pass places the RFM quintiles over every profile, then evaluates every
// rule segment for every profile and records the differences with what
// the store holds.
func (k *Keeper) pass(ctx context.Context) error {
	now := k.clock.Now()
	var values []segment.RFMValues
	if err := k.scan(ctx, func(page []*rapport.Profile, _ map[string]*rapport.ScoreRecord) error {
		for _, p := range page {
			if v, ok := segment.RFMValuesOf(p, now); ok {
				values = append(values, v)
			}
		}
		return nil
	}); err != nil {
		return fmt.Errorf("measure RFM: %w", err)
	}
	cur := k.rulesOrEmpty()
	r, err := newRules(cur.segs, segment.NewRFMScale(values), true)
	if err != nil {
		return err
	}
	// From now on the processor evaluates against the new quintiles too.
	k.live.rules.Store(r)
	set, err := segment.NewSet(r.segs...)
	if err != nil {
		return err
	}
	return k.scan(ctx, func(page []*rapport.Profile, scores map[string]*rapport.ScoreRecord) error {
		ids := make([]string, len(page))
		for i, p := range page {
			ids[i] = p.ID
		}
		had, err := k.store.FindMemberships(ctx, ids)
		if err != nil {
			return err
		}
		var changes []rapport.MembershipChange
		for _, p := range page {
			// One time for the whole pass: the quintiles were placed as
			// of now, so recency must be measured from the same instant.
			start := len(changes)
			changes = append(changes, diff(p.ID, had[p.ID], r.evaluate(set, p, scores[p.ID], had[p.ID], now), r.ids, now)...)
			// The processor may apply an event to p before these are
			// stored; then it has decided p's memberships from newer
			// facts, and the store skips these.
			for i := start; i < len(changes); i++ {
				changes[i].Seen = p.UpdatedAt
			}
		}
		if err := k.store.ApplyMemberships(ctx, changes); err != nil {
			return err
		}
		if len(changes) > 0 && k.OnWritten != nil {
			k.OnWritten(changed(changes))
		}
		k.mu.Lock()
		k.status.Scanned += len(page)
		k.status.Changes += len(changes)
		k.mu.Unlock()
		return nil
	})
}

// scan calls fn with every stored profile, page by page.
func (k *Keeper) scan(ctx context.Context, fn func([]*rapport.Profile, map[string]*rapport.ScoreRecord) error) error {
	after := ""
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		page, scores, err := k.page(ctx, after, 2000)
		if err != nil {
			return err
		}
		if len(page) == 0 {
			return nil
		}
		if err := fn(page, scores); err != nil {
			return err
		}
		after = page[len(page)-1].ID
	}
}

// diff returns the changes from had (sorted) to now (sorted), over the
// segments managed.
func diff(profileID string, had, now []string, managed map[string]bool, at time.Time) []rapport.MembershipChange {
	var out []rapport.MembershipChange
	in := make(map[string]bool, len(now))
	for _, id := range now {
		in[id] = true
	}
	was := make(map[string]bool, len(had))
	for _, id := range had {
		was[id] = true
		if managed[id] && !in[id] {
			out = append(out, rapport.MembershipChange{SegmentID: id, ProfileID: profileID, At: at})
		}
	}
	for _, id := range now {
		if !was[id] {
			out = append(out, rapport.MembershipChange{SegmentID: id, ProfileID: profileID, Entered: true, At: at})
		}
	}
	return out
}

// changed lists the profiles of changes, once each.
func changed(changes []rapport.MembershipChange) []string {
	var ids []string
	for i, c := range changes {
		if i == 0 || c.ProfileID != changes[i-1].ProfileID {
			ids = append(ids, c.ProfileID)
		}
	}
	return ids
}
