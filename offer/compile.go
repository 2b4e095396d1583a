package offer

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/segment"
)

// Rule is a compiled eligibility or trigger condition, safe for concurrent
// use: its program is only read.
type Rule struct {
	src     string
	program *vm.Program
}

// options are segment's (the builtin now() would read the wall clock and
// count(list, predicate) would shadow the event-history count), and `in`
// over a list of strings (`"vip" in segments`) as a plain loop: the
// builtin reflects on each element and allocated half of a decision's
// memory over 200 offers.
func options() []expr.Option {
	return []expr.Option{
		expr.Env(Env{}),
		expr.AsBool(),
		expr.DisableBuiltin("now"),
		expr.DisableBuiltin("count"),
		expr.Function("_inStrings", func(params ...any) (any, error) {
			s, _ := params[0].(string)
			list, _ := params[1].([]string)
			return slices.Contains(list, s), nil
		}, new(func(string, []string) bool)),
		expr.Operator("in", "_inStrings"),
	}
}

// Compile checks an expression over Env once. id names the offer or
// trigger in errors, which are *CompileError with the line and column.
func Compile(id, src string) (*Rule, error) {
	if strings.TrimSpace(src) == "" {
		return nil, newCompileError(id, src, 0, "expression is empty")
	}
	if len(src) > segment.MaxExpression {
		return nil, newCompileError(id, src, 0, fmt.Sprintf("expression is %d bytes, more than %d", len(src), segment.MaxExpression))
	}
	program, err := expr.Compile(src, options()...)
	if err != nil {
		var fe *file.Error
		if errors.As(err, &fe) {
			return nil, newCompileError(id, src, fe.From, fe.Message)
		}
		msg := err.Error()
		if got, ok := strings.CutPrefix(msg, "expected bool, but got "); ok {
			msg = "the expression must be true or false, but it gives " + got
		}
		return nil, newCompileError(id, src, 0, msg)
	}
	return &Rule{src: src, program: program}, nil
}

// Source returns the expression r was compiled from.
func (r *Rule) Source() string { return r.src }

// Match runs r on env with the VM m (reused across calls by one
// goroutine). A run-time error (a trait of an unexpected type) reads as
// false, as in segments.
func (r *Rule) Match(m *vm.VM, env *Env) bool {
	out, err := m.Run(r.program, env)
	if err != nil {
		return false
	}
	b, _ := out.(bool)
	return b
}

// CompileError is why an eligibility or trigger condition does not
// compile, with the line and column (1-based, in characters) and the line
// with a caret under the problem. rapport.ErrorCode reads it as EINVALID.
type CompileError struct {
	// ID is the offer's or trigger's id.
	ID      string `json:"id"`
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	Message string `json:"message"`
	Snippet string `json:"snippet,omitempty"`
}

// Error implements the error interface.
func (e *CompileError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: ", e.ID)
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d, column %d: ", e.Line, e.Column)
	}
	b.WriteString(e.Message)
	if e.Snippet != "" {
		b.WriteString("\n" + e.Snippet)
	}
	return b.String()
}

// Unwrap returns the domain error the HTTP layer maps to a status.
func (e *CompileError) Unwrap() error {
	return rapport.Errorf(rapport.EINVALID, "%s", e.Error())
}

// newCompileError locates the character offset from in src, as the
// segment language does.
func newCompileError(id, src string, from int, msg string) *CompileError {
	line, col, snippet := segment.Locate(src, from)
	return &CompileError{ID: id, Line: line, Column: col, Message: msg, Snippet: snippet}
}
