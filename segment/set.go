package segment

import (
	"math/bits"
	"slices"

	"github.com/expr-lang/expr/vm"

	"github.com/rapportdev/rapport"
)

// Set is a compiled set of segments, evaluated together for one profile
// after each event. A Set reuses one expression VM and scratch memory, so
// it must be used from one goroutine at a time; give each worker its own
// (NewSet is cheap: segments are compiled once and shared).
type Set struct {
	segs  []*Segment
	index map[string]int
	// order evaluates segments that others read (`"vip" in segments`)
	// before those that read them.
	order         []int
	readsSegments bool // some segment reads segments

	vm      vm.VM
	scratch []string
	fails   []Failure
}

// Failure counts the evaluations of one segment that failed at run time,
// such as a trait of one type compared with a number. A failed evaluation
// reads as "not a member". Failures are counted where the program runs:
// a profile that a planned part of the expression already rules out
// (a false first operand of &&) is not evaluated further.
type Failure struct {
	Segment string
	Count   int64
	Last    string // the last error
}

// NewSet builds a set of segments. Ids must be unique, and segments that
// read each other's membership must not form a cycle; either error has
// code rapport.EINVALID.
func NewSet(segs ...*Segment) (*Set, error) {
	s := &Set{segs: segs, index: make(map[string]int, len(segs)), fails: make([]Failure, len(segs))}
	for i, seg := range segs {
		if _, dup := s.index[seg.ID()]; dup {
			return nil, rapport.Errorf(rapport.EINVALID, "segment set: id %q twice", seg.ID())
		}
		s.index[seg.ID()] = i
		s.fails[i].Segment = seg.ID()
		if len(seg.refs.segments) > 0 || slices.Contains(seg.refs.whole, "segments") {
			s.readsSegments = true
		}
	}
	order, err := evalOrder(segs, s.index)
	if err != nil {
		return nil, err
	}
	s.order = order
	return s, nil
}

// evalOrder sorts segments so that each comes after the segments of the
// set it reads; otherwise they keep their positions.
func evalOrder(segs []*Segment, index map[string]int) ([]int, error) {
	const (
		unvisited = iota
		visiting
		done
	)
	state := make([]int, len(segs))
	order := make([]int, 0, len(segs))
	var visit func(i int, path []string) error
	visit = func(i int, path []string) error {
		switch state[i] {
		case done:
			return nil
		case visiting:
			return rapport.Errorf(rapport.EINVALID, "segment set: segments read each other: %v", append(path, segs[i].ID()))
		}
		state[i] = visiting
		for _, id := range segs[i].refs.segments {
			if j, ok := index[id]; ok {
				if err := visit(j, append(path, segs[i].ID())); err != nil {
					return err
				}
			}
		}
		state[i] = done
		order = append(order, i)
		return nil
	}
	for i := range segs {
		if err := visit(i, nil); err != nil {
			return nil, err
		}
	}
	return order, nil
}

// Len returns the number of segments.
func (s *Set) Len() int { return len(s.segs) }

// Segments returns the segments in their positions.
func (s *Set) Segments() []*Segment { return s.segs }

// Index returns the position of the segment with id, or -1.
func (s *Set) Index(id string) int {
	if i, ok := s.index[id]; ok {
		return i
	}
	return -1
}

// Evaluate returns the segments env is in. While it runs, env.Segments
// holds the ids env already had that are not in this set (segments kept
// elsewhere) followed by the members found so far, so that a segment
// reading `"vip" in segments` sees vip's new membership; env.Segments is
// restored before returning. A segment whose expression fails for this
// profile is false, and the failure is counted (Failures).
func (s *Set) Evaluate(env *Env) Membership {
	m := NewBitset(len(s.segs))
	if !s.readsSegments {
		for i, seg := range s.segs {
			if s.run(i, seg, env) {
				m.Set(i)
			}
		}
		return m
	}
	saved := env.Segments
	s.scratch = s.scratch[:0]
	for _, id := range saved {
		if _, ours := s.index[id]; !ours {
			s.scratch = append(s.scratch, id)
		}
	}
	for _, i := range s.order {
		env.Segments = s.scratch
		if s.run(i, s.segs[i], env) {
			m.Set(i)
			s.scratch = append(s.scratch, s.segs[i].ID())
		}
	}
	env.Segments = saved
	return m
}

// run evaluates segment i: with its plan when the plan decides, else
// with the program (which also records failures).
func (s *Set) run(i int, seg *Segment, env *Env) bool {
	if p := seg.plan.full; p != nil {
		if t, e := p.row(env); !e {
			return t
		}
	}
	for _, p := range seg.plan.pre {
		t, e := p.row(env)
		if e {
			break
		}
		if !t {
			return false
		}
	}
	out, err := s.vm.Run(seg.program, env)
	if err != nil {
		s.fails[i].Count++
		s.fails[i].Last = err.Error()
		return false
	}
	b, _ := out.(bool)
	return b
}

// Failures returns, for each segment that failed at run time since the
// set was built, how often and the last error.
func (s *Set) Failures() []Failure {
	var out []Failure
	for _, f := range s.fails {
		if f.Count > 0 {
			out = append(out, f)
		}
	}
	return out
}

// IDs returns the ids of the segments in m, in set order.
func (s *Set) IDs(m Membership) []string {
	var ids []string
	for i, seg := range s.segs {
		if m.Has(i) {
			ids = append(ids, seg.ID())
		}
	}
	return ids
}

// Diff returns the ids of the segments a profile entered and left between
// two memberships from this set, in set order. A nil before means the
// profile was in no segment.
func (s *Set) Diff(before, after Membership) (entered, left []string) {
	for w := range words(len(s.segs)) {
		changed := word(before, w) ^ word(after, w)
		for changed != 0 {
			i := w*64 + bits.TrailingZeros64(changed)
			changed &= changed - 1
			if after.Has(i) {
				entered = append(entered, s.segs[i].ID())
			} else {
				left = append(left, s.segs[i].ID())
			}
		}
	}
	return entered, left
}
