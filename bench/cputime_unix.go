//go:build unix

package bench

import (
	"syscall"
	"time"
)

// CPUTime returns the CPU time (user and system) this process has used,
// for benchmarks that report CPU beside wall time.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
