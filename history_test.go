package rapport

import (
	"reflect"
	"testing"
	"time"
)

func day(d int) time.Time { return time.Unix(int64(d)*86400+3600, 0).UTC() }

func TestEventHistoryWindow(t *testing.T) {
	var h EventHistory
	for _, d := range []int{100, 100, 101, 150, 10} {
		h.Add("Order Completed", day(d), 50)
	}
	// Day 10 is older than the window when it arrives; 100 falls out
	// once 150 is the newest.
	want := []DayCount{{Day: 101, N: 1}, {Day: 150, N: 1}}
	if got := h.Events["Order Completed"]; !reflect.DeepEqual(got, want) {
		t.Errorf("days = %v, want %v", got, want)
	}
	h.Add("page", day(5), 0)
	if _, ok := h.Events["page"]; ok {
		t.Error("keepDays 0 kept something")
	}
}

func TestEventHistoryMerge(t *testing.T) {
	var a, b EventHistory
	for _, d := range []int{1, 5, 9} {
		a.Add("page", day(d), 400)
	}
	for _, d := range []int{5, 5, 7, 600} {
		b.Add("page", day(d), 400)
	}
	a.AddPurchase("flowers", day(44))
	b.AddPurchase("flowers", day(44))
	b.AddPurchase("flowers", day(409))
	c := a.Clone()
	a.Merge(&b, 400)
	// 600 is newest; days before 201 fall out of the 400-day window.
	if got, want := a.Events["page"], []DayCount{{Day: 600, N: 1}}; !reflect.DeepEqual(got, want) {
		t.Errorf("merged = %v, want %v", got, want)
	}
	c.Merge(&EventHistory{Events: map[string][]DayCount{"page": {{Day: 5, N: 2}, {Day: 7, N: 1}}}}, 400)
	if got, want := c.Events["page"], []DayCount{{Day: 1, N: 1}, {Day: 5, N: 3}, {Day: 7, N: 1}, {Day: 9, N: 1}}; !reflect.DeepEqual(got, want) {
		t.Errorf("merged = %v, want %v", got, want)
	}
	if got, want := a.Purchases["flowers"], []int32{44, 409}; !reflect.DeepEqual(got, want) {
		t.Errorf("purchases = %v, want %v", got, want)
	}
}
