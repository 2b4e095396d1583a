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

func BenchmarkAppendEvents(b *testing.B) { storetest.BenchmarkAppendEvents(b, openBench) }

func BenchmarkApplyChanges(b *testing.B) { storetest.BenchmarkApplyChanges(b, openBench) }
