package sqlite_test

import (
	"database/sql"
	"net/url"
)

// recordMigration marks a migration as applied behind the store's back, as
// a newer binary would have.
func recordMigration(path, name string) error {
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath())
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.Exec(`INSERT INTO schema_migrations (name, applied_at) VALUES (?, 0)`, name)
	return err
}
