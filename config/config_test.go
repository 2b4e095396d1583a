package config_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/config"
	"github.com/rapportdev/rapport/scoring"
	"gopkg.in/yaml.v3"
)

func TestScoringModelSources(t *testing.T) {
	b2c, _ := scoring.TemplateYAML("b2c")
	inline := "rescore:\n  every: 30m\nscoring:\n  model:\n" + indent(string(b2c), "    ")
	for _, tt := range []struct {
		name, yaml, source string
		every              time.Duration
	}{
		{"empty file: b2c template, hourly", "", "template b2c", time.Hour},
		{"template", "scoring:\n  template: b2b\nrescore:\n  every: \"0\"\n", "template b2b", 0},
		{"file", "scoring:\n  file: testdata/scoring-b2b.yaml\n", "file testdata/scoring-b2b.yaml", time.Hour},
		{"inline", inline, "rapport.yaml line " + strconv.Itoa(4+lineOf(string(b2c), "version:")), 30 * time.Minute},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, err := config.Parse([]byte(tt.yaml))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			body, source, err := c.ScoringModel()
			if err != nil || source != tt.source {
				t.Fatalf("ScoringModel = %q, %v; want source %q", source, err, tt.source)
			}
			if _, err := scoring.ParseModel(body); err != nil {
				t.Errorf("declared model does not parse: %v", err)
			}
			if got := c.RescoreEvery(); got != tt.every {
				t.Errorf("RescoreEvery = %v, want %v", got, tt.every)
			}
		})
	}
}

func TestErrorsNameTheLine(t *testing.T) {
	b2c, _ := scoring.TemplateYAML("b2c")
	badWeight := strings.Replace(string(b2c), "weight:", "wieght:", 1)
	badValue := strings.Replace(string(b2c), "half_life:", "half_life: -3d #", 1)
	for _, tt := range []struct{ name, yaml, want string }{
		{"unknown field", "scorng:\n  template: b2c\n", "line 1: field scorng not found"},
		{"unknown template", "scoring:\n  template: b3c\n", "scoring.template"},
		{"two sources", "scoring:\n  template: b2c\n  file: x.yaml\n", "one of template, file and model"},
		{"missing file", "scoring:\n  file: nowhere.yaml\n", "scoring.file"},
		{"negative interval", "rescore:\n  every: -1h\n", "rescore.every"},
		{"inline typo, line in rapport.yaml", "# comment\nscoring:\n  model:\n" + indent(badWeight, "    "),
			"line " + strconv.Itoa(3+lineOf(badWeight, "wieght:"))},
		{"inline invalid value, line in rapport.yaml", "scoring:\n  model:\n" + indent(badValue, "    "),
			"(line " + strconv.Itoa(2+lineOf(badValue, "half_life:")) + ")"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := config.Parse([]byte(tt.yaml))
			if rapport.ErrorCode(err) != rapport.EINVALID || !strings.Contains(err.Error()+rapport.ErrorMessage(err), tt.want) {
				t.Fatalf("Parse = %v; want EINVALID mentioning %q", err, tt.want)
			}
		})
	}
}

func TestLoadResolvesFileBesideConfig(t *testing.T) {
	dir := t.TempDir()
	b2b, _ := scoring.TemplateYAML("b2b")
	if err := os.WriteFile(filepath.Join(dir, "model.yaml"), b2b, 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "rapport.yaml")
	if err := os.WriteFile(path, []byte("scoring:\n  file: model.yaml\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := config.Load(path)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if _, source, err := c.ScoringModel(); err != nil || source != "file model.yaml" {
		t.Fatalf("ScoringModel = %q, %v", source, err)
	}
	if _, err := config.Load(filepath.Join(dir, "missing.yaml")); err == nil {
		t.Fatal("Load of a missing file succeeded")
	}
}

func indent(s, by string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = by + l
		}
	}
	return strings.Join(lines, "\n") + "\n"
}

// lineOf is the 1-based line of the first line holding sub.
func lineOf(s, sub string) int {
	for i, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			return i + 1
		}
	}
	return 0
}

func TestInlineModelShapes(t *testing.T) {
	b2c, _ := scoring.TemplateYAML("b2c")
	// Block style, then a folded name at the very end of the model and a
	// top-level key after it.
	folded := "scoring:\n  model:\n" + indent(strings.Replace(string(b2c), "name: B2C\n", "", 1), "    ") +
		"    name: >-\n      Our shop,\n      folded\n\nrescore:\n  every: 2h\n"
	for _, tt := range []struct{ name, yaml, wantName string }{
		{"flow style on one line", "scoring:\n  model: " + flowStyle(t, b2c) + "\n", "B2C"},
		{"folded scalar at the end", folded, "Our shop, folded"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, err := config.Parse([]byte(tt.yaml))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			body, _, err := c.ScoringModel()
			if err != nil {
				t.Fatal(err)
			}
			m, err := scoring.ParseModel(body)
			if err != nil || m.Name != tt.wantName {
				t.Fatalf("model %q, %v; want name %q", m.Name, err, tt.wantName)
			}
		})
	}
}

// flowStyle writes a YAML model on one line, in flow style.
func flowStyle(t *testing.T, model []byte) string {
	t.Helper()
	var node yaml.Node
	if err := yaml.Unmarshal(model, &node); err != nil {
		t.Fatal(err)
	}
	setFlow(&node)
	out, err := yaml.Marshal(&node)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(out))
}

func setFlow(n *yaml.Node) {
	n.Style |= yaml.FlowStyle
	n.HeadComment, n.LineComment, n.FootComment = "", "", ""
	for _, c := range n.Content {
		setFlow(c)
	}
}
