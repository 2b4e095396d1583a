package cluster

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// readTestdata reads a CSV from testdata into a matrix.
func readTestdata(t *testing.T, name string) Matrix {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tab, err := ReadCSV(f, nil)
	if err != nil {
		t.Fatal(err)
	}
	return tab.X
}

func TestReadCSV(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		columns   []string
		wantNames []string
		wantData  []float64
	}{
		{"all columns", "a,b\n1,2\n3,4\n", nil, []string{"a", "b"}, []float64{1, 2, 3, 4}},
		{"chosen and reordered", "a,b,c\n1,2,x\n3,4,y\n", []string{"b", "a"}, []string{"b", "a"}, []float64{2, 1, 4, 3}},
		{"semicolons, BOM, spaces, CRLF", "\xef\xbb\xbf a ; b \r\n 1 ; -2.5e1 \r\n", nil, []string{"a", "b"}, []float64{1, -25}},
		{"quoted and blank lines", "a,b\n\"1\",2\n\n3,\"4\"\n", nil, []string{"a", "b"}, []float64{1, 2, 3, 4}},
		{"no final newline", "x\n7", nil, []string{"x"}, []float64{7}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := ReadCSV(strings.NewReader(tt.in), tt.columns)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(tab.Names, tt.wantNames) || !slices.Equal(tab.X.Data, tt.wantData) {
				t.Errorf("got %v %v, want %v %v", tab.Names, tab.X.Data, tt.wantNames, tt.wantData)
			}
			if tab.X.Cols != len(tt.wantNames) || tab.X.Rows*tab.X.Cols != len(tt.wantData) {
				t.Errorf("shape %d × %d for %d values", tab.X.Rows, tab.X.Cols, len(tt.wantData))
			}
		})
	}
}

func TestReadCSVErrors(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		columns []string
		want    string
	}{
		{"empty", "", nil, "empty input"},
		{"header only", "a,b\n", nil, "no rows"},
		{"text value", "a,b\n1,2\n3,x\n", nil, `line 3 column "b": "x" is not a finite number`},
		{"missing value", "a,b\n1,\n", nil, `line 2 column "b": missing value`},
		{"NaN", "a\nNaN\n", nil, `line 2 column "a"`},
		{"infinite", "a\n1e999\n", nil, `line 2 column "a"`},
		{"too few fields", "a,b\n1,2\n3\n", nil, "line 3"},
		{"bad quote", "a\n\"1\n", nil, "line 2"},
		{"unknown column", "a,b\n1,2\n", []string{"c"}, `no column "c"`},
		{"column twice", "a,b\n1,2\n", []string{"a", "a"}, "asked for twice"},
		{"duplicate header", "a,a\n1,2\n", nil, `column "a" appears twice`},
		{"unnamed column", "a,\n1,2\n", nil, "column 2 has no name"},
		{"text in unused column is fine, not in used", "a,b\n1,x\ny,2\n", []string{"a"}, `line 3 column "a"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadCSV(strings.NewReader(tt.in), tt.columns)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}
