package predict

import (
	"math"
	"math/rand/v2"
	"sort"
)

// StratifiedSplit splits row indices into train and test so that each class
// (each distinct value of classes) keeps its share: round(share × its rows)
// go to test. Rows are drawn with a generator seeded by seed, so a seed gives
// the same split every time; both index lists come back in ascending order.
func StratifiedSplit(classes []string, share float64, seed uint64) (train, test []int) {
	byClass := map[string][]int{}
	var order []string
	for i, c := range classes {
		if _, ok := byClass[c]; !ok {
			order = append(order, c)
		}
		byClass[c] = append(byClass[c], i)
	}
	sort.Strings(order)
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	for _, c := range order {
		idx := byClass[c]
		rng.Shuffle(len(idx), func(a, b int) { idx[a], idx[b] = idx[b], idx[a] })
		k := int(math.Round(share * float64(len(idx))))
		test = append(test, idx[:k]...)
		train = append(train, idx[k:]...)
	}
	sort.Ints(train)
	sort.Ints(test)
	return train, test
}

// labelClasses names the classes of 0/1 labels for StratifiedSplit.
func labelClasses(y []float64) []string {
	c := make([]string, len(y))
	for i, v := range y {
		if v == 1 {
			c[i] = "1"
		} else {
			c[i] = "0"
		}
	}
	return c
}
