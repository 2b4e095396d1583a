package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/scoring"
)

// Config is rapport.yaml.
type Config struct {
	Scoring   Scoring   `yaml:"scoring"`
	Rescore   Rescore   `yaml:"rescore"`
	Economics Economics `yaml:"economics"`
	Leads     Leads     `yaml:"leads"`
	Offers    Offers    `yaml:"offers"`

	// path is the file read, or "" for a Config that comes from flags.
	path string
	// data is the file's text, for the inline model.
	data []byte
}

// Scoring declares the 3D scoring model: one of a shipped template, a
// file of its own, or the model written inline.
type Scoring struct {
	// Template names a shipped model: b2c or b2b.
	Template string `yaml:"template,omitempty"`
	// File is a YAML model, relative to rapport.yaml.
	File string `yaml:"file,omitempty"`
	// Model is the model inline (see docs/scoring.md).
	Model yaml.Node `yaml:"model,omitempty"`
}

// Rescore says how often every profile is scored again without an event,
// so engagement decays and customers lapse on time.
type Rescore struct {
	// Every is the interval between passes, e.g. "1h"; "0" turns the
	// schedule off (a model change still rescores). Default 1h.
	Every *scoring.Duration `yaml:"every,omitempty"`
}

// DefaultRescoreEvery is the rescoring interval when rapport.yaml says
// none.
const DefaultRescoreEvery = time.Hour

// RescoreEvery returns the interval between scheduled passes, 0 for none.
func (c *Config) RescoreEvery() time.Duration {
	if c.Rescore.Every == nil {
		return DefaultRescoreEvery
	}
	return c.Rescore.Every.Std()
}

// Load reads and checks the file at path.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	c, err := parse(data, path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// Parse reads rapport.yaml's text, refusing unknown fields, and checks it.
// Errors are EINVALID and name the line.
func Parse(data []byte) (*Config, error) { return parse(data, "") }

// parse reads the text of the file at path ("" for none: a file the model
// names is then relative to the working directory).
func parse(data []byte, path string) (*Config, error) {
	c := &Config{data: data, path: path}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) {
		return nil, rapport.Errorf(rapport.EINVALID, "%s", err)
	}
	set := 0
	for _, on := range []bool{c.Scoring.Template != "", c.Scoring.File != "", !c.Scoring.Model.IsZero()} {
		if on {
			set++
		}
	}
	if set > 1 {
		return nil, rapport.Errorf(rapport.EINVALID, "scoring: give one of template, file and model, not %d", set)
	}
	if e := c.Rescore.Every; e != nil && e.Std() < 0 {
		return nil, rapport.Errorf(rapport.EINVALID, "rescore.every: must not be negative")
	}
	if _, _, err := c.ScoringModel(); err != nil {
		return nil, err
	}
	return c, nil
}

// ScoringModel returns the declared model's YAML, checked, and where it
// came from ("template b2c", "file scoring.yaml", "rapport.yaml line 3").
// With nothing declared it is the b2c template.
func (c *Config) ScoringModel() ([]byte, string, error) {
	s := c.Scoring
	switch {
	case s.File != "":
		path := s.File
		if c.path != "" && !filepath.IsAbs(path) {
			path = filepath.Join(filepath.Dir(c.path), path)
		}
		body, err := os.ReadFile(path)
		if err != nil {
			return nil, "", rapport.Errorf(rapport.EINVALID, "scoring.file: %s", err)
		}
		if _, err := scoring.ParseModel(body); err != nil {
			return nil, "", fmt.Errorf("scoring model %s: %w", path, err)
		}
		return body, "file " + s.File, nil
	case !s.Model.IsZero():
		return c.inlineModel()
	}
	name := s.Template
	if name == "" {
		name = "b2c"
	}
	body, err := scoring.TemplateYAML(name)
	if err != nil {
		return nil, "", rapport.Errorf(rapport.EINVALID, "scoring.template: %s", err)
	}
	return body, "template " + name, nil
}

// inlineModel cuts the model's lines out of the file, so it is stored as
// written and its errors point at lines of rapport.yaml. A model in flow
// style (`model: {version: 1, ...}`) is written out as YAML instead.
func (c *Config) inlineModel() ([]byte, string, error) {
	n := &c.Scoring.Model
	if n.Kind != yaml.MappingNode {
		return nil, "", rapport.Errorf(rapport.EINVALID, "scoring.model (line %d): want a mapping", n.Line)
	}
	if n.Style&yaml.FlowStyle != 0 {
		body, err := yaml.Marshal(n)
		if err != nil {
			return nil, "", rapport.Errorf(rapport.EINVALID, "scoring.model (line %d): %s", n.Line, err)
		}
		if _, err := scoring.ParseModel(body); err != nil {
			return nil, "", fmt.Errorf("scoring.model (line %d): %w", n.Line, err)
		}
		return body, fmt.Sprintf("rapport.yaml line %d", n.Line), nil
	}
	lines := strings.Split(string(c.data), "\n")
	first, last := n.Line, c.endOfModel(len(lines))
	var b strings.Builder
	for _, l := range lines[first-1 : last] {
		// Dedent by the model's column; shorter lines are blank or
		// comments at a lesser indent.
		if len(l) >= n.Column-1 && strings.TrimSpace(l[:n.Column-1]) == "" {
			l = l[n.Column-1:]
		} else {
			l = strings.TrimLeft(l, " ")
		}
		b.WriteString(l)
		b.WriteByte('\n')
	}
	body := []byte(b.String())
	if _, err := scoring.ParseModel(body); err != nil {
		return nil, "", shiftLines(err, first-1)
	}
	return body, fmt.Sprintf("rapport.yaml line %d", first), nil
}

// endOfModel returns the last line of the inline model: the line before
// the first line after it that is indented no deeper than the `model:`
// key (the next key of scoring, or of the file), or the file's last line.
// Blank and comment lines are skipped, so block scalars and flow
// collections that end on a line of their own stay whole.
func (c *Config) endOfModel(nLines int) int {
	lines := strings.Split(string(c.data), "\n")
	keyIndent := c.Scoring.Model.Column - 1 // at least the model's own indent
	for i := c.Scoring.Model.Line; i < nLines; i++ {
		l := lines[i]
		trimmed := strings.TrimSpace(l)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		if indent := len(l) - len(strings.TrimLeft(l, " ")); indent < keyIndent {
			end := i // lines[i] is line i+1; the model ends before it
			for end > c.Scoring.Model.Line && strings.TrimSpace(lines[end-1]) == "" {
				end--
			}
			return end
		}
	}
	return nLines
}

var lineRef = regexp.MustCompile(`line (\d+)`)

// shiftLines moves the line numbers of a model's error from the cut-out
// text to rapport.yaml.
func shiftLines(err error, by int) error {
	var ve *scoring.ValidationError
	if errors.As(err, &ve) {
		shifted := &scoring.ValidationError{Problems: append([]scoring.Problem(nil), ve.Problems...)}
		for i := range shifted.Problems {
			if shifted.Problems[i].Line > 0 {
				shifted.Problems[i].Line += by
			}
		}
		return fmt.Errorf("scoring.model: %w", shifted)
	}
	msg := lineRef.ReplaceAllStringFunc(rapport.ErrorMessage(err), func(m string) string {
		n, _ := strconv.Atoi(m[len("line "):])
		return "line " + strconv.Itoa(n+by)
	})
	return rapport.Errorf(rapport.EINVALID, "scoring.model: %s", msg)
}
