package postgres_test

import (
	"testing"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/storetest"
)

// openBench opens a store in a fresh schema.
func openBench(b *testing.B) rapport.Store { return openFresh(b) }

func BenchmarkAppendEvents(b *testing.B) { storetest.BenchmarkAppendEvents(b, openBench) }

func BenchmarkApplyChanges(b *testing.B) { storetest.BenchmarkApplyChanges(b, openBench) }
