package predict

import (
	"os"
	"slices"
	"strings"
	"testing"
)

func TestReadCSVTiny(t *testing.T) {
	f, err := os.Open("testdata/tiny.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d, err := ReadCSV(f, CSVOptions{})
	if err != nil {
		t.Fatal(err)
	}
	wantKinds := map[string]Kind{"age": Numeric, "job": Categorical, "visits": Numeric, "y": Categorical}
	for _, c := range d.Columns {
		if c.Kind != wantKinds[c.Name] {
			t.Errorf("column %s is %v, want %v", c.Name, c.Kind, wantKinds[c.Name])
		}
	}
	if got := d.Column("job").Values; !slices.Equal(got, []string{"admin.", "unknown", "blue-collar", "admin."}) {
		t.Errorf("job values = %q", got)
	}
	if !slices.Equal(d.Lines, []int{2, 3, 4, 5}) {
		t.Errorf("lines = %v, want [2 3 4 5]", d.Lines)
	}
}

func TestReadCSVFormats(t *testing.T) {
	tests := []struct {
		name, in  string
		wantRows  int
		wantLines []int
		wantKinds []Kind
	}{
		{"comma", "a,b\n1,x\n2,y\n", 2, []int{2, 3}, []Kind{Numeric, Categorical}},
		{"crlf", "a;b\r\n1;x\r\n2;y\r\n", 2, []int{2, 3}, []Kind{Numeric, Categorical}},
		{"bom", "\ufeffa,b\n1.5,2\n", 1, []int{2}, []Kind{Numeric, Numeric}},
		{"quoted delimiter in header", "\"a;b\",c\n1,2\n", 1, []int{2}, []Kind{Numeric, Numeric}},
		{"multi-line field", "a,b\n\"x\ny\",1\n\"z\",2\n", 2, []int{2, 4}, []Kind{Categorical, Numeric}},
		{"missing values keep numeric", "a,b\nNA,?\n,3\n4,unknown\n", 3, []int{2, 3, 4}, []Kind{Numeric, Categorical}},
		{"infinity is not a number", "a\nInf\n", 1, []int{2}, []Kind{Categorical}},
		{"header only", "a,b\n", 0, nil, []Kind{Numeric, Numeric}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ReadCSV(strings.NewReader(tt.in), CSVOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if d.Len() != tt.wantRows || !slices.Equal(d.Lines, tt.wantLines) {
				t.Errorf("rows %d lines %v, want %d %v", d.Len(), d.Lines, tt.wantRows, tt.wantLines)
			}
			var kinds []Kind
			for _, c := range d.Columns {
				kinds = append(kinds, c.Kind)
			}
			if !slices.Equal(kinds, tt.wantKinds) {
				t.Errorf("kinds %v, want %v", kinds, tt.wantKinds)
			}
		})
	}
}

func TestReadCSVErrors(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string // fragments of the error
	}{
		{"empty", "", []string{"empty input"}},
		{"too few fields", "a,b\n1,2\n3\n", []string{"line 3", "1 fields, want 2"}},
		{"too many fields", "a;b\n1;2;3\n", []string{"line 2", "3 fields, want 2"}},
		{"bare quote", "a,b\n1,x\"y\n", []string{"line 2", "column 4"}},
		{"unterminated quote", "a,b\n1,\"x\n", []string{"line 2", "column"}},
		{"duplicate header", "a,b,a\n1,2,3\n", []string{"header", "columns 1 and 3", `"a"`}},
		{"unnamed column", "a,,c\n1,2,3\n", []string{"header", "column 2 has no name"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadCSV(strings.NewReader(tt.in), CSVOptions{})
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestLabels(t *testing.T) {
	d := mustRead(t, "a,y\n1,yes\n2,No\n3,TRUE\n4,1\n5,maybe\n")
	y, err := Labels(d, "y", nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := []float64{1, 0, 1, 1, 0}; !slices.Equal(y, want) {
		t.Errorf("labels %v, want %v", y, want)
	}
	y, _ = Labels(d, "y", []string{"maybe"})
	if want := []float64{0, 0, 0, 0, 1}; !slices.Equal(y, want) {
		t.Errorf("labels with positive 'maybe' %v, want %v", y, want)
	}
	_, err = Labels(mustRead(t, "a,y\n1,yes\n2,\n"), "y", nil)
	if err == nil || !strings.Contains(err.Error(), `line 3, column "y"`) {
		t.Errorf("missing target: error %v, want one naming line 3, column y", err)
	}
}

// mustRead reads a CSV from a string.
func mustRead(t *testing.T, s string) *Dataset {
	t.Helper()
	d, err := ReadCSV(strings.NewReader(s), CSVOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return d
}
