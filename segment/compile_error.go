package segment

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/rapportdev/rapport"
)

// CompileError is why a segment does not compile, with where: the line
// and column (1-based, counted in characters) of the problem and the line
// with a caret under it. It marshals to JSON for the admin API, and
// rapport.ErrorCode reads it as rapport.EINVALID.
type CompileError struct {
	Segment string `json:"segment"`
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	Message string `json:"message"`
	Snippet string `json:"snippet,omitempty"`
}

// Error implements the error interface.
func (e *CompileError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "segment %q: ", e.Segment)
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d, column %d: ", e.Line, e.Column)
	}
	b.WriteString(e.Message)
	if e.Snippet != "" {
		b.WriteString("\n")
		b.WriteString(e.Snippet)
	}
	return b.String()
}

// Unwrap returns the domain error the HTTP layer maps to a status.
func (e *CompileError) Unwrap() error {
	return rapport.Errorf(rapport.EINVALID, "%s", e.Error())
}

// newCompileError locates the character offset from in src.
func newCompileError(id, src string, from int, msg string) *CompileError {
	line, col, snippet := Locate(src, from)
	return &CompileError{Segment: id, Line: line, Column: col, Message: msg, Snippet: snippet}
}

// Locate returns the 1-based line and column of the character at offset
// in src, and the line with a caret under that column: how the languages
// built on this one (offer eligibility too) point at a problem.
func Locate(src string, offset int) (line, col int, snippet string) {
	line, col, text := locate(src, offset)
	return line, col, " | " + text + "\n | " + strings.Repeat(".", col-1) + "^"
}

// locate returns the 1-based line and column of the character at offset
// from, and the text of that line. An offset past the end points just
// after the last character.
func locate(src string, from int) (line, col int, text string) {
	line, col = 1, 1
	start := 0
	for i, r := range src {
		if from == 0 {
			break
		}
		from--
		if r == '\n' {
			line, col, start = line+1, 1, i+1
		} else {
			col++
		}
	}
	text = src[start:]
	if end := strings.IndexByte(text, '\n'); end >= 0 {
		text = text[:end]
	}
	text = strings.ReplaceAll(text, "\t", " ")
	if utf8.RuneCountInString(text) < col-1 {
		col = utf8.RuneCountInString(text) + 1
	}
	return line, col, text
}
