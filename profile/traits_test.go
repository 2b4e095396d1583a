package profile_test

import (
	"testing"

	"github.com/rapportdev/rapport"
)

func TestTraitsLastWriteWinsByEventTime(t *testing.T) {
	tests := []struct {
		name    string
		batches [][]*rapport.Event
		want    map[string]any
	}{
		{
			name: "in order",
			batches: [][]*rapport.Event{{
				identify("1", "", 0, map[string]any{"plan": "free"}),
				identify("1", "", 10, map[string]any{"plan": "pro"}),
			}},
			want: map[string]any{"plan": "pro"},
		},
		{
			name: "late older identify fills missing keys only",
			batches: [][]*rapport.Event{
				{identify("1", "", 10, map[string]any{"plan": "pro"})},
				{identify("1", "", 0, map[string]any{"plan": "free", "city": "Oslo"})},
			},
			want: map[string]any{"plan": "pro", "city": "Oslo"},
		},
		{
			name: "late older identify in the same batch",
			batches: [][]*rapport.Event{{
				identify("1", "", 10, map[string]any{"plan": "pro"}),
				identify("1", "", 0, map[string]any{"plan": "free", "city": "Oslo"}),
			}},
			want: map[string]any{"plan": "pro", "city": "Oslo"},
		},
		{
			name: "tie goes to the later in the log",
			batches: [][]*rapport.Event{{
				identify("1", "", 5, map[string]any{"plan": "a"}),
				identify("1", "", 5, map[string]any{"plan": "b"}),
			}},
			want: map[string]any{"plan": "b"},
		},
		{
			name: "merge keeps the newer value per key",
			batches: [][]*rapport.Event{
				{identify("1", "", 0, map[string]any{"plan": "old", "name": "Ann"})},
				{identify("", "a1", 20, map[string]any{"plan": "new", "city": "Rome"})},
				{identify("1", "a1", 30, nil)},
			},
			want: map[string]any{"plan": "new", "name": "Ann", "city": "Rome"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newMemView()
			for _, b := range tt.batches {
				v.apply(t, b...)
			}
			p := v.user(t, "1")
			if len(p.Traits) != len(tt.want) {
				t.Errorf("traits = %v, want %v", p.Traits, tt.want)
			}
			for k, want := range tt.want {
				if got := p.Traits[k]; got != want {
					t.Errorf("trait %s = %v, want %v", k, got, want)
				}
				if _, ok := p.TraitTimes[k]; !ok {
					t.Errorf("trait %s has no time", k)
				}
			}
		})
	}
}

func TestGroupCreatesAccount(t *testing.T) {
	v := newMemView()
	group := func(user, gid string, minute int, traits map[string]any) *rapport.Event {
		return &rapport.Event{Type: rapport.EventGroup, UserID: user, GroupID: gid, Traits: traits, Timestamp: at(minute)}
	}
	v.apply(t, group("1", "acme", 10, map[string]any{"name": "Acme", "employees": 50.0}))
	v.apply(t,
		group("2", "acme", 5, map[string]any{"name": "ACME Old", "industry": "tools"}),
		group("1", "acme", 20, map[string]any{"employees": 60.0}),
		group("1", "acme", 21, nil),
	)
	acc := v.of(t, rapport.IdentityGroupID, "acme")
	if acc.Kind != rapport.ProfileAccount {
		t.Errorf("account kind = %q, want %q", acc.Kind, rapport.ProfileAccount)
	}
	want := map[string]any{"name": "Acme", "employees": 60.0, "industry": "tools"}
	for k, w := range want {
		if got := acc.Traits[k]; got != w {
			t.Errorf("account trait %s = %v, want %v", k, got, w)
		}
	}
	for _, user := range []string{"1", "2"} {
		p := v.user(t, user)
		if len(p.Groups) != 1 || p.Groups[0] != "acme" {
			t.Errorf("user %s groups = %v, want [acme]", user, p.Groups)
		}
		if p.Traits["name"] != nil {
			t.Errorf("user %s got the account's name trait %v", user, p.Traits["name"])
		}
	}
	if got := v.persons(); got != 2 {
		t.Errorf("persons = %d, want 2", got)
	}
}
