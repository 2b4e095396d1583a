package rapport

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

func TestFirstsJSON(t *testing.T) {
	var f Firsts
	at := time.Date(2026, 1, 1, 3, 25, 12, 123456789, time.FixedZone("CET", 3600))
	f.SeeIdentity(IdentityEmail, at)
	f.SeeEvent(`Review "<Submitted>"`, at.Add(time.Hour))
	f.SeeCategory("books", at)
	f.SeeOrder(at)
	f.SeeOrder(at.Add(-time.Hour))
	f.Partial = true
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"identities":{"email":1767234312123},"events":{"Review \"\u003cSubmitted\u003e\"":1767237912123},` +
		`"categories":{"books":1767234312123},"orders":[1767230712123,1767234312123],"partial":true}`
	if string(b) != want {
		t.Errorf("JSON\n %s\nwant\n %s", b, want)
	}
	var back Firsts
	if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back, f) {
		t.Errorf("round trip: %+v, %v\nwant %+v", back, err, f)
	}
	if got, _ := back.Identity(IdentityEmail); !got.Equal(at.Truncate(time.Millisecond)) || got.Location() != time.UTC {
		t.Errorf("email first seen %v, want %v in UTC", got, at)
	}
}

func TestFirstsJSONEdges(t *testing.T) {
	var dup Firsts
	if err := json.Unmarshal([]byte(`{"events":{"a":1},"events":{"b":2}}`), &dup); err != nil || len(dup.Events) != 2 {
		t.Errorf("a repeated key: %+v, %v; want both events, as encoding/json merges them", dup, err)
	}
	var f Firsts
	f.SeeCategory("Bücher", time.UnixMilli(5))
	b, _ := json.Marshal(f)
	if fast, ok := parseFirsts(b); !ok || !reflect.DeepEqual(fast, f) {
		t.Errorf("%s: parsed directly %+v, %v; want %+v", b, fast, ok, f)
	}
}

// FuzzFirstsJSON checks that whatever a stored profile holds, decoding its
// first times either fails or gives lists that encode and decode to
// themselves.
func FuzzFirstsJSON(f *testing.F) {
	for _, s := range []string{`{}`, `{"identities":{"email":1},"orders":[3,1,2]}`, `{"events":{"a":-5,"b":9e3}}`,
		`{"partial":true,"categories":{"":0}}`, `null`, `{"orders":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18]}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var x Firsts
		if err := json.Unmarshal([]byte(s), &x); err != nil {
			return
		}
		if fast, ok := parseFirsts([]byte(s)); ok {
			if slow, err := decodeFirsts([]byte(s)); err != nil || !reflect.DeepEqual(fast, slow) {
				t.Fatalf("%s: parsed directly %+v, through encoding/json %+v, %v", s, fast, slow, err)
			}
		}
		if len(x.Orders) > MaxFirstOrders {
			t.Fatalf("%s: %d orders kept", s, len(x.Orders))
		}
		b, err := json.Marshal(x)
		if err != nil {
			t.Fatal(err)
		}
		var back Firsts
		if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back, x) {
			t.Fatalf("%s: round trip of %+v gave %+v, %v", s, x, back, err)
		}
	})
}
