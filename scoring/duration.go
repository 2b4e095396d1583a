package scoring

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Duration is a time.Duration written as in Go ("36h", "90m") or in days
// and weeks ("30d", "2w", "1.5d"), which Go durations lack.
type Duration time.Duration

// Std returns d as a time.Duration.
func (d Duration) Std() time.Duration { return time.Duration(d) }

// ParseDuration reads a Duration: a number followed by d (days) or w
// (weeks), or anything time.ParseDuration accepts.
func ParseDuration(s string) (Duration, error) {
	s = strings.TrimSpace(s)
	unit := time.Duration(0)
	switch {
	case strings.HasSuffix(s, "d"):
		unit = 24 * time.Hour
	case strings.HasSuffix(s, "w"):
		unit = 7 * 24 * time.Hour
	}
	if unit == 0 {
		d, err := time.ParseDuration(s)
		if err != nil {
			return 0, fmt.Errorf("duration %q: want e.g. 30d, 2w or 12h", s)
		}
		return Duration(d), nil
	}
	n, err := strconv.ParseFloat(s[:len(s)-1], 64)
	if err != nil || n != n || n > 1e5 || n < -1e5 {
		return 0, fmt.Errorf("duration %q: want e.g. 30d, 2w or 12h", s)
	}
	return Duration(n * float64(unit)), nil
}

// String writes d in whole days or weeks when it is one, else as Go does.
func (d Duration) String() string {
	const day = 24 * time.Hour
	switch {
	case d == 0:
		return "0d"
	case time.Duration(d)%(7*day) == 0:
		return strconv.FormatInt(int64(time.Duration(d)/(7*day)), 10) + "w"
	case time.Duration(d)%day == 0:
		return strconv.FormatInt(int64(time.Duration(d)/day), 10) + "d"
	}
	return time.Duration(d).String()
}

// UnmarshalYAML reads a Duration from a YAML scalar.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: want a duration such as 30d", n.Line)
	}
	v, err := ParseDuration(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	*d = v
	return nil
}

// MarshalYAML writes d as its String.
func (d Duration) MarshalYAML() (any, error) { return d.String(), nil }

// MarshalJSON writes d as its String.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads a Duration from a JSON string.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("duration: want a string such as \"30d\": %w", err)
	}
	v, err := ParseDuration(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}
