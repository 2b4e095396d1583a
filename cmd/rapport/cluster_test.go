package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/cluster"
)

// writeBlobsCSV writes n rows of three columns around three far-apart
// centres, the columns in very different units, and returns the file.
func writeBlobsCSV(t *testing.T, n int) string {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	b.WriteString("visits,spend,note\n")
	for i := range n {
		c := i % 3
		fmt.Fprintf(&b, "%.3f,%.2f,%d\n", float64(c*10)+rng.NormFloat64(), 1000*float64(c%2)+50*rng.NormFloat64(), i%7)
	}
	path := filepath.Join(t.TempDir(), "blobs.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// runClusterArgs runs `rapport cluster ARGS...` in process and decodes its
// line.
func runClusterArgs(t *testing.T, args ...string) (clusterReport, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	var rep clusterReport
	if err := runCluster(context.Background(), args, &stdout, &stderr); err != nil {
		return rep, err
	}
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("output %q: %v", stdout.String(), err)
	}
	return rep, nil
}

func TestClusterCSV(t *testing.T) {
	path := writeBlobsCSV(t, 600)
	tests := []struct {
		name           string
		args           []string
		wantK          int
		wantSilhouette bool
		wantColumns    int
	}{
		{"given k", []string{"--k", "3", "--columns", "visits,spend"}, 3, false, 2},
		{"chosen k", []string{"--columns", "visits, spend", "--kmax", "5"}, 3, true, 2},
		{"raw values, every column", []string{"--k", "2", "--no-standardize", "--n-init", "3", "--seed", "9"}, 2, false, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := runClusterArgs(t, append([]string{"--csv", path}, tt.args...)...)
			if err != nil {
				t.Fatal(err)
			}
			if rep.K != tt.wantK || len(rep.Sizes) != tt.wantK || len(rep.Centers) != tt.wantK || rep.Rows != 600 {
				t.Errorf("k %d, sizes %v, %d centres, %d rows; want k %d of 600 rows", rep.K, rep.Sizes, len(rep.Centers), rep.Rows, tt.wantK)
			}
			if (rep.Silhouette != nil) != tt.wantSilhouette || len(rep.Columns) != tt.wantColumns {
				t.Errorf("silhouette %v, columns %v", rep.Silhouette, rep.Columns)
			}
			if rep.Inertia <= 0 || rep.Iterations < 1 || !rep.Converged {
				t.Errorf("implausible %+v", rep)
			}
		})
	}
}

func TestClusterLabelsOut(t *testing.T) {
	path := writeBlobsCSV(t, 90)
	out := filepath.Join(t.TempDir(), "labels.csv")
	rep, err := runClusterArgs(t, "--csv", path, "--columns", "visits,spend", "--k", "3", "--labels-out", out)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 91 || lines[0] != "cluster" {
		t.Fatalf("%d lines starting %q, want a header and 90 labels", len(lines), lines[0])
	}
	// Rows i and i+3 come from the same centre: same label.
	for i := 1; i+3 < len(lines); i++ {
		if lines[i] != lines[i+3] {
			t.Fatalf("rows %d and %d: labels %s and %s", i, i+3, lines[i], lines[i+3])
		}
	}
	if rep.Sizes[0] != 30 || rep.Sizes[1] != 30 {
		t.Errorf("sizes %v, want 30 each", rep.Sizes)
	}
}

func TestClusterErrors(t *testing.T) {
	good := writeBlobsCSV(t, 30)
	bad := filepath.Join(t.TempDir(), "bad.csv")
	if err := os.WriteFile(bad, []byte("a,b\n1,2\n3,oops\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no source", []string{"--k", "2"}, "--csv FILE, or --data DIR / --postgres URL, is required"},
		{"csv and store", []string{"--csv", good, "--data", t.TempDir()}, "not both"},
		{"labels from the store", []string{"--data", t.TempDir(), "--labels-out", "x.csv"}, "--labels-out is for --csv"},
		{"dry run of a csv", []string{"--csv", good, "--dry-run"}, "are for the store"},
		{"negative top categories", []string{"--data", t.TempDir(), "--top-categories", "-1"}, "--top-categories -1"},
		{"k and range", []string{"--csv", good, "--k", "2", "--kmax", "4"}, "not both"},
		{"bad range", []string{"--csv", good, "--kmin", "1"}, "kmin 1"},
		{"zero k", []string{"--csv", good, "--k", "0"}, "--k 0"},
		{"zero n-init", []string{"--csv", good, "--k", "2", "--n-init", "0"}, "--n-init"},
		{"stray argument", []string{"--csv", good, "extra"}, `unexpected argument "extra"`},
		{"missing file", []string{"--csv", filepath.Join(t.TempDir(), "nope.csv")}, "no such file"},
		{"bad value", []string{"--csv", bad, "--k", "2"}, `line 3 column "b"`},
		{"unknown column", []string{"--csv", good, "--columns", "visits,age"}, `no column "age"`},
		{"k above rows", []string{"--csv", good, "--k", "31"}, "exceeds the 30 rows"},
		{"unknown flag", []string{"--csv", good, "--kk", "2"}, "not defined"},
	}
	t.Setenv("RAPPORT_POSTGRES", "")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := runClusterArgs(t, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// seedCustomers stores n customers of two kinds (big in-store baskets,
// small online ones), two people without orders and an account, and
// returns the ids of the customers of each kind.
func seedCustomers(t *testing.T, data string, n int) (store, online []string) {
	t.Helper()
	now := time.Now().UTC()
	var profiles []*rapport.Profile
	for i := range n {
		p := &rapport.Profile{ID: fmt.Sprintf("p_%03d", i), Kind: rapport.ProfilePerson, Traits: map[string]any{"age": float64(30 + i%7)},
			CreatedAt: now, UpdatedAt: now}
		a := &p.Aggregates
		a.Orders, a.LastOrderAt, a.FirstOrderAt = 2, now.Add(-time.Duration(i)*time.Hour), now.AddDate(0, -3, 0)
		if i%2 == 0 {
			a.Revenue, a.PurchaseChannels, a.Categories = 600+float64(i), map[string]int64{"in-store": 2}, map[string]float64{"Jackets": 600}
			store = append(store, p.ID)
		} else {
			a.Revenue, a.PurchaseChannels, a.Categories = 40+float64(i), map[string]int64{"web": 2}, map[string]float64{"Socks": 40}
			online = append(online, p.ID)
		}
		a.AverageOrderValue = a.Revenue / 2
		profiles = append(profiles, p)
	}
	profiles = append(profiles,
		&rapport.Profile{ID: "p_browser_1", Kind: rapport.ProfilePerson, CreatedAt: now, UpdatedAt: now},
		&rapport.Profile{ID: "p_browser_2", Kind: rapport.ProfilePerson, CreatedAt: now, UpdatedAt: now},
		&rapport.Profile{ID: "p_account", Kind: rapport.ProfileAccount, Aggregates: rapport.Aggregates{Orders: 9, Revenue: 9000}, CreatedAt: now, UpdatedAt: now})
	withStore(t, data, func(st rapport.Store) {
		if err := st.ApplyChanges(context.Background(), rapport.Changes{Profiles: profiles}); err != nil {
			t.Fatal(err)
		}
	})
	return store, online
}

func TestClusterStoreInProcess(t *testing.T) {
	data := t.TempDir()
	inStore, online := seedCustomers(t, data, 20)
	ctx := context.Background()
	withStore(t, data, func(st rapport.Store) {
		if err := st.PutSegment(ctx, &rapport.Segment{ID: "cluster-2", Name: "Hand-made", Kind: rapport.SegmentRule, Expression: "true"}); err != nil {
			t.Fatal(err)
		}
	})
	if _, err := runClusterArgs(t, "--data", data, "--k", "2"); err == nil || !strings.Contains(err.Error(), "cluster-2 is a rule segment") {
		t.Fatalf("clustering over a rule segment's id: %v", err)
	}
	withStore(t, data, func(st rapport.Store) {
		if err := st.DeleteSegment(ctx, "cluster-2"); err != nil {
			t.Fatal(err)
		}
	})

	rep, err := runClusterArgs(t, "--data", data, "--kmax", "4", "--columns", "average_order_value,share_online")
	if err != nil {
		t.Fatal(err)
	}
	if rep.K != 2 || rep.Rows != 20 || rep.Profiles != 23 || !slices.Equal(rep.Columns, []string{"average_order_value", "share_online"}) || len(rep.Segments) != 2 {
		t.Fatalf("report %+v: want k 2 over the 20 customers of 23 profiles, on the 2 features asked for", rep)
	}
	withStore(t, data, func(st rapport.Store) {
		for c, s := range rep.Segments {
			seg, err := st.FindSegment(ctx, s.ID)
			if err != nil {
				t.Fatal(err)
			}
			var p cluster.Persona
			if err := json.Unmarshal(seg.Persona, &p); err != nil || seg.Kind != rapport.SegmentCluster || seg.Name != s.Label || p.Label != s.Label || p.Cluster != c {
				t.Errorf("stored %+v (persona %v), reported %+v", seg, err, s)
			}
			members, total, err := st.FindMembers(ctx, s.ID, 0, 100)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, m := range members {
				ids = append(ids, m.ProfileID)
			}
			if total != 10 || !slices.Equal(ids, inStore) && !slices.Equal(ids, online) {
				t.Errorf("%s members %v, want one of the two kinds", s.ID, ids)
			}
		}
	})
	if _, err := runClusterArgs(t, "--data", data, "--kmin", "5", "--kmax", "30"); err != nil {
		t.Errorf("kmax above the customers is lowered to fit: %v", err)
	}
	if _, err := runClusterArgs(t, "--data", data, "--columns", "age,height"); err == nil || !strings.Contains(err.Error(), `no feature "height"`) {
		t.Errorf("unknown feature: %v", err)
	}
	if _, err := runClusterArgs(t, "--data", t.TempDir()); err == nil || !strings.Contains(err.Error(), "no customers") {
		t.Errorf("empty store: %v", err)
	}
}
