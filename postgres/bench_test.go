package postgres_test

import (
	"testing"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/storetest"
)

// openBench opens a store in a fresh schema.
func openBench(b *testing.B) rapport.Store { return openFresh(b) }

// openBenchLog opens a log in a fresh schema.
func openBenchLog(b *testing.B) rapport.EventLog { return openLog(b, freshSchema(b)) }

func BenchmarkLogAppend(b *testing.B) { storetest.BenchmarkLogAppend(b, openBenchLog) }

func BenchmarkApplyChanges(b *testing.B) { storetest.BenchmarkApplyChanges(b, openBench) }
