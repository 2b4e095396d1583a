package predict

import (
	"slices"
	"testing"
)

func TestStratifiedSplit(t *testing.T) {
	classes := make([]string, 1000)
	for i := range classes {
		classes[i] = "no"
		if i%10 == 0 {
			classes[i] = "yes"
		}
	}
	train, test := StratifiedSplit(classes, 0.3, 7)
	if len(train) != 700 || len(test) != 300 {
		t.Fatalf("got %d train and %d test rows, want 700 and 300", len(train), len(test))
	}
	yes := 0
	for _, i := range test {
		if classes[i] == "yes" {
			yes++
		}
	}
	if yes != 30 {
		t.Errorf("test holds %d of the 100 'yes' rows, want 30", yes)
	}
	all := slices.Concat(train, test)
	slices.Sort(all)
	for i, v := range all {
		if v != i {
			t.Fatalf("train and test do not partition the rows: position %d holds %d", i, v)
		}
	}
	train2, test2 := StratifiedSplit(classes, 0.3, 7)
	if !slices.Equal(train, train2) || !slices.Equal(test, test2) {
		t.Error("the same seed gave a different split")
	}
	if _, test3 := StratifiedSplit(classes, 0.3, 8); slices.Equal(test, test3) {
		t.Error("another seed gave the same split")
	}
}
