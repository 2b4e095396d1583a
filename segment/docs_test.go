package segment

import (
	"os"
	"strings"
	"testing"
)

// TestDocsExamplesCompile compiles every example rule of docs/segments.md,
// so the documentation cannot drift from the language.
func TestDocsExamplesCompile(t *testing.T) {
	doc, err := os.ReadFile("../docs/segments.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(doc), "Examples:\n\n```\n")
	if !ok {
		t.Fatal("docs/segments.md has no Examples block")
	}
	block, _, _ := strings.Cut(after, "```")
	n := 0
	for _, line := range strings.Split(block, "\n") {
		expr, _, _ := strings.Cut(line, "#")
		if expr = strings.TrimSpace(expr); expr == "" {
			continue
		}
		n++
		seg, err := Compile(Definition{ID: "doc", Name: "doc", Expression: expr})
		if err != nil {
			t.Errorf("%s: %v", expr, err)
			continue
		}
		p, score, h := shopper()
		env := NewEnv(p, score, h, RFM{R: 5, F: 4, M: 4, Group: Champions}, now)
		if _, err := seg.Match(&env); err != nil {
			t.Errorf("%s: %v", expr, err)
		}
	}
	if n < 5 {
		t.Fatalf("found %d examples", n)
	}
}
