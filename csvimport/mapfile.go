package csvimport

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"
)

// LoadMapping reads a mapping file. A file named *.yaml or *.yml is a flat
// YAML map of field to column ("email: Email Address"); any other file has
// one "field=Column" pair a line, with blank lines and lines starting with
// # ignored.
func LoadMapping(path string) (Mapping, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load mapping: %w", err)
	}
	var m Mapping
	switch strings.ToLower(filepath.Ext(path)) {
	case ".yaml", ".yml":
		m, err = parseYAMLMapping(data)
	default:
		m, err = parseLineMapping(data)
	}
	if err != nil {
		return nil, fmt.Errorf("load mapping %s: %w", path, err)
	}
	return m, nil
}

// parseYAMLMapping reads a flat YAML map of field to column.
func parseYAMLMapping(data []byte) (Mapping, error) {
	var raw map[string]string
	if err := yaml.Unmarshal(data, &raw); err != nil {
		return nil, err
	}
	m := Mapping{}
	for field, column := range raw {
		if err := m.set(strings.TrimSpace(field), strings.TrimSpace(column), true); err != nil {
			return nil, fmt.Errorf("field %q: %w", field, err)
		}
	}
	return m, nil
}

// parseLineMapping reads "field=Column" lines.
func parseLineMapping(data []byte) (Mapping, error) {
	m := Mapping{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		field, column, ok := strings.Cut(line, "=")
		if err := m.set(strings.TrimSpace(field), strings.TrimSpace(column), ok); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
	}
	return m, sc.Err()
}
