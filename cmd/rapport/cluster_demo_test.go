package main

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/cluster"
	"github.com/rapportdev/rapport/demo"
)

// TestClusterFindsDemoPersonas loads the demo into a store, runs
// `rapport cluster` on it and compares the stored buckets with the
// personas the demo planted: the same groups, and persona cards that say
// what each group is. The demo's shop has four personas; the people who
// bought after coming as vendors' leads (demo/leads.go: one large
// purchase a year, online) are a fifth group.
func TestClusterFindsDemoPersonas(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server and cluster processes; skipped with -short")
	}
	data := t.TempDir()
	loadDemoStore(t, data)
	ctx := context.Background()
	withStore(t, data, func(st rapport.Store) {
		// A rule segment must survive; the last run's buckets must not.
		for _, s := range []*rapport.Segment{{ID: "vip", Name: "VIP", Kind: rapport.SegmentRule, Expression: "true"},
			{ID: "cluster-9", Name: "Stale bucket", Kind: rapport.SegmentCluster}} {
			if err := st.PutSegment(ctx, s); err != nil {
				t.Fatal(err)
			}
		}
	})

	rep := runClusterProcess(t, "--data", data, "--seed", "1")
	t.Logf("k %d, silhouette %.3f, sizes %v", rep.K, *rep.Silhouette, rep.Sizes)
	for _, s := range rep.Segments {
		t.Logf("%s %q (%d): %s", s.ID, s.Label, s.Size, s.Story)
	}
	planted := demo.Personas(1, demo.DefaultPeople)
	for _, o := range demoLeadBuyers() {
		planted[o] = leadBuyers
	}
	segments, members := storedBuckets(t, data)
	if ids := segmentIDs(segments); !slices.Equal(ids, []string{"cluster-1", "cluster-2", "cluster-3", "cluster-4", "cluster-5", "vip"}) {
		t.Fatalf("segments %v, want the 5 new buckets and the rule segment", ids)
	}
	var found, want []int
	code := map[string]int{}
	for c, seg := range segments[:rep.K] {
		if seg.Name != rep.Segments[c].Label || seg.Description != rep.Segments[c].Story || len(members[seg.ID]) != rep.Sizes[c] {
			t.Errorf("stored %s %q with %d members; reported %+v", seg.ID, seg.Name, len(members[seg.ID]), rep.Segments[c])
		}
		for _, user := range members[seg.ID] {
			label, ok := planted[user]
			if !ok {
				t.Fatalf("%s in %s is not one of the demo's buyers", user, seg.ID)
			}
			if _, ok := code[label]; !ok {
				code[label] = len(code)
			}
			found, want = append(found, c), append(want, code[label])
		}
	}
	if len(found) != len(planted) {
		t.Errorf("%d customers in buckets, the demo has %d buyers", len(found), len(planted))
	}
	ari, err := cluster.AdjustedRand(found, want)
	if err != nil || ari < 0.9 {
		t.Fatalf("adjusted Rand index %.3f (%v) between the buckets and the planted personas, want ≥ 0.9", ari, err)
	}
	t.Logf("adjusted Rand index %.3f", ari)
	checkPersonaCards(t, segments[:rep.K], members, planted)

	// A second run with another k replaces the buckets, members and all.
	rep = runClusterProcess(t, "--data", data, "--k", "3")
	segments, members = storedBuckets(t, data)
	if ids := segmentIDs(segments); !slices.Equal(ids, []string{"cluster-1", "cluster-2", "cluster-3", "vip"}) || rep.K != 3 {
		t.Fatalf("after --k 3: segments %v", ids)
	}
	if n := len(members["cluster-1"]) + len(members["cluster-2"]) + len(members["cluster-3"]); n != len(planted) {
		t.Errorf("after --k 3: %d members, want %d", n, len(planted))
	}
	// A dry run describes and stores nothing.
	rep = runClusterProcess(t, "--data", data, "--dry-run", "--k", "2")
	if segments, _ = storedBuckets(t, data); len(segments) != 4 || len(rep.Segments) != 2 {
		t.Errorf("a dry run with k 2 left %d segments and reported %d", len(segments), len(rep.Segments))
	}
}

// leadBuyers is the planted label of the demo's lead buyers.
const leadBuyers = "lead buyers"

// demoLeadBuyers returns the user ids of the demo's people who bought
// after coming as leads.
func demoLeadBuyers() []string {
	_, orders := demo.Leads(time.Now())
	var users []string
	for _, o := range orders {
		for _, ev := range o.Events {
			if ev.Event == rapport.EventOrderCompleted && !slices.Contains(users, ev.UserID) {
				users = append(users, ev.UserID)
			}
		}
	}
	return users
}

// loadDemoStore runs `rapport serve --demo` on data until the processor
// has applied every demo event, then stops it.
func loadDemoStore(t *testing.T, data string) {
	t.Helper()
	srv := startServer(t, "--data", data, "--demo")
	waitFor(t, 60*time.Second, func() bool {
		appended, applied := metric(t, srv.URL, "rapport_log_appended_seq"), metric(t, srv.URL, "rapport_processor_applied_seq")
		return appended > 0 && applied >= appended
	})
	srv.stop(t)
}

// metric reads one unlabelled gauge from /metrics, -1 when absent.
func metric(t *testing.T, url, name string) float64 {
	t.Helper()
	resp, err := http.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), name+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			return f
		}
	}
	return -1
}

// runClusterProcess runs `rapport cluster ARGS...` as a process and
// decodes its line.
func runClusterProcess(t *testing.T, args ...string) clusterReport {
	t.Helper()
	cmd := exec.Command(rapportBinary(t), append([]string{"cluster"}, args...)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("rapport cluster %v: %v\n%s", args, err, stderr.String())
	}
	var rep clusterReport
	if err := json.Unmarshal(out, &rep); err != nil {
		t.Fatalf("rapport cluster printed %q: %v", out, err)
	}
	return rep
}

// withStore opens the store in data for f.
func withStore(t *testing.T, data string, f func(rapport.Store)) {
	t.Helper()
	sf := storeFlags{data: data}
	b, err := sf.open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	f(b.Store)
}

// storedBuckets returns the stored segments by id, the cluster segments
// first (their ids sort before "vip"), and each one's members by userId.
func storedBuckets(t *testing.T, data string) ([]*rapport.Segment, map[string][]string) {
	t.Helper()
	var segments []*rapport.Segment
	members := map[string][]string{}
	withStore(t, data, func(st rapport.Store) {
		ctx := context.Background()
		var err error
		if segments, err = st.FindSegments(ctx); err != nil {
			t.Fatal(err)
		}
		for _, s := range segments {
			for offset := 0; ; {
				page, _, err := st.FindMembers(ctx, s.ID, offset, 100)
				if err != nil {
					t.Fatal(err)
				}
				if len(page) == 0 {
					break
				}
				offset += len(page)
				for _, m := range page {
					p, err := st.FindProfileByID(ctx, m.ProfileID)
					if err != nil {
						t.Fatal(err)
					}
					members[s.ID] = append(members[s.ID], p.UserID())
				}
			}
		}
	})
	return segments, members
}

func segmentIDs(segments []*rapport.Segment) []string {
	ids := make([]string, len(segments))
	for i, s := range segments {
		ids[i] = s.ID
	}
	return ids
}

// checkPersonaCards reads each bucket's persona card and checks it tells
// the persona most of its members follow: each planted persona gets one
// bucket, and its card says what a shop owner would say of it.
func checkPersonaCards(t *testing.T, segments []*rapport.Segment, members map[string][]string, planted map[string]string) {
	t.Helper()
	checks := map[string]func(p cluster.Persona) bool{
		demo.PersonaTrustedBrand: func(p cluster.Persona) bool {
			return strings.Contains(p.Story, "researches online and buys offline") && strings.Contains(p.Label, "special-occasion") &&
				p.TopBrands[0].Name == "Northpeak" && slices.Contains(p.Traits, cluster.TraitBrandLoyal) &&
				p.Medians[cluster.FeatureAverageOrderValue] >= 200
		},
		demo.PersonaInfluencer: func(p cluster.Persona) bool {
			f := p.Medians[cluster.FeatureFollowers]
			return f >= 1000 && f < 10000 && strings.Contains(p.Label, "influencers") && strings.Contains(p.Story, "followers") &&
				slices.Contains(p.Traits, cluster.TraitYoung) && slices.Contains(p.Traits, cluster.TraitOnline)
		},
		demo.PersonaRegular: func(p cluster.Persona) bool {
			return strings.Contains(p.Label, "regulars") && slices.Contains(p.Traits, cluster.TraitFrequent)
		},
		demo.PersonaBargain: func(p cluster.Persona) bool {
			return strings.Contains(p.Label, "bargain hunters") && strings.Contains(p.Story, "needs more help than most") &&
				slices.Contains(p.Traits, cluster.TraitSmallBasket) && p.Medians[cluster.FeatureServiceEffort] >= 7
		},
		leadBuyers: func(p cluster.Persona) bool {
			return strings.Contains(p.Story, "spends over a thousand per visit") && p.Medians[cluster.FeatureAverageOrderValue] >= 1000
		},
	}
	seen := map[string]string{}
	for _, seg := range segments {
		var p cluster.Persona
		if err := json.Unmarshal(seg.Persona, &p); err != nil {
			t.Fatalf("%s persona %s: %v", seg.ID, seg.Persona, err)
		}
		votes := map[string]int{}
		for _, user := range members[seg.ID] {
			votes[planted[user]]++
		}
		major := ""
		for label, n := range votes {
			if major == "" || n > votes[major] || n == votes[major] && label < major {
				major = label
			}
		}
		if other, dup := seen[major]; dup {
			t.Errorf("%s and %s are both mostly %q", other, seg.ID, major)
		}
		seen[major] = seg.ID
		if check := checks[major]; check == nil || !check(p) {
			t.Errorf("%s, mostly %q: card %q, %q, traits %v, medians %v, brands %v", seg.ID, major, p.Label, p.Story, p.Traits, p.Medians, p.TopBrands)
		}
	}
}
