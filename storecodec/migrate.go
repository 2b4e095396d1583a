package storecodec

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// MigrationNames returns the .sql files of a migration set, in the order
// they apply. fsys holds the sets under a directory migrations/; set is
// one of its subdirectories ("." for the top). The names are paths
// relative to migrations/ ("0001_init.sql", "log/0001_init.sql"), as the
// adapters record them in schema_migrations.
func MigrationNames(fsys fs.FS, set string) ([]string, error) {
	entries, err := fs.ReadDir(fsys, path.Join("migrations", set))
	if err != nil {
		return nil, fmt.Errorf("list migrations: %w", err)
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".sql") {
			names = append(names, path.Join(set, e.Name()))
		}
	}
	slices.Sort(names)
	return names, nil
}
