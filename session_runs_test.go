package rapport

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
)

var runsStart = time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)

// minute returns runsStart plus m minutes.
func minute(m int) time.Time { return runsStart.Add(time.Duration(m) * time.Minute) }

func TestSessionHistoryCounts(t *testing.T) {
	type visit struct {
		at int
		id string
	}
	tests := []struct {
		name   string
		visits []visit
		want   int64
		runs   int
	}{
		{"one event", []visit{{0, ""}}, 1, 1},
		{"30 minutes apart is one session", []visit{{0, ""}, {30, ""}, {60, ""}}, 1, 1},
		{"31 minutes apart is two", []visit{{0, ""}, {31, ""}}, 2, 2},
		{"a late event bridges two runs", []visit{{0, ""}, {50, ""}, {25, ""}}, 1, 1},
		{"two ids in one run", []visit{{0, "a"}, {5, "b"}, {6, "a"}}, 2, 1},
		{"events without an id join the run of an id", []visit{{0, "a"}, {10, ""}}, 1, 1},
		{"an event older than the window is not counted", []visit{{0, ""}, {-(HistoryDays + 1) * 24 * 60, ""}}, 1, 1},
		{"runs out of the window are kept as a count", []visit{{0, ""}, {60, ""}, {(HistoryDays + 1) * 24 * 60, ""}}, 3, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h SessionHistory
			for _, v := range tt.visits {
				h.Add(minute(v.at), v.id, HistoryDays)
			}
			if got := h.Count(); got != tt.want || len(h.Runs) != tt.runs {
				t.Errorf("count %d in %d runs, want %d in %d: %+v", got, len(h.Runs), tt.want, tt.runs, h)
			}
		})
	}
}

func TestSessionHistoryIDsAreBounded(t *testing.T) {
	var h SessionHistory
	for i := range 3 * MaxRunSessionIDs {
		h.Add(minute(i), strings.Repeat("x", i%7)+string(rune('a'+i%26))+string(rune('A'+i/26)), HistoryDays)
	}
	if len(h.Runs) != 1 || h.Count() != MaxRunSessionIDs {
		t.Errorf("%d runs, %d sessions, want 1 run of %d", len(h.Runs), h.Count(), MaxRunSessionIDs)
	}
}

// TestSessionHistoryOrderIndependent adds the same visits in random
// orders, split at random between two histories merged at the end, and
// wants the same runs every time.
func TestSessionHistoryOrderIndependent(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	type visit struct {
		at time.Time
		id string
	}
	var visits []visit
	for i := range 300 {
		id := ""
		if i%3 == 0 {
			id = []string{"s1", "s2", "s3"}[rng.IntN(3)]
		}
		visits = append(visits, visit{runsStart.Add(time.Duration(rng.IntN(20*24*60)) * time.Minute), id})
	}
	var want SessionHistory
	for _, v := range visits {
		want.Add(v.at, v.id, HistoryDays)
	}
	for range 50 {
		rng.Shuffle(len(visits), func(i, j int) { visits[i], visits[j] = visits[j], visits[i] })
		var a, b SessionHistory
		for _, v := range visits {
			if rng.IntN(2) == 0 {
				a.Add(v.at, v.id, HistoryDays)
			} else {
				b.Add(v.at, v.id, HistoryDays)
			}
		}
		a.Merge(&b, HistoryDays)
		if !reflect.DeepEqual(a, want) {
			t.Fatalf("shuffled and merged: %d sessions in %d runs, want %d in %d", a.Count(), len(a.Runs), want.Count(), len(want.Runs))
		}
	}
}

func TestSessionHistoryJSON(t *testing.T) {
	var h SessionHistory
	h.Add(minute(0), "", HistoryDays)
	h.Add(minute(90), `say "hi"`, HistoryDays)
	h.Add(minute(95), "7", HistoryDays)
	h.Before = 4
	b, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"runs":[[1777622400,0],[5400,300,"7","say \"hi\""]],"before":4}`; string(b) != want {
		t.Errorf("JSON %s, want %s", b, want)
	}
	var back SessionHistory
	if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back, h) {
		t.Errorf("round trip: %+v, %v; want %+v", back, err, h)
	}
	for _, bad := range []string{`{"runs":[[1]]}`, `{"runs":[[1,-1]]}`, `{"runs":[["a",1]]}`, `{"runs":[[1,2],[0,1]]}`,
		`{"runs":[[1,2,3]]}`, `{"runs":[[9223372036854775807,1]]}`, `{"runs":{}}`} {
		var h SessionHistory
		if err := json.Unmarshal([]byte(bad), &h); err == nil {
			t.Errorf("%s: no error, got %+v", bad, h)
		}
	}
}

// FuzzSessionHistoryJSON checks that whatever a stored profile holds,
// decoding its runs either fails or gives runs in order that encode and
// decode to themselves.
func FuzzSessionHistoryJSON(f *testing.F) {
	for _, s := range []string{`{"runs":[[1,2]]}`, `{"runs":[[1,2,"a","b"],[3000,0]],"before":2}`, `{"runs":[[2,-1]]}`,
		`{"runs":[[-86400,0],[18000,0,"s"]]}`, `{"runs":[[-9223372036854775808,1]]}`,
		`{"runs":[]}`, `{"runs":[[1,2],[0,3]]}`, `null`, `{"runs":[[1e3,2000]]}`, `{"runs":[[1, 2 , "x\u0041"]]}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var h SessionHistory
		if err := json.Unmarshal([]byte(s), &h); err != nil {
			return
		}
		if fast, ok := parseSessionHistory([]byte(s)); ok {
			if slow, err := decodeSessionHistory([]byte(s)); err != nil || !reflect.DeepEqual(fast, slow) {
				t.Fatalf("%s: parsed directly %+v, through encoding/json %+v, %v", s, fast, slow, err)
			}
		}
		for i, r := range h.Runs {
			if r.End < r.Start || (i > 0 && r.Start <= h.Runs[i-1].End) {
				t.Fatalf("%s decoded to runs out of order: %+v", s, h.Runs)
			}
		}
		b, err := json.Marshal(h)
		if err != nil {
			t.Fatal(err)
		}
		var back SessionHistory
		if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back, h) {
			t.Fatalf("%s: round trip of %+v gave %+v, %v", s, h, back, err)
		}
	})
}

func TestFirstsKeepTheEarliest(t *testing.T) {
	var a, b Firsts
	a.SeeEvent("page", minute(10))
	a.SeeEvent("page", minute(5))
	b.SeeEvent("page", minute(7))
	b.SeeIdentity(IdentityEmail, minute(3))
	for i := range MaxFirstOrders + 5 {
		if i%2 == 0 {
			a.SeeOrder(minute(100 - i))
		} else {
			b.SeeOrder(minute(100 - i))
		}
	}
	a.Merge(&b)
	page, _ := a.Event("page")
	email, _ := a.Identity(IdentityEmail)
	if !page.Equal(minute(5)) || !email.Equal(minute(3)) {
		t.Errorf("firsts %+v", a)
	}
	if len(a.Orders) != MaxFirstOrders || a.Orders[0] != minute(100-MaxFirstOrders-4).UnixMilli() {
		t.Errorf("orders %v, want the earliest %d", a.Orders, MaxFirstOrders)
	}
}

// TestSessionHistoryMergeIsSymmetric merges a recent history with one
// whose runs are older than the merged window, both ways: the old runs
// count in Before either way.
func TestSessionHistoryMergeIsSymmetric(t *testing.T) {
	day := 24 * 60
	var recent, old SessionHistory
	recent.Add(minute(500*day), "", HistoryDays)
	old.Add(minute(0), "", HistoryDays)
	old.Add(minute(day), "", HistoryDays)
	x, y := recent.Clone(), old.Clone()
	x.Merge(&old, HistoryDays)
	y.Merge(&recent, HistoryDays)
	if x.Count() != 3 || y.Count() != 3 {
		t.Errorf("merged: %d one way, %d the other; want 3", x.Count(), y.Count())
	}
}

// TestSessionHistoryBefore1970 stores runs of events before 1970, whose
// first gap is negative.
func TestSessionHistoryBefore1970(t *testing.T) {
	var h SessionHistory
	h.Add(time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC), "", HistoryDays)
	h.Add(time.Date(1969, 12, 31, 5, 0, 0, 0, time.UTC), "s", HistoryDays)
	b, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	var back SessionHistory
	if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back, h) {
		t.Errorf("%s: decoded %+v, %v; want %+v", b, back, err, h)
	}
	slow, err := decodeSessionHistory(b)
	if err != nil || !reflect.DeepEqual(slow, h) {
		t.Errorf("%s through encoding/json: %+v, %v", b, slow, err)
	}
}
