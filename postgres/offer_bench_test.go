package postgres_test

import (
	"testing"

	"github.com/rapportdev/rapport/storetest"
)

func BenchmarkOfferFunnel(b *testing.B) { storetest.BenchmarkOfferFunnel(b, openBench) }
