package postgres_test

import (
	"context"
	"testing"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/postgres"
	"github.com/rapportdev/rapport/storetest"
)

// TestSharedConformance runs the cases of two stores on one schema, each
// opened on its own, as two processes open it.
func TestSharedConformance(t *testing.T) {
	testURL(t)
	storetest.RunShared(t, func(t *testing.T) (rapport.Store, rapport.Store) {
		dsn := freshSchema(t)
		var stores [2]rapport.Store
		for i := range stores {
			s, err := postgres.Open(context.Background(), dsn)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			stores[i] = s
		}
		return stores[0], stores[1]
	})
}
