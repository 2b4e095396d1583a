package rapport_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
)

func TestProductInfoValidate(t *testing.T) {
	tests := []struct {
		name string
		p    rapport.ProductInfo
		ok   bool
	}{
		{"id", rapport.ProductInfo{ID: "rose-12", Price: 4, Cost: 2}, true},
		{"sku only, amounts unknown", rapport.ProductInfo{SKU: "R12"}, true},
		{"no key", rapport.ProductInfo{Name: "Roses", Price: 4}, false},
		{"negative price", rapport.ProductInfo{ID: "x", Price: -1}, false},
		{"negative cost", rapport.ProductInfo{ID: "x", Cost: -0.01}, false},
		{"NaN cost", rapport.ProductInfo{ID: "x", Cost: math.NaN()}, false},
		{"infinite price", rapport.ProductInfo{ID: "x", Price: math.Inf(1)}, false},
		{"NUL in the SKU", rapport.ProductInfo{ID: "x", SKU: "a\x00b"}, false},
		{"id not UTF-8", rapport.ProductInfo{ID: "a\xffb"}, false},
		{"id at the length limit", rapport.ProductInfo{ID: strings.Repeat("k", rapport.MaxProductKey)}, true},
		{"SKU too long", rapport.ProductInfo{ID: "x", SKU: strings.Repeat("k", rapport.MaxProductKey+1)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.p.Validate()
			if (err == nil) != tt.ok {
				t.Fatalf("Validate() = %v, want ok %v", err, tt.ok)
			}
			if err != nil && rapport.ErrorCode(err) != rapport.EINVALID {
				t.Errorf("error code = %q, want %q", rapport.ErrorCode(err), rapport.EINVALID)
			}
		})
	}
}

func TestProductInfoKeyAndUpdate(t *testing.T) {
	t1, t2 := time.Unix(1, 0).UTC(), time.Unix(2, 0).UTC()
	stored := rapport.ProductInfo{ID: "rose-12", SKU: "R12", Name: "Roses", Category: "flowers", Price: 40, Cost: 15, UpdatedAt: t1}
	tests := []struct {
		name   string
		update rapport.ProductInfo
		want   rapport.ProductInfo
	}{
		{"what is known replaces", rapport.ProductInfo{ID: "rose-12", Brand: "Fleur", Cost: 17, UpdatedAt: t2},
			rapport.ProductInfo{ID: "rose-12", SKU: "R12", Name: "Roses", Category: "flowers", Brand: "Fleur", Price: 40, Cost: 17, UpdatedAt: t2}},
		{"nothing known changes only the time", rapport.ProductInfo{ID: "rose-12", UpdatedAt: t2},
			rapport.ProductInfo{ID: "rose-12", SKU: "R12", Name: "Roses", Category: "flowers", Price: 40, Cost: 15, UpdatedAt: t2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := stored.Update(tt.update); got != tt.want {
				t.Errorf("Update = %+v, want %+v", got, tt.want)
			}
		})
	}
	if k := (rapport.ProductInfo{ID: "a", SKU: "b"}).Key(); k != "a" {
		t.Errorf("Key of id a, SKU b = %q, want a", k)
	}
	if k := (rapport.ProductInfo{SKU: "b"}).Key(); k != "b" {
		t.Errorf("Key of SKU b = %q, want b", k)
	}
}
