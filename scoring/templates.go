package scoring

import (
	"embed"
	"fmt"
)

//go:embed templates/b2c.yaml templates/b2b.yaml
var templates embed.FS

// B2C returns a fresh copy of the shipped model for selling to people:
// demographics for fit, store and office visits above calls above
// webinars, follows and email opens for engagement.
func B2C() *Model { return mustTemplate("templates/b2c.yaml") }

// B2B returns a fresh copy of the shipped model for selling to companies:
// firmographics for fit, meetings above calls above trade shows and
// webinars for engagement, longer half-life and rhythms.
func B2B() *Model { return mustTemplate("templates/b2b.yaml") }

// TemplateYAML returns the YAML of a shipped template, "b2c" or "b2b", to
// write into a new rapport.yaml.
func TemplateYAML(name string) ([]byte, error) {
	b, err := templates.ReadFile("templates/" + name + ".yaml")
	if err != nil {
		return nil, fmt.Errorf("scoring template %q: want b2c or b2b", name)
	}
	return b, nil
}

// mustTemplate parses an embedded template. The templates are tested to
// validate, so a failure here is a build defect, not bad input.
func mustTemplate(path string) *Model {
	b, err := templates.ReadFile(path)
	if err != nil {
		panic(fmt.Sprintf("scoring: embedded %s: %v", path, err))
	}
	m, err := ParseModel(b)
	if err != nil {
		panic(fmt.Sprintf("scoring: embedded %s: %v", path, err))
	}
	return m
}
