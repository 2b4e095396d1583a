package http_test

import (
	"encoding/json"
	"slices"
	"testing"
)

// TestAdminPagingFollowsNext walks each list by its next links and checks
// that every item comes once, in order, and that the walk ends.
func TestAdminPagingFollowsNext(t *testing.T) {
	f := newAdminFixture(t)
	tests := []struct {
		name      string
		first     string
		wantIDs   []string
		wantPages int
	}{
		{"events", "/api/v1/profiles/p_ann/events?limit=2",
			[]string{"m-a5", "m-a4", "m-a3", "m-a2", "m-a1"}, 3},
		{"profiles", "/api/v1/profiles?limit=1",
			[]string{"p_acme", "p_ann", "p_bob"}, 3},
		{"profiles of a kind", "/api/v1/profiles?kind=person&limit=1",
			[]string{"p_ann", "p_bob"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ids, pages := walkAdminPages(t, f, tt.first)
			if !slices.Equal(ids, tt.wantIDs) || pages != tt.wantPages {
				t.Errorf("got %v in %d pages, want %v in %d", ids, pages, tt.wantIDs, tt.wantPages)
			}
		})
	}
}

// walkAdminPages follows next links from first and returns the ids (event
// messageIds or profile ids) in the order seen and the number of pages.
func walkAdminPages(t *testing.T, f *adminFixture, first string) ([]string, int) {
	t.Helper()
	var ids []string
	pages := 0
	for next := first; next != "" && pages < 10; pages++ {
		status, _, body := f.do(t, "GET", next, "", adminHeaders())
		if status != 200 {
			t.Fatalf("GET %s: got status %d, want 200; body %s", next, status, body)
		}
		var page struct {
			Events   []struct{ MessageID string } `json:"events"`
			Profiles []struct{ ID string }        `json:"profiles"`
			Next     string                       `json:"next"`
		}
		if err := json.Unmarshal([]byte(body), &page); err != nil {
			t.Fatalf("GET %s: decode: %v", next, err)
		}
		for _, e := range page.Events {
			ids = append(ids, e.MessageID)
		}
		for _, p := range page.Profiles {
			ids = append(ids, p.ID)
		}
		next = page.Next
	}
	return ids, pages
}
