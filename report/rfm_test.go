package report_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/rapportdev/rapport/report"
)

// TestRFM checks the grid of the shop's three customers. With three
// customers the nearest-rank quintile boundaries are the 1st, 2nd, 2nd and
// 3rd values: recency days 7, 14, 14, 70; orders 1, 3, 3, 5; revenue 50,
// 300, 300, 500. So ann (7 days, 3 orders, 300) scores R5 F2 M2, a
// potential loyalist; cy (14 days, 5, 500) R4 F4 M4, a champion; bob (70
// days, 1, 50) R2 F1 M1, hibernating.
func TestRFM(t *testing.T) {
	rep, err := report.RFM(context.Background(), shop(t), now)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Customers != 3 || len(rep.Cells) != 25 || len(rep.Groups) != 11 {
		t.Fatalf("%d customers, %d cells, %d groups; want 3, 25, 11", rep.Customers, len(rep.Cells), len(rep.Groups))
	}
	want := map[[2]int]float64{{5, 2}: 300, {4, 4}: 500, {2, 1}: 50}
	for i, c := range rep.Cells {
		if c.Recency != 5-i/5 || c.Frequency != 1+i%5 {
			t.Errorf("cell %d is r%d f%d, want r%d f%d", i, c.Recency, c.Frequency, 5-i/5, 1+i%5)
		}
		rev, ok := want[[2]int{c.Recency, c.Frequency}]
		if ok && (c.Customers != 1 || c.Revenue != rev) || !ok && c.Customers != 0 {
			t.Errorf("cell r%d f%d: %d customers, revenue %v", c.Recency, c.Frequency, c.Customers, c.Revenue)
		}
	}
	groups := map[string]report.RFMGroup{}
	for _, g := range rep.Groups {
		groups[g.Group] = g
	}
	for name, rev := range map[string]float64{"champions": 500, "potential_loyalists": 300, "hibernating": 50} {
		if g := groups[name]; g.Customers != 1 || g.Revenue != rev || g.Share != 0.3333 {
			t.Errorf("group %s: %+v, want one customer with %v", name, g, rev)
		}
	}
	if rep.Groups[0].Group != "champions" || groups["lost"].Customers != 0 {
		t.Errorf("groups %+v: want champions first and every group listed", rep.Groups)
	}
	var b bytes.Buffer
	if err := rep.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 1+25+11 || lines[0] != "table,r,f,group,customers,share,revenue" ||
		lines[2] != "cell,5,2,,1,,300" || lines[26] != "group,,,champions,1,0.3333,500" {
		t.Errorf("CSV:\n%s", b.String())
	}
}
