package csvsniff

import (
	"bufio"
	"io"
	"strings"
	"testing"
)

func TestDelimiter(t *testing.T) {
	tests := []struct {
		name, in string
		want     rune
	}{
		{"commas", "a,b,c\n1;2,3\n", ','},
		{"semicolons", "a;b;c\n1,5;2,5;3\n", ';'},
		{"semicolons inside quotes do not count", "\"x;y;z\",b\n", ','},
		{"commas inside quotes do not count", "\"1,2,3\";b;c\n", ';'},
		{"a tie is a comma", "a;b,c\n", ','},
		{"empty", "", ','},
		{"one line without newline", "a;b", ';'},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			br := bufio.NewReader(strings.NewReader(tt.in))
			if got := Delimiter(br); got != tt.want {
				t.Errorf("Delimiter(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if rest, _ := io.ReadAll(br); string(rest) != tt.in {
				t.Errorf("Delimiter consumed input: %q left of %q", rest, tt.in)
			}
		})
	}
}

func TestDelimiterReadsOnlyTheBuffer(t *testing.T) {
	// A header longer than the buffer is judged on what the buffer holds:
	// here its first 16 bytes, all semicolons, though commas follow.
	header := strings.Repeat("a;", 8) + strings.Repeat("b,", 100) + "\n"
	br := bufio.NewReaderSize(strings.NewReader(header), 16)
	if got := Delimiter(br); got != ';' {
		t.Errorf("Delimiter with a 16-byte buffer = %q, want ';' from the buffered part", got)
	}
	if got := Delimiter(bufio.NewReaderSize(strings.NewReader(header), 4096)); got != ',' {
		t.Errorf("Delimiter with the whole header buffered = %q, want ','", got)
	}
}

func TestSkipBOM(t *testing.T) {
	for in, want := range map[string]string{"\xef\xbb\xbfa,b": "a,b", "a,b": "a,b", "\xef\xbb": "\xef\xbb", "": ""} {
		br := bufio.NewReader(strings.NewReader(in))
		SkipBOM(br)
		if got, _ := io.ReadAll(br); string(got) != want {
			t.Errorf("SkipBOM(%q) left %q, want %q", in, got, want)
		}
	}
}
