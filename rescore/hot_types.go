package rescore

import (
	"sync/atomic"

	"github.com/rapportdev/rapport/scoring"
)

// Hot keeps a state's engagement types sparse: only the types with
// something counted, capped, earned or left. scoring.State holds one
// entry per interaction type of the model (17 in the b2c template, 64
// bytes each), and most people have met two or three, so this keeps
// about 900 bytes a profile out of memory. The dropped entries are
// exactly the zero entries alignment makes, so expanding gives back the
// very state scoring left (see expandTypes).

// compactTypes keeps in st.Types the types with anything in them, reusing
// st's slice when they are the ones it already holds, else in a new slice
// of their exact size.
func compactTypes(st *scoring.State, old []scoring.TypeState) {
	n := 0
	for i := range st.Types {
		if !zeroType(&st.Types[i]) {
			n++
		}
	}
	out := old
	if len(old) != n {
		out = make([]scoring.TypeState, n)
	}
	j := 0
	for i := range st.Types {
		if !zeroType(&st.Types[i]) {
			out[j] = st.Types[i]
			j++
		}
	}
	if n == 0 {
		out = nil
	}
	st.Types = out
}

func zeroType(t *scoring.TypeState) bool {
	return t.Count == 0 && t.Capped == 0 && t.Earned == 0 && t.Points == 0 &&
		t.Today == 0 && t.Yesterday == 0 && t.Older == 0
}

// expandTypes returns sparse aligned to the interaction types named
// (a model's), in buf when it is large enough: what scoring's alignment
// makes of the full state, since a type absent from sparse was all zero.
func expandTypes(sparse []scoring.TypeState, names []string, buf []scoring.TypeState) []scoring.TypeState {
	if cap(buf) < len(names) {
		buf = make([]scoring.TypeState, len(names))
	}
	buf = buf[:len(names)]
	next := 0 // sparse is usually in the model's order: try the next one first
	for i, name := range names {
		buf[i] = scoring.TypeState{Type: name}
		if next < len(sparse) && sparse[next].Type == name {
			buf[i] = sparse[next]
			next++
			continue
		}
		for k := range sparse {
			if sparse[k].Type == name {
				buf[i] = sparse[k]
				break
			}
		}
	}
	return buf
}

// typeNames returns the names of m's interaction types, in order. The
// last model's are kept: the processor asks once per profile and batch.
func typeNames(m *scoring.Model) []string {
	if c := lastNames.Load(); c != nil && c.model == m {
		return c.names
	}
	names := make([]string, len(m.Engagement.Types))
	for i, t := range m.Engagement.Types {
		names[i] = t.Name
	}
	lastNames.Store(&modelNames{model: m, names: names})
	return names
}

// modelNames are a model's interaction type names.
type modelNames struct {
	model *scoring.Model
	names []string
}

var lastNames atomic.Pointer[modelNames]

// fullState returns a copy of a hot state with its types aligned to m:
// the state as scoring and the store hold it.
func fullState(st *scoring.State, m *scoring.Model) scoring.State {
	out := *st
	out.Types = expandTypes(st.Types, typeNames(m), nil)
	out.History = append([]scoring.Transition(nil), st.History...)
	out.Active = append([]string(nil), st.Active...)
	return out
}
