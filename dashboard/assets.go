package dashboard

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
)

// files holds the templates and the static assets, built into the binary.
//
//go:embed templates static
var files embed.FS

// assets serves the static files under /static/. Links to them carry a
// digest of every asset (?v=...), so browsers may keep them for a day and
// still see a new binary's files at once.
type assets struct {
	version string
	files   http.Handler
}

// newAssets digests the static files.
func newAssets() (*assets, error) {
	sum := sha256.New()
	err := fs.WalkDir(files, "static", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := files.ReadFile(path)
		if err != nil {
			return err
		}
		fmt.Fprintf(sum, "%s %d\n", path, len(b))
		sum.Write(b)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("dashboard: digest static files: %w", err)
	}
	return &assets{version: hex.EncodeToString(sum.Sum(nil))[:12], files: http.FileServerFS(files)}, nil
}

// url returns the link to a static file, e.g. url("style.css").
func (a *assets) url(name string) string {
	return "/static/" + name + "?v=" + a.version
}

// ServeHTTP serves one static file. Directory listings are refused.
func (a *assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/static/" || r.URL.Path[len(r.URL.Path)-1] == '/' {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=86400")
	a.files.ServeHTTP(w, r)
}
