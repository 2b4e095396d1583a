package rapport_test

import (
	"fmt"
	"testing"

	"github.com/rapportdev/rapport"
)

// TestPartitionOfSpreadsKeys checks that keys spread over the partitions
// and that keys differing only in a prefix do not always land apart (as
// plain FNV-1a modulo a power of two makes them).
func TestPartitionOfSpreadsKeys(t *testing.T) {
	const n, keys = 8, 8000
	counts := make([]int, n)
	same := 0
	for i := range keys {
		p := rapport.PartitionOf(fmt.Sprintf("u:user-%d", i), n)
		counts[p]++
		if p == rapport.PartitionOf(fmt.Sprintf("a:device-%d", i), n) {
			same++
		}
	}
	for p, c := range counts {
		if c < keys/n/2 || c > keys/n*2 {
			t.Errorf("partition %d got %d of %d keys, want about %d", p, c, keys, keys/n)
		}
	}
	if same < keys/n/2 || same > keys/n*2 {
		t.Errorf("%d of %d prefix pairs share a partition, want about %d", same, keys, keys/n)
	}
	if got := rapport.PartitionOf("anything", 1); got != 0 {
		t.Errorf("PartitionOf(_, 1) = %d, want 0", got)
	}
}
