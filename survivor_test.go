package rapport_test

import (
	"context"
	"testing"

	"github.com/rapportdev/rapport"
)

// mergeRecords is a MergeFinder over a few profiles and merges.
type mergeRecords struct {
	exists map[string]bool
	merges []rapport.Merge
}

func (m mergeRecords) FindProfileByID(_ context.Context, id string) (*rapport.Profile, error) {
	if !m.exists[id] {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "profile %s not found", id)
	}
	return &rapport.Profile{ID: id}, nil
}

func (m mergeRecords) FindMerges(_ context.Context, id string) ([]rapport.Merge, error) {
	var out []rapport.Merge
	for _, x := range m.merges {
		if x.From == id || x.Into == id {
			out = append(out, x)
		}
	}
	return out, nil
}

func TestFindSurvivor(t *testing.T) {
	s := mergeRecords{exists: map[string]bool{"c": true},
		merges: []rapport.Merge{{From: "a", Into: "b"}, {From: "b", Into: "c"}, {From: "x", Into: "gone"},
			{From: "p", Into: "q"}, {From: "q", Into: "p"}}}
	for id, want := range map[string]string{"a": "c", "b": "c", "x": "", "never": "", "p": ""} {
		got, err := rapport.FindSurvivor(context.Background(), s, id)
		if err != nil || got != want {
			t.Errorf("FindSurvivor(%s) = %q, %v; want %q", id, got, err, want)
		}
	}
}
