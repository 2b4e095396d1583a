// Package csvsniff prepares a CSV reader for files people export from
// spreadsheets: it drops a UTF-8 byte order mark and picks the field
// delimiter (',' or ';', as European spreadsheets write) from the header
// line. Every reader of outside CSV (models, buckets, leads) starts here,
// so they agree on what they accept.
package csvsniff

import (
	"bufio"
	"bytes"
)

// peekLimit bounds how much of the first line Delimiter looks at; a
// reader with a smaller buffer is read as far as its buffer holds.
const peekLimit = 64 << 10

// SkipBOM discards a UTF-8 byte order mark at the start of br.
func SkipBOM(br *bufio.Reader) {
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		_, _ = br.Discard(3)
	}
}

// Delimiter picks ';' when the first line (as far as peekLimit and br's
// buffer reach) has more semicolons than commas outside quotes, else ','.
// It only peeks: br still starts at the header.
func Delimiter(br *bufio.Reader) rune {
	b, _ := br.Peek(min(peekLimit, br.Size()))
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		b = b[:i]
	}
	commas, semis, quoted := 0, 0, false
	for _, c := range b {
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == ',':
			commas++
		case c == ';':
			semis++
		}
	}
	if semis > commas {
		return ';'
	}
	return ','
}
