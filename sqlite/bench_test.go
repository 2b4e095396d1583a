package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/storetest"
)

// openBench opens a fresh store in a temporary directory.
func openBench(b *testing.B) rapport.Store {
	return open(b, filepath.Join(b.TempDir(), "rapport.db"))
}

// openBenchLog opens a fresh log in a temporary directory.
func openBenchLog(b *testing.B) rapport.EventLog {
	return openLog(b, filepath.Join(b.TempDir(), "log.db"))
}

func BenchmarkLogAppend(b *testing.B) { storetest.BenchmarkLogAppend(b, openBenchLog) }

func BenchmarkApplyChanges(b *testing.B) { storetest.BenchmarkApplyChanges(b, openBench) }
