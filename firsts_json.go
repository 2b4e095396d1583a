package rapport

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Firsts are stored as unix milliseconds by name, the lists' own order:
// {"identities":{"email":1767225600123},"events":{...},"categories":{...},
// "orders":[...],"partial":true}, as they are kept in memory, so a profile
// read back scores exactly as the one that was written.

// MarshalJSON writes f compactly (see above).
func (f Firsts) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 64+32*(len(f.Identities)+len(f.Events)+len(f.Categories))+16*len(f.Orders))
	b = append(b, '{')
	var err error
	for _, list := range []struct {
		key   string
		times []FirstTime
	}{{"identities", f.Identities}, {"events", f.Events}, {"categories", f.Categories}} {
		if b, err = appendFirstTimes(b, list.key, list.times); err != nil {
			return nil, err
		}
	}
	if len(f.Orders) > 0 {
		b = appendKey(b, "orders")
		b = append(b, '[')
		for i, ms := range f.Orders {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, ms, 10)
		}
		b = append(b, ']')
	}
	if f.Partial {
		b = append(appendKey(b, "partial"), "true"...)
	}
	return append(b, '}'), nil
}

func appendKey(b []byte, key string) []byte {
	if len(b) > 1 {
		b = append(b, ',')
	}
	return append(strconv.AppendQuote(b, key), ':')
}

func appendFirstTimes(b []byte, key string, list []FirstTime) ([]byte, error) {
	if len(list) == 0 {
		return b, nil
	}
	b = append(appendKey(b, key), '{')
	var err error
	for i, x := range list {
		if i > 0 {
			b = append(b, ',')
		}
		if b, err = appendJSONString(b, x.Name); err != nil {
			return nil, err
		}
		b = append(b, ':')
		b = strconv.AppendInt(b, x.UnixMilli, 10)
	}
	return append(b, '}'), nil
}

// UnmarshalJSON reads what MarshalJSON writes. First times are decoded
// with every profile read (a fill of the in-memory scores reads them all),
// so that form is parsed directly; any other valid JSON goes through
// encoding/json.
func (f *Firsts) UnmarshalJSON(b []byte) error {
	if out, ok := parseFirsts(b); ok {
		*f = out
		return nil
	}
	out, err := decodeFirsts(b)
	if err != nil {
		return err
	}
	*f = out
	return nil
}

// decodeFirsts reads any JSON form of first times through encoding/json.
func decodeFirsts(b []byte) (Firsts, error) {
	var wire struct {
		Identities map[string]int64 `json:"identities"`
		Events     map[string]int64 `json:"events"`
		Categories map[string]int64 `json:"categories"`
		Orders     []int64          `json:"orders"`
		Partial    bool             `json:"partial"`
	}
	if err := json.Unmarshal(b, &wire); err != nil {
		return Firsts{}, fmt.Errorf("first times: %w", err)
	}
	out := Firsts{Identities: firstTimesOf(wire.Identities), Events: firstTimesOf(wire.Events),
		Categories: firstTimesOf(wire.Categories), Partial: wire.Partial}
	if len(wire.Orders) > 0 {
		slices.Sort(wire.Orders)
		out.Orders = wire.Orders[:min(len(wire.Orders), MaxFirstOrders):min(len(wire.Orders), MaxFirstOrders)]
	}
	return out, nil
}

// firstTimesOf turns stored milliseconds by name into a list sorted by
// name.
func firstTimesOf(m map[string]int64) []FirstTime {
	if len(m) == 0 {
		return nil
	}
	out := make([]FirstTime, 0, len(m))
	for name, ms := range m {
		out = append(out, FirstTime{Name: name, UnixMilli: ms})
	}
	slices.SortFunc(out, func(a, b FirstTime) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// appendJSONString appends s as a JSON string: directly when it needs no
// escaping (event and category names nearly always), else through
// encoding/json.
func appendJSONString(b []byte, s string) ([]byte, error) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, err := json.Marshal(s)
			return append(b, q...), err
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"'), nil
}

// firstsKeys are the keys MarshalJSON writes.
var firstsKeys = [5]string{"identities", "events", "categories", "orders", "partial"}

// parseFirsts reads the exact form MarshalJSON writes: no spaces, names
// without escapes, known keys. It reports false for anything else.
func parseFirsts(b []byte) (Firsts, bool) {
	var f Firsts
	p := jsonCursor{b: b}
	if !p.eat('{') {
		return f, false
	}
	var seen [5]bool // firstsKeys; a repeated key decodes differently through encoding/json (maps merged)
	for first := true; !p.eat('}'); first = false {
		if !first && !p.eat(',') {
			return f, false
		}
		key, ok := p.name()
		k := slices.Index(firstsKeys[:], key)
		if !ok || k < 0 || seen[k] || !p.eat(':') {
			return f, false
		}
		seen[k] = true
		switch key {
		case "identities":
			f.Identities, ok = p.firstTimes()
		case "events":
			f.Events, ok = p.firstTimes()
		case "categories":
			f.Categories, ok = p.firstTimes()
		case "orders":
			f.Orders, ok = p.orders()
		case "partial":
			f.Partial, ok = true, p.word("true")
		default:
			ok = false
		}
		if !ok {
			return f, false
		}
	}
	return f, len(p.b) == 0
}

// firstTimes reads {"name":ms,...}, names in increasing order.
func (p *jsonCursor) firstTimes() ([]FirstTime, bool) {
	if !p.eat('{') {
		return nil, false
	}
	var out []FirstTime
	for !p.eat('}') {
		if len(out) > 0 && !p.eat(',') {
			return nil, false
		}
		name, ok := p.name()
		if !ok || !p.eat(':') || (len(out) > 0 && name <= out[len(out)-1].Name) {
			return nil, false
		}
		ms, ok := p.int()
		if !ok {
			return nil, false
		}
		out = append(out, FirstTime{Name: name, UnixMilli: ms})
	}
	return out, true
}

// orders reads [ms,...], increasing, at most MaxFirstOrders.
func (p *jsonCursor) orders() ([]int64, bool) {
	if !p.eat('[') {
		return nil, false
	}
	var out []int64
	for !p.eat(']') {
		if len(out) > 0 && !p.eat(',') {
			return nil, false
		}
		ms, ok := p.int()
		if !ok || len(out) == MaxFirstOrders || (len(out) > 0 && ms < out[len(out)-1]) {
			return nil, false
		}
		out = append(out, ms)
	}
	return out, true
}
