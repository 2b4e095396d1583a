package segment

import (
	"fmt"

	"github.com/expr-lang/expr/ast"
)

// callError is a problem with a call's constant arguments, at a character
// offset of the expression.
type callError struct {
	from int
	msg  string
}

// checkCalls refuses constant arguments that count and bought would read
// as nothing: a window of no days, an invalid month-day.
func checkCalls(n ast.Node) *callError {
	if c, ok := n.(*ast.CallNode); ok {
		if err := checkCall(c); err != nil {
			return err
		}
	}
	for _, child := range children(n) {
		if child == nil {
			continue
		}
		if err := checkCalls(child); err != nil {
			return err
		}
	}
	return nil
}

func checkCall(c *ast.CallNode) *callError {
	id, ok := c.Callee.(*ast.IdentifierNode)
	if !ok || len(c.Arguments) < 2 {
		return nil
	}
	switch id.Value {
	case "count":
		if d, ok := c.Arguments[1].(*ast.IntegerNode); ok && (d.Value < 1 || d.Value > MaxCountDays) {
			return &callError{d.Location().From, fmt.Sprintf("count: days must be 1 to %d, not %d", MaxCountDays, d.Value)}
		}
	case "bought":
		for _, a := range c.Arguments[1:] {
			if s, ok := a.(*ast.StringNode); ok {
				if _, err := parseMonthDay(s.Value); err != nil {
					return &callError{s.Location().From, "bought: " + err.Error()}
				}
			}
		}
	}
	return nil
}
