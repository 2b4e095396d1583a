package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/storetest"
)

// TestSharedConformance runs the cases of two stores on one database
// file, as two processes open it.
func TestSharedConformance(t *testing.T) {
	storetest.RunShared(t, func(t *testing.T) (rapport.Store, rapport.Store) {
		path := filepath.Join(t.TempDir(), "rapport.db")
		return open(t, path), open(t, path)
	})
}
