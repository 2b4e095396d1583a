package csvimport

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseMapping(t *testing.T) {
	tests := []struct {
		in      []string
		want    Mapping
		wantErr string
	}{
		{[]string{"email=E-mail", " trait.plan = Plan "}, Mapping{"email": "E-mail", "trait.plan": "Plan"}, ""},
		{[]string{"emial=E-mail"}, nil, `unknown field "emial"`},
		{[]string{"email"}, nil, "want field=Column"},
		{[]string{"email="}, nil, "want field=Column"},
		{[]string{"trait.=X"}, nil, "unknown field"},
		{nil, Mapping{}, ""},
	}
	for _, tt := range tests {
		got, err := ParseMapping(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseMapping(%q) error = %v, want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseMapping(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestLoadMapping(t *testing.T) {
	want := Mapping{"user_id": "Member No", "email": "Primary E-mail", "trait.plan": "Plan"}
	for _, path := range []string{"testdata/mapping.yaml", "testdata/mapping.txt"} {
		got, err := LoadMapping(path)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("LoadMapping(%s) = %v, %v; want %v", path, got, err, want)
		}
	}
	if _, err := LoadMapping("testdata/missing.yaml"); err == nil {
		t.Error("LoadMapping of a missing file succeeded")
	}
	if _, err := parseLineMapping([]byte("email=a\nnope\n")); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("bad line error = %v, want it to name line 2", err)
	}
}

func TestResolveDefaults(t *testing.T) {
	header := []string{"InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country"}
	cols, err := resolve(nil, header)
	if err != nil {
		t.Fatal(err)
	}
	want := columns{"order_id": 0, "product_id": 1, "product_name": 2, "quantity": 3, "timestamp": 4,
		"price": 5, "user_id": 6, "trait.country": 7}
	if !reflect.DeepEqual(cols, want) {
		t.Errorf("resolve = %v, want %v", cols, want)
	}
	cols, err = resolve(Mapping{"user_id": "stockcode"}, header)
	if err != nil || cols["user_id"] != 1 {
		t.Errorf("a mapped column matches case-insensitively: got %v, %v", cols, err)
	}
}
