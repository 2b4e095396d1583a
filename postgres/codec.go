package postgres

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// text makes s storable in a PostgreSQL text column, which refuses NUL
// and invalid UTF-8: NUL becomes U+FFFD and so does each invalid byte.
// Client input can contain both; one bad message must not fail a batch.
// Lookups pass their values through text too, so they still match.
func text(s string) string {
	if utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s { // range yields U+FFFD for each invalid byte
		if r == 0 {
			r = utf8.RuneError
		}
		b.WriteRune(r)
	}
	return b.String()
}

// jsonb returns encoded JSON as text storable as jsonb, which refuses the
// escape \u0000: it becomes \ufffd. Go's encoder writes a literal
// backslash as \\, so the scan skips escaped pairs to leave those alone.
func jsonb(b []byte) string {
	if !bytes.Contains(b, []byte(`\u0000`)) {
		return string(b)
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' || i+1 == len(b) {
			out = append(out, b[i])
			continue
		}
		if bytes.HasPrefix(b[i:], []byte(`\u0000`)) {
			out = append(out, `\ufffd`...)
			i += 5
			continue
		}
		out = append(out, b[i], b[i+1])
		i++
	}
	return string(out)
}
