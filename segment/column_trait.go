package segment

import "slices"

// Codes of an anyColumn below its dictionary's.
const (
	codeMissing = iota // the trait is not set
	codeNumber         // a number, in nums
	codeOther          // a value of another type (a list, an object), in other
	codeDict           // codeDict+i is dict[i]: a string, a boolean or null
)

// anyColumn holds one trait per profile: a code per profile, numbers
// beside (once one appears), and the rare values that are neither
// numbers nor strings, booleans or null by row.
type anyColumn struct {
	key   string
	codes []uint32
	nums  []float64
	dict  []any
	index map[any]uint32
	other map[int]any
}

func (c *anyColumn) add(env *Env) {
	v, ok := env.Traits[c.key]
	row := len(c.codes)
	code := uint32(codeMissing)
	switch x := v.(type) {
	case nil:
		if ok {
			code = c.intern(nil)
		}
	case string:
		code = c.intern(x)
	case bool:
		code = c.intern(x)
	default:
		if f, isNum := number(x); isNum {
			code = codeNumber
			if c.nums == nil {
				c.nums = make([]float64, row, cap(c.codes))
			}
			c.nums = append(c.nums, f)
		} else {
			code = codeOther
			if c.other == nil {
				c.other = make(map[int]any)
			}
			c.other[row] = v
		}
	}
	if c.nums != nil && len(c.nums) == row {
		c.nums = append(c.nums, 0)
	}
	c.codes = append(c.codes, code)
}

func (c *anyColumn) intern(v any) uint32 {
	code, ok := c.index[v]
	if !ok {
		if c.index == nil {
			c.index = make(map[any]uint32)
		}
		code = codeDict + uint32(len(c.dict))
		c.dict = append(c.dict, v)
		c.index[v] = code
	}
	return code
}

// value returns row i's value and whether the trait is set.
func (c *anyColumn) value(i int) (any, bool) {
	switch code := c.codes[i]; code {
	case codeMissing:
		return nil, false
	case codeNumber:
		return c.nums[i], true
	case codeOther:
		return c.other[i], true
	default:
		return c.dict[code-codeDict], true
	}
}

func (c *anyColumn) load(i int, r *rowEnv) {
	if v, ok := c.value(i); ok {
		r.env.Traits[c.key] = v
	}
}

func (c *anyColumn) grow(n int) {
	c.codes = slices.Grow(c.codes, n)
	if c.nums != nil {
		c.nums = slices.Grow(c.nums, n)
	}
}

// number reads Go's numeric types as float64, as JSON decoding gives.
func number(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case int:
		return float64(x), true
	case int8:
		return float64(x), true
	case int16:
		return float64(x), true
	case int32:
		return float64(x), true
	case int64:
		return float64(x), true
	case uint:
		return float64(x), true
	case uint8:
		return float64(x), true
	case uint16:
		return float64(x), true
	case uint32:
		return float64(x), true
	case uint64:
		return float64(x), true
	}
	return 0, false
}
