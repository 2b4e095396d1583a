package rapport_test

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/rapportdev/rapport"
)

func TestNumber(t *testing.T) {
	tests := []struct {
		in     any
		want   float64
		wantOK bool
	}{
		{19.99, 19.99, true},
		{3, 3, true},
		{int64(-4), -4, true},
		{json.Number("12.5"), 12.5, true},
		{" 7.25 ", 7.25, true},
		{"1e3", 1000, true},
		{"abc", 0, false},
		{"NaN", 0, false},
		{math.Inf(1), 0, false},
		{true, 0, false},
		{nil, 0, false},
		{map[string]any{}, 0, false},
	}
	for _, tt := range tests {
		got, ok := rapport.Number(tt.in)
		if ok != tt.wantOK || (ok && got != tt.want) {
			t.Errorf("Number(%#v) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}
