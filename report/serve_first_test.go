package report_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/economics"
	"github.com/rapportdev/rapport/report"
)

func TestServeFirstShop(t *testing.T) {
	rep, err := report.ServeFirst(context.Background(), shop(t), economics.Defaults(), now, 2)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Customers != 3 || rep.Limit != 2 || len(rep.Ranking) != 2 {
		t.Fatalf("%d customers, limit %d, %d ranked; want 3, 2, 2", rep.Customers, rep.Limit, len(rep.Ranking))
	}
	all, err := report.ServeFirst(context.Background(), shop(t), economics.Defaults(), now, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Ranking) != 3 {
		t.Fatalf("limit 0 ranked %d, want all 3", len(all.Ranking))
	}
	for i, r := range rep.Ranking {
		if r.Rank != i+1 || r.ProfileID != all.Ranking[i].ProfileID {
			t.Errorf("rank %d: %s, want the full ranking's %s", r.Rank, r.ProfileID, all.Ranking[i].ProfileID)
		}
	}
	var b bytes.Buffer
	if err := all.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || rows[0][0] != "rank" || rows[0][1] != "profile_id" || rows[0][12] != "flagged" {
		t.Fatalf("CSV %q", rows)
	}
	for _, row := range rows[1:] {
		if row[1] == "p_b" && row[2] != "'=bob" {
			t.Errorf("user id %q, want it quoted against formulas", row[2])
		}
	}
}

// population stores n customers who buy at their own weekly rate until
// they stop, observed for up to a year; every tenth is served at a high
// cost (service_effort 10 and a hundred messages).
func population(t testing.TB, n int) rapport.Store {
	t.Helper()
	rng := rand.New(rand.NewPCG(7, 11))
	profiles := make([]*rapport.Profile, n)
	for i := range profiles {
		first := weeksAgo(4 + 48*rng.Float64())
		rate := rng.ExpFloat64() * 0.3 // purchases a week
		last, orders, revenue := first, int64(1), 20+80*rng.Float64()
		aov := revenue
		for at := first; ; {
			at = at.Add(time.Duration(rng.ExpFloat64() / rate * float64(7*24*time.Hour)))
			if at.After(now) || rng.IntN(10) == 0 {
				break
			}
			last, orders, revenue = at, orders+1, revenue+aov*(0.5+rng.Float64())
		}
		traits, events := map[string]any{}, map[string]int64{"Email Sent": int64(rng.IntN(20))}
		if i%10 == 0 {
			traits["service_effort"], events["Email Sent"] = 10.0, 100
		}
		profiles[i] = person(fmt.Sprintf("p%04d", i), fmt.Sprintf("u%d", i), traits, rapport.Aggregates{
			FirstSeen: first, Orders: orders, Revenue: revenue, AverageOrderValue: revenue / float64(orders),
			FirstOrderAt: first, LastOrderAt: last, Events: events})
	}
	st := openStore(t)
	putProfiles(t, st, profiles)
	return st
}

// TestServeFirstPopulation checks the ranking on a fitted population: the
// order is by expected net value, the flag is CLV below expected cost, and
// the costly tenth are flagged far more often than the rest.
func TestServeFirstPopulation(t *testing.T) {
	rep, err := report.ServeFirst(context.Background(), population(t, 400), economics.Defaults(), now, 0)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Model.BGNBD == nil || !rep.Model.BGNBD.Converged || rep.Model.Spend != economics.SpendGammaGamma {
		t.Fatalf("model %+v: want both models fitted", rep.Model)
	}
	flagged, costlyFlagged := 0, 0
	for i, r := range rep.Ranking {
		if i > 0 && r.ExpectedNet > rep.Ranking[i-1].ExpectedNet {
			t.Errorf("rank %d (%s) has expected net %v above rank %d's %v", r.Rank, r.ProfileID, r.ExpectedNet, i, rep.Ranking[i-1].ExpectedNet)
		}
		if !r.Modelled || r.Flagged != (r.CLV < r.ExpectedCost) {
			t.Errorf("%s: modelled %v, flagged %v with CLV %v and expected cost %v", r.ProfileID, r.Modelled, r.Flagged, r.CLV, r.ExpectedCost)
		}
		if r.Flagged {
			flagged++
			if r.CostToServe >= 100 {
				costlyFlagged++
			}
		}
	}
	if flagged != rep.Flagged || rep.Customers != 400 {
		t.Errorf("%d flagged in the ranking, report says %d of %d", flagged, rep.Flagged, rep.Customers)
	}
	if costlyFlagged < 30 || flagged-costlyFlagged > 180 {
		t.Errorf("%d of the 40 costly customers flagged and %d of the other 360: want most costly ones, few others", costlyFlagged, flagged-costlyFlagged)
	}
	t.Logf("bg/nbd %+v; gamma-gamma %+v; %d flagged (%d costly)", rep.Model.BGNBD.BGNBD, rep.Model.GammaGamma.GammaGamma, flagged, costlyFlagged)
}

func TestServeFirstRefusesNegativeLimit(t *testing.T) {
	if _, err := report.ServeFirst(context.Background(), shop(t), economics.Defaults(), now, -1); err == nil {
		t.Error("limit -1 accepted")
	}
}
