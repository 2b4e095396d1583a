package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/rapportdev/rapport/segment"
)

// segmentPredicate is one counted predicate, in the segment language and
// in SQL over bench_segment_profiles. Both must select the same rows.
type segmentPredicate struct {
	expr, sql string
}

// segmentPredicates go from one comparison to a compound of strings,
// numbers and traits (a boolean and an optional number).
var segmentPredicates = []segmentPredicate{
	{`orders >= 2`, `orders >= 2`},
	{`grade == "A" && engagement >= 70`, `grade = 'A' AND engagement >= 70`},
	{`stage in ["loyal_customer", "advocate"] && days_since_last_order <= 90`,
		`stage IN ('loyal_customer', 'advocate') AND days_since_last_order <= 90`},
	{`purchase_channels["in-store"] > 0 || revenue >= 500`, `in_store_orders > 0 OR revenue >= 500`},
	{`traits.influencer == true || (traits.followers ?? 0) >= 10000`,
		`influencer IS TRUE OR coalesce(followers, 0) >= 10000`},
	{`(grade in ["A", "B"] && engagement >= 50 || orders >= 5) && !(stage == "lapsed")`,
		`((grade IN ('A', 'B') AND engagement >= 50) OR orders >= 5) AND NOT (stage = 'lapsed')`},
}

// benchSegments measures segment counts over synthetic profiles held in
// memory as segment.Columns and, with --postgres, the same counts in SQL
// over the same rows in a PostgreSQL table. Load times are not counted;
// each count runs once to warm up, then --runs times, and the median is
// reported.
func benchSegments(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench segments", flag.ContinueOnError)
	fs.SetOutput(stderr)
	rows := fs.Int("rows", 10_000_000, "synthetic profiles")
	pgURL := fs.String("postgres", "", "PostgreSQL URL: also load the rows into table bench_segment_profiles (dropped and recreated) and time the counts in SQL")
	seed := fs.Uint64("seed", 1, "random seed of the profiles")
	runs := fs.Int("runs", 5, "timed runs per count")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *rows < 1 || *runs < 1 {
		return errors.New("bench segments: --rows and --runs must be at least 1")
	}
	segs, err := compilePredicates()
	if err != nil {
		return fmt.Errorf("bench segments: %w", err)
	}
	start := time.Now()
	before := heapInUse()
	cols := benchColumns(segs, *rows, *seed)
	fmt.Fprintf(stdout, "rows: %d (seed %d); columns built in %s, %.0f MiB in memory\n",
		*rows, *seed, time.Since(start).Round(time.Millisecond), float64(heapInUse()-before)/(1<<20))
	memMS, counts, err := timeColumns(segs, cols, *runs)
	if err != nil {
		return fmt.Errorf("bench segments: %w", err)
	}
	var pgMS []float64
	if *pgURL != "" {
		if pgMS, err = benchPostgres(ctx, *pgURL, *rows, *seed, *runs, counts, stdout); err != nil {
			return fmt.Errorf("bench segments: postgres: %w", err)
		}
	}
	writeSegmentTable(stdout, counts, memMS, pgMS)
	runtime.KeepAlive(cols)
	return nil
}

func compilePredicates() ([]*segment.Segment, error) {
	segs := make([]*segment.Segment, len(segmentPredicates))
	for i, p := range segmentPredicates {
		seg, err := segment.Compile(segment.Definition{ID: fmt.Sprint("p", i+1), Expression: p.expr})
		if err != nil {
			return nil, err
		}
		segs[i] = seg
	}
	return segs, nil
}

// benchProfile is one synthetic profile: what the predicates read.
type benchProfile struct {
	orders             int
	revenue            float64
	engagement         float64
	grade, stage       string
	daysSinceLastOrder float64
	inStoreOrders      int64
	followers          *float64 // nil when the trait is not set
	influencer         *bool
}

// profileGen draws profiles with the skew of a shop's customer base: two
// thirds never order, orders fall off exponentially, revenue follows
// orders, one in five has a follower count, one in fifty says whether
// they are an influencer. The same seed gives the same profiles.
type profileGen struct {
	r          *rand.Rand
	followers  float64
	influencer bool
}

var (
	benchGrades = []string{"A", "B", "B", "C", "C", "C", "D", "D", "D", "D"}
	benchStages = []string{"prospect", "prospect", "prospect", "lead", "lead", "new_customer",
		"repeat_customer", "loyal_customer", "advocate", "at_risk", "lapsed"}
)

func newProfileGen(seed uint64) *profileGen {
	return &profileGen{r: rand.New(rand.NewPCG(seed, seed^0x5eed))}
}

func (g *profileGen) next() benchProfile {
	r := g.r
	p := benchProfile{engagement: float64(r.IntN(101)), daysSinceLastOrder: segment.NeverDays}
	if r.IntN(3) == 0 {
		p.orders = 1 + int(r.ExpFloat64()*1.5)
		p.daysSinceLastOrder = float64(r.IntN(730))
		if r.IntN(4) == 0 {
			p.inStoreOrders = 1 + r.Int64N(int64(p.orders))
		}
	}
	// Revenue in cents, so that float64 holds it exactly in both stores.
	p.revenue = float64(int(float64(p.orders)*(20+r.ExpFloat64()*60)*100)) / 100
	p.grade = benchGrades[r.IntN(len(benchGrades))]
	p.stage = benchStages[r.IntN(len(benchStages))]
	if r.IntN(5) == 0 {
		g.followers = float64(int(r.ExpFloat64() * 2000))
		p.followers = &g.followers
	}
	if r.IntN(50) == 0 {
		g.influencer = r.IntN(3) > 0
		p.influencer = &g.influencer
	}
	return p
}

// benchColumns builds the columns of n generated profiles through Env, as
// a full recompute does from stored profiles.
func benchColumns(segs []*segment.Segment, n int, seed uint64) *segment.Columns {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	cols := segment.NewColumns(segment.SchemaFor(segs...), now)
	cols.Grow(n)
	gen := newProfileGen(seed)
	env := segment.Env{Traits: map[string]any{}, PurchaseChannels: map[string]int64{}, Now: now}
	for range n {
		p := gen.next()
		clear(env.Traits)
		clear(env.PurchaseChannels)
		env.Orders, env.Revenue, env.Engagement = p.orders, p.revenue, p.engagement
		env.Grade, env.Stage, env.DaysSinceLastOrder = p.grade, p.stage, p.daysSinceLastOrder
		if p.inStoreOrders > 0 {
			env.PurchaseChannels["in-store"] = p.inStoreOrders
		}
		if p.followers != nil {
			env.Traits["followers"] = *p.followers
		}
		if p.influencer != nil {
			env.Traits["influencer"] = *p.influencer
		}
		cols.Append(&env)
	}
	return cols
}

// timeColumns counts each segment once to warm up, then runs times, and
// returns the median milliseconds and the counts.
func timeColumns(segs []*segment.Segment, cols *segment.Columns, runs int) ([]float64, []int, error) {
	ms := make([]float64, len(segs))
	counts := make([]int, len(segs))
	for i, seg := range segs {
		var err error
		ms[i], err = median(runs, func() error {
			counts[i], err = segment.Count(seg, cols)
			return err
		})
		if err != nil {
			return nil, nil, err
		}
	}
	return ms, counts, nil
}

// median runs f once unmeasured, then runs times, and returns the median
// duration in milliseconds.
func median(runs int, f func() error) (float64, error) {
	if err := f(); err != nil {
		return 0, err
	}
	ms := make([]float64, runs)
	for i := range ms {
		start := time.Now()
		if err := f(); err != nil {
			return 0, err
		}
		ms[i] = float64(time.Since(start).Microseconds()) / 1000
	}
	slices.Sort(ms)
	return ms[runs/2], nil
}

// benchPostgres loads the same profiles into bench_segment_profiles and
// times the SQL counts, which must equal the in-memory counts.
func benchPostgres(ctx context.Context, url string, rows int, seed uint64, runs int, want []int, stdout io.Writer) ([]float64, error) {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return nil, err
	}
	defer conn.Close(context.Background())
	start := time.Now()
	if err := loadProfiles(ctx, conn, rows, seed); err != nil {
		return nil, err
	}
	fmt.Fprintf(stdout, "postgres: loaded and analysed in %s (not counted below)\n", time.Since(start).Round(time.Millisecond))
	ms := make([]float64, len(segmentPredicates))
	for i, p := range segmentPredicates {
		var got int
		ms[i], err = median(runs, func() error {
			return conn.QueryRow(ctx, "SELECT count(*) FROM bench_segment_profiles WHERE "+p.sql).Scan(&got)
		})
		if err != nil {
			return nil, fmt.Errorf("count %s: %w", p.sql, err)
		}
		if got != want[i] {
			return nil, fmt.Errorf("%s: postgres counts %d, in memory %d", p.expr, got, want[i])
		}
	}
	return ms, nil
}

// loadProfiles drops and recreates bench_segment_profiles, copies the
// profiles in, and vacuums and analyses it so that the counts scan a
// settled table. The table is unlogged: it is scratch data.
func loadProfiles(ctx context.Context, conn *pgx.Conn, rows int, seed uint64) error {
	const create = `CREATE UNLOGGED TABLE bench_segment_profiles (
		id bigint PRIMARY KEY,
		orders integer NOT NULL,
		revenue double precision NOT NULL,
		engagement double precision NOT NULL,
		grade text NOT NULL,
		stage text NOT NULL,
		days_since_last_order double precision NOT NULL,
		in_store_orders bigint NOT NULL,
		followers double precision,
		influencer boolean
	)`
	for _, q := range []string{`DROP TABLE IF EXISTS bench_segment_profiles`, create} {
		if _, err := conn.Exec(ctx, q); err != nil {
			return err
		}
	}
	gen := newProfileGen(seed)
	i := 0
	src := pgx.CopyFromFunc(func() ([]any, error) {
		if i == rows {
			return nil, nil
		}
		p := gen.next()
		i++
		var followers, influencer any // NULL when the trait is not set
		if p.followers != nil {
			followers = *p.followers
		}
		if p.influencer != nil {
			influencer = *p.influencer
		}
		return []any{i, p.orders, p.revenue, p.engagement, p.grade, p.stage, p.daysSinceLastOrder,
			p.inStoreOrders, followers, influencer}, nil
	})
	cols := []string{"id", "orders", "revenue", "engagement", "grade", "stage", "days_since_last_order",
		"in_store_orders", "followers", "influencer"}
	if _, err := conn.CopyFrom(ctx, pgx.Identifier{"bench_segment_profiles"}, cols, src); err != nil {
		return fmt.Errorf("copy: %w", err)
	}
	_, err := conn.Exec(ctx, `VACUUM (ANALYZE) bench_segment_profiles`)
	return err
}

// writeSegmentTable prints one line per predicate: its count, the median
// milliseconds in memory and in PostgreSQL, and how many times faster
// memory is.
func writeSegmentTable(w io.Writer, counts []int, memMS, pgMS []float64) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "predicate\tcount\tin-memory ms\tpostgres ms\tratio\t")
	for i, p := range segmentPredicates {
		pg, ratio := "-", "-"
		if pgMS != nil {
			pg = fmt.Sprintf("%.1f", pgMS[i])
			ratio = fmt.Sprintf("%.0f×", pgMS[i]/max(memMS[i], 0.001))
		}
		fmt.Fprintf(tw, "%s\t%d\t%.1f\t%s\t%s\t\n", p.expr, counts[i], memMS[i], pg, ratio)
	}
	tw.Flush()
}
