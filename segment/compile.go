package segment

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"

	"github.com/rapportdev/rapport"
)

// MaxExpression bounds the length of an expression in bytes.
const MaxExpression = 16 << 10

// MaxCountDays bounds the days of count(name, days): the days of event
// history a profile keeps.
const MaxCountDays = rapport.HistoryDays

// Definition is a segment as people write it.
type Definition struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// Expression is an expr-lang expression over Env that is true for the
	// segment's members.
	Expression string `json:"expression"`
}

// Segment is a compiled Definition, safe for concurrent use: its program
// is only read.
type Segment struct {
	def     Definition
	program *vm.Program
	refs    refs
	plan    plan
}

// Definition returns what s was compiled from.
func (s *Segment) Definition() Definition { return s.def }

// ID returns the segment's id.
func (s *Segment) ID() string { return s.def.ID }

// options are the compile options of every segment. The builtin now()
// would read the wall clock, so it is disabled: expressions read the Env's
// now. The builtin count(array, predicate) is disabled so that count always
// means the event-history function.
func options() []expr.Option {
	return []expr.Option{
		expr.Env(Env{}),
		expr.AsBool(),
		expr.DisableBuiltin("now"),
		expr.DisableBuiltin("count"),
	}
}

// Compile checks def and compiles its expression once. Errors are
// *CompileError, which carry the line and column of the problem.
func Compile(def Definition) (*Segment, error) {
	if strings.TrimSpace(def.ID) == "" {
		return nil, &CompileError{Segment: def.Name, Message: "segment has no id"}
	}
	src := def.Expression
	if strings.TrimSpace(src) == "" {
		return nil, newCompileError(def.ID, src, 0, "expression is empty")
	}
	if len(src) > MaxExpression {
		return nil, newCompileError(def.ID, src, 0, fmt.Sprintf("expression is %d bytes, more than %d", len(src), MaxExpression))
	}
	program, err := expr.Compile(src, options()...)
	if err != nil {
		var fe *file.Error
		if errors.As(err, &fe) {
			return nil, newCompileError(def.ID, src, fe.From, fe.Message)
		}
		msg := err.Error()
		if got, ok := strings.CutPrefix(msg, "expected bool, but got "); ok {
			msg = "the expression must be true or false, but it gives " + got
		}
		return nil, newCompileError(def.ID, src, 0, msg)
	}
	s := &Segment{def: def, program: program}
	if err := checkCalls(program.Node()); err != nil {
		return nil, newCompileError(def.ID, src, err.from, err.msg)
	}
	s.refs = collectRefs(program.Node())
	s.plan = newPlan(program.Node())
	return s, nil
}

// reads reports whether s's program reads what k names.
func (s *Segment) reads(k colKey) bool {
	return slices.Contains(s.refs.keys, k) || slices.Contains(s.refs.whole, k.field)
}

// Match runs s's program on env: whether the profile is in the segment,
// or the run-time error that keeps it out (a trait of an unexpected type).
// It is for one-off checks such as a preview; Set evaluates many segments
// per event without allocating.
func (s *Segment) Match(env *Env) (bool, error) {
	out, err := vm.Run(s.program, env)
	if err != nil {
		return false, fmt.Errorf("segment %q: %w", s.ID(), err)
	}
	b, _ := out.(bool)
	return b, nil
}

// ReadsField reports whether the segment's expression reads the Env field
// of that expression name ("rfm", "segments", "engagement" …), in part or
// as a whole.
func (s *Segment) ReadsField(name string) bool {
	if slices.Contains(s.refs.whole, name) {
		return true
	}
	for _, k := range s.refs.keys {
		if k.field == name {
			return true
		}
	}
	return name == "segments" && len(s.refs.segments) > 0
}
