package leads_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/leads"
	"github.com/rapportdev/rapport/sqlite"
)

// BenchmarkIntake takes batches of 100 leads, a third of them people
// already known, into a SQLite store, with the events appended to a
// collector: the intake path without HTTP and without the event log.
func BenchmarkIntake(b *testing.B) {
	st, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "rapport.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	svc := leads.New(leads.Config{Store: st, Ingest: discard{}, Clock: &clock{t: t0.Add(2 * time.Minute)}})
	v := &rapport.Vendor{ID: "v1", Name: "V", Price: 10, Active: true}
	if err := svc.CreateVendor(context.Background(), v); err != nil {
		b.Fatal(err)
	}
	n := 0
	b.ReportAllocs()
	for b.Loop() {
		batch := make([]rapport.Lead, 100)
		for i := range batch {
			n++
			p := n
			if n%3 == 0 {
				p = n / 2
			}
			batch[i] = newLead(fmt.Sprint(n), fmt.Sprintf("p%d@example.com", p), "")
			batch[i].Person.LastName = fmt.Sprint("L", p)
		}
		res, err := svc.Intake(context.Background(), v, batch)
		if err != nil || res[0].Error != "" {
			b.Fatal(err, res[0].Error)
		}
	}
	b.ReportMetric(float64(b.N*100)/b.Elapsed().Seconds(), "leads/s")
}

type discard struct{}

func (discard) Append(context.Context, []rapport.Event) error { return nil }
