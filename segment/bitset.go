package segment

import "math/bits"

// Bitset is a set of small non-negative integers (rows of Columns), one
// bit each.
type Bitset []uint64

// NewBitset returns an empty set with room for n members.
func NewBitset(n int) Bitset { return make(Bitset, words(n)) }

func words(n int) int { return (n + 63) / 64 }

// Has reports whether i is in the set.
func (b Bitset) Has(i int) bool {
	w := i / 64
	return i >= 0 && w < len(b) && b[w]&(1<<(uint(i)%64)) != 0
}

// word returns b's w-th word, 0 past its end.
func word(b Bitset, w int) uint64 {
	if w < len(b) {
		return b[w]
	}
	return 0
}

// Set adds i, which must be within the set's room.
func (b Bitset) Set(i int) { b[i/64] |= 1 << (uint(i) % 64) }

// Len returns the number of members.
func (b Bitset) Len() int {
	n := 0
	for _, w := range b {
		n += bits.OnesCount64(w)
	}
	return n
}

// Membership is which segments of a Set a profile is in, one bit per
// segment by its position in the Set. It is only meaningful with the Set
// that made it; store ids (Set.IDs), not bits.
type Membership = Bitset
