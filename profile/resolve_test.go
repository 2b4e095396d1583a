package profile_test

import (
	"slices"
	"testing"

	"github.com/rapportdev/rapport"
)

func TestNewProfilePerAnonymousVisitor(t *testing.T) {
	v := newMemView()
	c := v.apply(t, page("a1", 0), page("a2", 1), page("a1", 2))
	if got := v.persons(); got != 2 {
		t.Fatalf("persons = %d, want 2", got)
	}
	if got := len(c.Profiles); got != 2 {
		t.Errorf("changed profiles = %d, want 2", got)
	}
	if got := v.anon(t, "a1").Aggregates.PageViews; got != 2 {
		t.Errorf("a1 page views = %d, want 2", got)
	}
	if got := len(c.Identities); got != 2 {
		t.Errorf("identity links = %d, want 2", got)
	}
	if c.Base != 0 || c.Checkpoint != 3 {
		t.Errorf("base, checkpoint = %d, %d, want 0, 3", c.Base, c.Checkpoint)
	}
}

func TestIdentifyMergesAnonymousIntoKnown(t *testing.T) {
	tests := []struct {
		name     string
		batches  [][]*rapport.Event
		wantFrom string // identity whose first profile was merged away
	}{
		{
			name: "across batches",
			batches: [][]*rapport.Event{
				{identify("42", "a1", 0, nil), page("a2", 5)},
				{identify("42", "a2", 10, nil)},
			},
		},
		{
			name:    "within one batch",
			batches: [][]*rapport.Event{{identify("42", "a1", 0, nil), page("a2", 5), identify("42", "a2", 10, nil)}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newMemView()
			var last rapport.Changes
			for _, batch := range tt.batches {
				last = v.apply(t, batch...)
			}
			known, anon := v.user(t, "42"), v.anon(t, "a2")
			if known != anon {
				t.Fatalf("a2 in %s, want the profile of user 42, %s", anon.ID, known.ID)
			}
			if got := v.persons(); got != 1 {
				t.Errorf("persons = %d, want 1", got)
			}
			if got := known.Aggregates.PageViews; got != 1 {
				t.Errorf("page views = %d, want 1 (carried over from the anonymous profile)", got)
			}
			if got, want := known.Aggregates.Events["identify"], int64(2); got != want {
				t.Errorf("identify count = %d, want %d", got, want)
			}
			if len(last.Merges) != 1 {
				t.Fatalf("merges = %+v, want one", last.Merges)
			}
			m := last.Merges[0]
			if m.Into != known.ID || m.Reason != "identify: anonymous_id a2 joined user_id 42" || !m.At.Equal(at(10)) {
				t.Errorf("merge = %+v, want into %s, reason about a2 and 42, at %v", m, known.ID, at(10))
			}
			if slices.ContainsFunc(last.Profiles, func(p *rapport.Profile) bool { return p.ID == m.From }) {
				t.Errorf("changes still write merged profile %s", m.From)
			}
		})
	}
}

func TestAlias(t *testing.T) {
	tests := []struct {
		name   string
		before []*rapport.Event
		alias  *rapport.Event
		want   []rapport.Identity
		reason string
	}{
		{
			name:   "anonymous id into user",
			before: []*rapport.Event{page("a1", 0), identify("42", "", 1, nil)},
			alias:  alias("42", "a1", 2),
			want:   []rapport.Identity{{Kind: rapport.IdentityUserID, Value: "42"}, {Kind: rapport.IdentityAnonymousID, Value: "a1"}},
			reason: "alias: anonymous_id a1 joined user_id 42",
		},
		{
			name:   "old user id into new",
			before: []*rapport.Event{identify("old", "", 0, nil), identify("new", "", 1, nil)},
			alias:  alias("new", "old", 2),
			want:   []rapport.Identity{{Kind: rapport.IdentityUserID, Value: "new"}, {Kind: rapport.IdentityUserID, Value: "old"}},
			reason: "alias: user_id old joined user_id new",
		},
		{
			name:   "unknown previous id",
			before: []*rapport.Event{identify("42", "", 1, nil)},
			alias:  alias("42", "a9", 2),
			want:   []rapport.Identity{{Kind: rapport.IdentityUserID, Value: "42"}, {Kind: rapport.IdentityAnonymousID, Value: "a9"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newMemView()
			v.apply(t, tt.before...)
			c := v.apply(t, tt.alias)
			p := v.user(t, tt.alias.UserID)
			for _, id := range tt.want {
				if !p.HasIdentity(id) {
					t.Errorf("identities = %v, want to hold %v", p.Identities, id)
				}
			}
			if got := v.persons(); got != 1 {
				t.Errorf("persons = %d, want 1", got)
			}
			if tt.reason == "" {
				if len(c.Merges) != 0 {
					t.Errorf("merges = %+v, want none", c.Merges)
				}
				return
			}
			if len(c.Merges) != 1 || c.Merges[0].Reason != tt.reason || c.Merges[0].Into != p.ID {
				t.Errorf("merges = %+v, want one into %s: %q", c.Merges, p.ID, tt.reason)
			}
		})
	}
}

func TestEmailAndPhoneLinkSessions(t *testing.T) {
	tests := []struct {
		name        string
		first, then *rapport.Event
	}{
		{
			name:  "email in identify then context.traits",
			first: identify("", "a1", 0, map[string]any{"email": " Ann@Example.COM "}),
			then: &rapport.Event{Type: rapport.EventTrack, Event: "Viewed", AnonymousID: "a2", Timestamp: at(60),
				Context: map[string]any{"traits": map[string]any{"email": "ann@example.com"}}},
		},
		{
			name:  "phone written two ways",
			first: identify("", "a1", 0, map[string]any{"phone": "(415) 555-0100"}),
			then:  identify("", "a2", 60, map[string]any{"phone": "+1 415 555 0100"}),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newMemView()
			v.apply(t, tt.first)
			c := v.apply(t, tt.then)
			if p1, p2 := v.anon(t, "a1"), v.anon(t, "a2"); p1 != p2 {
				t.Fatalf("a1 in %s and a2 in %s, want one profile", p1.ID, p2.ID)
			}
			if len(c.Identities) == 0 {
				t.Errorf("no identity links, want a2 linked")
			}
		})
	}
}

func TestNeverMergeTwoUsers(t *testing.T) {
	tests := []struct {
		name   string
		events []*rapport.Event
		// shared is the identity both users sent; owner the user keeping it.
		shared rapport.Identity
		owner  string
	}{
		{
			name:   "shared device",
			events: []*rapport.Event{identify("u1", "dev", 0, nil), identify("u2", "dev", 5, nil)},
			shared: rapport.Identity{Kind: rapport.IdentityAnonymousID, Value: "dev"},
			owner:  "u1",
		},
		{
			name: "reused email",
			events: []*rapport.Event{
				identify("u1", "", 0, map[string]any{"email": "team@x.com"}),
				identify("u2", "", 5, map[string]any{"email": "team@x.com"}),
			},
			shared: rapport.Identity{Kind: rapport.IdentityEmail, Value: "team@x.com"},
			owner:  "u1",
		},
		{
			name: "anonymous event naming two users' handles",
			events: []*rapport.Event{
				identify("u1", "dev", 0, nil),
				identify("u2", "", 1, map[string]any{"email": "b@x.com"}),
				identify("", "dev", 5, map[string]any{"email": "b@x.com"}),
			},
			shared: rapport.Identity{Kind: rapport.IdentityEmail, Value: "b@x.com"},
			owner:  "u2",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newMemView()
			c := v.apply(t, tt.events...)
			if len(c.Merges) != 0 {
				t.Errorf("merges = %+v, want none", c.Merges)
			}
			u1, u2 := v.user(t, "u1"), v.user(t, "u2")
			if u1 == u2 {
				t.Fatalf("u1 and u2 share profile %s", u1.ID)
			}
			if got := v.of(t, tt.shared.Kind, tt.shared.Value); got != v.user(t, tt.owner) {
				t.Errorf("%v held by %s, want %s's profile", tt.shared, got.ID, tt.owner)
			}
			if got := u2.Aggregates.Events["identify"]; got < 1 {
				t.Errorf("u2 identify count = %d, want the event on u2's profile", got)
			}
		})
	}
}

func TestChangesListEachProfileOnce(t *testing.T) {
	v := newMemView()
	c := v.apply(t, page("a1", 0), page("a1", 1), identify("7", "a1", 2, map[string]any{"name": "Ann"}), page("a1", 3))
	if len(c.Profiles) != 1 {
		t.Fatalf("profiles = %d, want 1", len(c.Profiles))
	}
	p := c.Profiles[0]
	if got := p.Aggregates.PageViews; got != 3 {
		t.Errorf("page views = %d, want 3 (final state)", got)
	}
	if !p.UpdatedAt.Equal(now) || !p.CreatedAt.Equal(now) {
		t.Errorf("created, updated = %v, %v, want processing time %v", p.CreatedAt, p.UpdatedAt, now)
	}
	if !p.HasIdentity(rapport.Identity{Kind: rapport.IdentityUserID, Value: "7"}) {
		t.Errorf("identities = %v, want user_id 7", p.Identities)
	}
	if c.Checkpoint != 4 {
		t.Errorf("checkpoint = %d, want 4", c.Checkpoint)
	}
}

func TestEventWithoutIdentityIsCountedNotApplied(t *testing.T) {
	v := newMemView()
	c := v.apply(t, &rapport.Event{Type: rapport.EventPage, Timestamp: at(0)})
	if len(c.Profiles) != 0 || c.Checkpoint != 1 {
		t.Errorf("profiles = %d, checkpoint = %d, want 0 and 1", len(c.Profiles), c.Checkpoint)
	}
}
