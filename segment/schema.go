package segment

import (
	"fmt"
	"slices"
	"strings"
)

// Schema lists the columns that a set of segments reads: the Env fields
// they name, the map entries they name with constant keys (traits.vip,
// events["Order Completed"]), and their calls of count and bought with
// constant arguments. Columns built from it can answer those segments.
type Schema struct {
	keys []colKey
	// Warnings names the segments that read a map as a whole or call a
	// function with computed arguments (len(traits), count(name, days)
	// with a computed name): on Columns they see only the entries that
	// the schema holds, so their counts there may differ from their
	// membership on full profiles.
	Warnings []string
}

// SchemaFor returns the schema that holds everything segs read.
func SchemaFor(segs ...*Segment) Schema {
	var s Schema
	for _, seg := range segs {
		for _, k := range seg.refs.keys {
			if fieldKinds[k.field] != kindNow && !slices.Contains(s.keys, k) {
				s.keys = append(s.keys, k)
			}
		}
		if len(seg.refs.whole) > 0 {
			s.Warnings = append(s.Warnings, fmt.Sprintf(
				"segment %q reads %s as a whole: columns hold only the entries segments name",
				seg.ID(), strings.Join(seg.refs.whole, ", ")))
		}
	}
	return s
}

// Columns returns the names of the schema's columns, for messages.
func (s Schema) Columns() []string {
	names := make([]string, len(s.keys))
	for i, k := range s.keys {
		names[i] = k.String()
	}
	return names
}
