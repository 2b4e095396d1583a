package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/report"
)

func TestPersonas(t *testing.T) {
	st := shop(t)
	putSegment(t, st, &rapport.Segment{ID: "cluster-2", Name: "Loyal regulars", Kind: rapport.SegmentCluster,
		Persona: []byte(`{"cluster":1,"size":1,"share":0.5,"medians":{"frequency":9,"age":44},"traits":["frequent"],"label":"Loyal regulars","story":"Weekly."}`)}, "p_c")
	rep, err := report.Personas(context.Background(), st, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Personas) != 2 {
		t.Fatalf("%d cards, want the 2 buckets' (not the rule segments)", len(rep.Personas))
	}
	p := rep.Personas[0]
	if p.Segment != "cluster-1" || p.Members != 2 || p.Label != "Service-heavy bargain hunters" || p.Channel != "phone" ||
		len(p.TopCategories) != 2 || p.Medians["monetary"] != 50 {
		t.Errorf("first card %+v", p)
	}
	body, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"segment":"cluster-1"`, `"members":2`, `"label":"Service-heavy bargain hunters"`, `"story":"They call, and buy on sale."`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("JSON lacks %s: %s", want, body)
		}
	}
	var b bytes.Buffer
	if err := rep.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	want := "segment,name,members,cluster,size,share,label,channel,channel_share,top_categories,top_brands,traits,story,median_age,median_frequency,median_monetary\n" +
		"cluster-1,'+Bargain hunters,2,0,2,0.5,Service-heavy bargain hunters,phone,1,Sale 0.8; Socks 0.2,,infrequent; service_heavy,\"They call, and buy on sale.\",,1,50\n" +
		"cluster-2,Loyal regulars,1,1,1,0.5,Loyal regulars,,0,,,frequent,Weekly.,44,9,\n"
	if b.String() != want {
		t.Errorf("CSV:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestPersonasRefusesABrokenCard(t *testing.T) {
	st := openStore(t)
	putSegment(t, st, &rapport.Segment{ID: "cluster-1", Name: "x", Kind: rapport.SegmentCluster, Persona: []byte(`{"cluster":"one"}`)})
	if _, err := report.Personas(context.Background(), st, now); err == nil || !strings.Contains(err.Error(), "cluster-1") {
		t.Errorf("Personas = %v, want an error naming the segment", err)
	}
}
