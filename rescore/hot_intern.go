package rescore

import (
	"slices"
	"sync"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/scoring"
)

// interner shares the strings that repeat from profile to profile (trait
// and event names, stages, interaction types, rule names, short trait
// values such as a gender or an occupation): decoded from JSON, each
// profile would hold its own copies, about 300 bytes of a profile's hot
// state. It stops taking new strings at maxInterned, so unique values
// (emails) that slip in cannot grow it without bound.
type interner struct {
	m sync.Map
	n sync.Mutex
	// size counts the strings held, under n.
	size int
}

const (
	maxInterned = 1 << 16
	// maxInternedLen bounds the names shared; maxInternedValue the trait
	// values, shorter, since long ones are mostly unique (emails, names).
	maxInternedLen   = 32
	maxInternedValue = 16
)

// get returns the shared copy of s.
func (in *interner) get(s string) string {
	if len(s) > maxInternedLen {
		return s
	}
	if v, ok := in.m.Load(s); ok {
		return v.(string)
	}
	in.n.Lock()
	defer in.n.Unlock()
	if in.size >= maxInterned {
		return s
	}
	v, loaded := in.m.LoadOrStore(s, s)
	if !loaded {
		in.size++
	}
	return v.(string)
}

// subject returns s with its maps rebuilt on shared keys and short
// string values, at their exact size.
func (in *interner) subject(s scoring.Subject) scoring.Subject {
	if s.Traits != nil {
		traits := make(map[string]any, len(s.Traits))
		for k, v := range s.Traits {
			if str, ok := v.(string); ok && len(str) <= maxInternedValue {
				v = in.get(str)
			}
			traits[in.get(k)] = v
		}
		s.Traits = traits
	}
	if s.Events != nil {
		events := make(map[string]int64, len(s.Events))
		for k, v := range s.Events {
			events[in.get(k)] = v
		}
		s.Events = events
	}
	s.Firsts = in.firsts(s.Firsts)
	return s
}

// firsts returns a copy of f on shared names, at its exact size.
func (in *interner) firsts(f rapport.Firsts) rapport.Firsts {
	return rapport.Firsts{Identities: in.firstTimes(f.Identities), Events: in.firstTimes(f.Events),
		Categories: in.firstTimes(f.Categories), Orders: slices.Clone(f.Orders), Partial: f.Partial}
}

// firstTimes copies list on shared names.
func (in *interner) firstTimes(list []rapport.FirstTime) []rapport.FirstTime {
	if list == nil {
		return nil
	}
	out := make([]rapport.FirstTime, len(list))
	for i, x := range list {
		out[i] = rapport.FirstTime{Name: in.get(x.Name), UnixMilli: x.UnixMilli}
	}
	return out
}

// state shares st's strings and trims its slices to their length.
func (in *interner) state(st *scoring.State) {
	st.Stage = scoring.Stage(in.get(string(st.Stage)))
	for i := range st.Types {
		st.Types[i].Type = in.get(st.Types[i].Type)
	}
	if len(st.History) > 0 {
		h := make([]scoring.Transition, len(st.History))
		copy(h, st.History)
		for i := range h {
			h[i].From, h[i].To = scoring.Stage(in.get(string(h[i].From))), scoring.Stage(in.get(string(h[i].To)))
		}
		st.History = h
	}
	if len(st.Active) > 0 {
		a := make([]string, len(st.Active))
		for i, r := range st.Active {
			a[i] = in.get(r)
		}
		st.Active = a
	}
}
