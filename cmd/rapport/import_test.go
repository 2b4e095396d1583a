package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportThenExport imports the csvimport fixtures through the CLI,
// twice, and checks the report names rejected rows by line, that the
// events were applied, and that the second import added nothing.
func TestImportThenExport(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the built binary; skipped with -short")
	}
	data := t.TempDir()
	fixtures := filepath.Join("..", "..", "csvimport", "testdata")
	var first map[string]bool
	for round := range 2 {
		for _, kind := range []string{"customers", "orders"} {
			cmd := exec.Command(rapportBinary(t), "import", kind, filepath.Join(fixtures, kind+".csv"), "--data", data,
				"--rejects", filepath.Join(t.TempDir(), "rejects.txt"))
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("import %s: %v\n%s", kind, err, out)
			}
			text := string(out)
			if !strings.Contains(text, "rejected line ") || !strings.Contains(text, "applied ") {
				t.Errorf("import %s output lacks rejected lines or the apply summary:\n%s", kind, text)
			}
		}
		ids := exportedIDs(t, "--data", data)
		if round == 0 {
			first = ids
			if len(ids) == 0 {
				t.Fatal("nothing exported after import")
			}
			continue
		}
		if len(ids) != len(first) {
			t.Errorf("second import: %d events stored, want %d (importing twice changes nothing)", len(ids), len(first))
		}
	}
}
