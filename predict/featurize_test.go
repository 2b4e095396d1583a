package predict

import (
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
)

// tinyFeaturizer fits features on testdata/tiny.csv without its target.
func tinyFeaturizer(t *testing.T) (*Featurizer, *Dataset) {
	t.Helper()
	b, err := os.ReadFile("testdata/tiny.csv")
	if err != nil {
		t.Fatal(err)
	}
	d, err := mustRead(t, string(b)).Without("y")
	if err != nil {
		t.Fatal(err)
	}
	f, err := FitFeaturizer(d)
	if err != nil {
		t.Fatal(err)
	}
	return f, d
}

func TestFeaturizerNames(t *testing.T) {
	f, _ := tinyFeaturizer(t)
	want := []string{"age", "age=missing", "job=admin.", "job=blue-collar", "job=unknown", "visits", "visits=missing"}
	if !slices.Equal(f.Names, want) {
		t.Errorf("names %q, want %q", f.Names, want)
	}
}

func TestFeaturizerTransform(t *testing.T) {
	f, d := tinyFeaturizer(t)
	m, err := f.Transform(d)
	if err != nil {
		t.Fatal(err)
	}
	sd := math.Sqrt(200.0 / 3) // ages 30, 40, 50: mean 40
	want := [][]float64{
		{-10 / sd, 0, 1, 0, 0, -1, 0}, // visits 3 and 5: mean 4, sd 1
		{0, 0, 0, 0, 1, 0, 1},
		{10 / sd, 0, 0, 1, 0, 1, 0},
		{0, 1, 1, 0, 0, 0, 1}, // age missing: the mean (0) and the indicator
	}
	for i, w := range want {
		if got := m.Row(i); !approxEqual(got, w) {
			t.Errorf("row %d = %v, want %v", i, got, w)
		}
	}
}

func TestFeaturizerUnseenAndBad(t *testing.T) {
	f, _ := tinyFeaturizer(t)
	test := mustRead(t, "age,job,visits\n40,retired,4\n")
	m, err := f.Transform(test)
	if err != nil {
		t.Fatal(err)
	}
	if want := []float64{0, 0, 0, 0, 0, 0, 0}; !approxEqual(m.Row(0), want) {
		t.Errorf("unseen category: row %v, want %v (all zeros)", m.Row(0), want)
	}
	_, err = f.Transform(mustRead(t, "age,job,visits\n40,admin.,4\nold,admin.,4\n"))
	if err == nil || !strings.Contains(err.Error(), `line 3, column "age"`) {
		t.Errorf("non-number in a numeric column: error %v, want one naming line 3, column age", err)
	}
	_, err = f.Transform(mustRead(t, "age,visits\n40,4\n"))
	if err == nil || !strings.Contains(err.Error(), `no column "job"`) {
		t.Errorf("absent column: error %v, want one naming job", err)
	}
	x, err := f.Encode(map[string]string{"age": "50", "job": "unknown"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []float64{10 / math.Sqrt(200.0/3), 0, 0, 0, 1, 0, 1}; !approxEqual(x, want) {
		t.Errorf("Encode = %v, want %v", x, want)
	}
}

func approxEqual(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(a[i]-b[i]) > 1e-9 {
			return false
		}
	}
	return true
}

func TestFeaturizerKeepsFrequentCategories(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,plan\n")
	for i := range 500 {
		plan := "free"
		if i%5 == 0 {
			plan = "pro"
		}
		fmt.Fprintf(&b, "u%d,%s\n", i, plan)
	}
	f, err := FitFeaturizer(mustRead(t, b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if got := len(f.Columns[0].Categories); got != MaxCategories {
		t.Errorf("id column has %d categories, want %d", got, MaxCategories)
	}
	if got := f.Columns[1].Categories; !slices.Equal(got, []string{"free", "pro"}) {
		t.Errorf("plan categories %q, want free and pro", got)
	}
}
