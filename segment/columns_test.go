package segment

import (
	"strings"
	"testing"

	"github.com/rapportdev/rapport"
)

func TestCountNeedsColumns(t *testing.T) {
	vip := mustCompile(t, "vip", `revenue > 100`)
	cols := NewColumns(SchemaFor(mustCompile(t, "other", `orders > 1`)), now)
	_, err := Count(vip, cols)
	if err == nil || !strings.Contains(err.Error(), `segment "vip" reads [revenue]`) {
		t.Errorf("error %v, want it to name the missing column", err)
	}
}

func TestSchema(t *testing.T) {
	s := SchemaFor(
		mustCompile(t, "a", `traits.vip == true && events["Order Completed"] > 1 && count("Order Completed", 30) > 0`),
		mustCompile(t, "b", `rfm.group == "champions" && has_trait("email") && bought("flowers", "02-07", "02-14") && "a" in segments && now.Year() > 2000`),
		mustCompile(t, "c", `len(traits) > 3 && traits.vip == true`),
	)
	want := `traits["vip"] events["Order Completed"] count(Order Completed` + "\x00" + `30) rfm["group"] traits["email"] bought(flowers` + "\x00" + `02-07` + "\x00" + `02-14) segments["a"]`
	if got := strings.Join(s.Columns(), " "); got != want {
		t.Errorf("columns %q, want %q", got, want)
	}
	if len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0], `segment "c" reads traits as a whole`) {
		t.Errorf("warnings %q", s.Warnings)
	}
}

// TestMembersAndSetMembers recomputes a segment another reads, as a full
// recompute does: the first's members feed the second's count.
func TestMembersAndSetMembers(t *testing.T) {
	vip := mustCompile(t, "vip", `revenue >= 100`)
	top := mustCompile(t, "top", `"vip" in segments && engagement > 50`)
	cols := NewColumns(SchemaFor(vip, top), now)
	for i := range 300 {
		p := &rapport.Profile{Aggregates: rapport.Aggregates{Revenue: float64(i)}}
		env := NewEnv(p, &rapport.ScoreRecord{Engagement: float64(i % 100)}, nil, RFM{}, now)
		cols.Append(&env) // no memberships yet
	}
	if n, _ := Count(top, cols); n != 0 {
		t.Fatalf("top has %d members before vip is known", n)
	}
	members, err := Members(vip, cols, nil)
	if err != nil {
		t.Fatal(err)
	}
	if members.Len() != 200 || members.Has(99) || !members.Has(100) || !members.Has(299) {
		t.Fatalf("vip members: %d", members.Len())
	}
	if err := cols.SetMembers("vip", members); err != nil {
		t.Fatal(err)
	}
	// Rows 100..299 with i%100 > 50: 49 per hundred.
	if n, _ := Count(top, cols); n != 98 {
		t.Errorf("top has %d members, want 98", n)
	}
	// Members reuses a bitset with room.
	again, _ := Members(vip, cols, members)
	if &again[0] != &members[0] {
		t.Error("Members did not reuse dst")
	}
	if err := cols.SetMembers("nope", members); err == nil {
		t.Error("SetMembers of a segment the columns lack succeeds")
	}
}
