package storecodec

// PageLimit returns the page size to use for a requested limit: 50 when
// unset, at most 1000.
func PageLimit(n int) int {
	switch {
	case n <= 0:
		return 50
	case n > 1000:
		return 1000
	}
	return n
}
