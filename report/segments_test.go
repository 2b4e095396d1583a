package report_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/rapportdev/rapport/report"
)

func TestSegmentSizes(t *testing.T) {
	rep, err := report.SegmentSizes(context.Background(), shop(t), now)
	if err != nil {
		t.Fatal(err)
	}
	want := []report.SegmentSize{
		{ID: "big-spenders", Name: "Big spenders", Kind: "rule", Members: 2, Share: 0.4},
		{ID: "empty", Name: "Nobody", Kind: "rule"},
		{ID: "cluster-1", Name: "+Bargain hunters", Kind: "cluster", Members: 2, Share: 0.4},
	}
	if rep.Profiles != 5 || len(rep.Segments) != len(want) {
		t.Fatalf("%d profiles, segments %+v; want 5 profiles and %+v", rep.Profiles, rep.Segments, want)
	}
	for i := range want {
		if rep.Segments[i] != want[i] {
			t.Errorf("segment %d: %+v, want %+v", i, rep.Segments[i], want[i])
		}
	}
	var b bytes.Buffer
	if err := rep.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	wantCSV := "segment,name,kind,members,share\n" +
		"big-spenders,Big spenders,rule,2,0.4\n" +
		"empty,Nobody,rule,0,0\n" +
		"cluster-1,'+Bargain hunters,cluster,2,0.4\n"
	if b.String() != wantCSV {
		t.Errorf("CSV:\n%s\nwant:\n%s", b.String(), wantCSV)
	}
}
