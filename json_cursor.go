package rapport

import (
	"bytes"
	"strconv"
	"unicode/utf8"
)

// jsonCursor reads the compact JSON that SessionHistory and Firsts write,
// so the profiles read at every batch and by a fill of the in-memory
// scores skip encoding/json's reflection for them. Its readers report
// false on anything else, and the callers then decode through
// encoding/json.
type jsonCursor struct{ b []byte }

func (p *jsonCursor) eat(c byte) bool {
	if len(p.b) > 0 && p.b[0] == c {
		p.b = p.b[1:]
		return true
	}
	return false
}

func (p *jsonCursor) word(w string) bool {
	if !bytes.HasPrefix(p.b, []byte(w)) {
		return false
	}
	p.b = p.b[len(w):]
	return true
}

// name reads a string without escapes.
func (p *jsonCursor) name() (string, bool) {
	if !p.eat('"') {
		return "", false
	}
	end := bytes.IndexByte(p.b, '"')
	if end < 0 {
		return "", false
	}
	s := p.b[:end]
	ascii := true
	for _, c := range s {
		if c < 0x20 || c == '\\' {
			return "", false
		}
		ascii = ascii && c < 0x80
	}
	// encoding/json replaces invalid UTF-8; valid UTF-8 reads as it is.
	if !ascii && !utf8.Valid(s) {
		return "", false
	}
	p.b = p.b[end+1:]
	return string(s), true
}

func (p *jsonCursor) int() (int64, bool) {
	end := 0
	for end < len(p.b) && (p.b[end] == '-' || (p.b[end] >= '0' && p.b[end] <= '9')) {
		end++
	}
	n, err := strconv.ParseInt(string(p.b[:end]), 10, 64)
	if err != nil {
		return 0, false
	}
	p.b = p.b[end:]
	return n, true
}
