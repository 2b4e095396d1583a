package cluster

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// chunkRows is how many rows one unit of parallel work covers. It is fixed,
// not derived from the number of cores, because each chunk's partial sums
// are added in chunk order afterwards: the same chunks on any machine give
// bit-for-bit the same centres and inertia.
const chunkRows = 8192

// numChunks is how many chunks n rows make.
func numChunks(n int) int {
	return (n + chunkRows - 1) / chunkRows
}

// forChunks calls fn(c, lo, hi) for every chunk c of rows [lo, hi) of n
// rows, on up to workers goroutines (zero: one per core). fn must write
// only to state of its own chunk.
func forChunks(n, workers int, fn func(c, lo, hi int)) {
	forBlocks(n, chunkRows, workers, fn)
}

// forBlocks is forChunks with blocks of size rows, for work whose result
// does not depend on how rows are grouped (each row's own value).
func forBlocks(n, size, workers int, fn func(c, lo, hi int)) {
	chunks := (n + size - 1) / size
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, chunks)
	run := func(c int) { fn(c, c*size, min(n, (c+1)*size)) }
	if workers <= 1 {
		for c := range chunks {
			run(c)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for c := int(next.Add(1) - 1); c < chunks; c = int(next.Add(1) - 1) {
				run(c)
			}
		})
	}
	wg.Wait()
}
