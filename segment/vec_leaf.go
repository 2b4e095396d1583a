package segment

// numVec compares a float64 column with a constant.
type numVec struct {
	vals []float64
	test numTest
}

func (l *numberLeaf) bind(c *Columns) (vnode, error) {
	col, err := columnOf[*floatColumn](c, l.src.key)
	if err != nil {
		return nil, err
	}
	return &numVec{col.vals, l.test}, nil
}

func (v *numVec) eval(lo, hi int, t, _ []uint64, _ *scratch) bool {
	compare(v.vals[lo:hi], &v.test, t)
	return false
}

// compare sets a bit of t per value of vals that passes test.
func compare(vals []float64, test *numTest, t []uint64) {
	for w := range t {
		t[w] = test.word(vals[w*64 : min(w*64+64, len(vals))])
	}
}

// word returns a bit per value of xs (at most 64) that passes t. Each
// operator has its own loop without branches, since this is where bulk
// counts spend their time.
func (t *numTest) word(xs []float64) uint64 {
	c := t.c
	switch t.op {
	case opEq:
		return word64(xs, func(x float64) bool { return x == c })
	case opNe:
		return word64(xs, func(x float64) bool { return x != c })
	case opLt:
		return word64(xs, func(x float64) bool { return x < c })
	case opLe:
		return word64(xs, func(x float64) bool { return x <= c })
	case opGt:
		return word64(xs, func(x float64) bool { return x > c })
	case opGe:
		return word64(xs, func(x float64) bool { return x >= c })
	}
	return word64(xs, t.eval)
}

// word64 is small enough to be inlined, and f with it, into each case of
// word.
func word64(xs []float64, f func(float64) bool) uint64 {
	var b uint64
	for j, x := range xs {
		b |= bit(f(x)) << (uint(j) & 63)
	}
	return b
}

func bit(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// codeVec tests a column of codes with a table of results per code:
// string columns and traits. Trait rows holding numbers are tested with
// num (or take the table's entry for codeNumber), rows holding other
// values one by one.
type codeVec struct {
	codes  []uint32
	t, e   []bool
	hasErr bool

	nums  []float64
	num   *numTest
	other map[int]any
	test  func(any) (bool, bool)
}

func (l *stringLeaf) bind(c *Columns) (vnode, error) {
	col, err := columnOf[*stringColumn](c, l.src.key)
	if err != nil {
		return nil, err
	}
	v := &codeVec{codes: col.codes, t: make([]bool, len(col.dict))}
	for i, s := range col.dict {
		v.t[i] = l.test(s)
	}
	return v, nil
}

func (l *traitLeaf) bind(c *Columns) (vnode, error) {
	col, err := columnOf[*anyColumn](c, colKey{"traits", l.src.key})
	if err != nil {
		return nil, err
	}
	// A number never is nil, so the default does not apply to it, and
	// with no numeric constant the result does not depend on which
	// number it is: 0 stands for them all.
	mt, me := l.test(nil)
	return newCodeVec(col, l.test, [2]bool{mt, me}, l.num, l.test), nil
}

func (l *presenceLeaf) bind(c *Columns) (vnode, error) {
	if fieldKinds[l.field] != kindAnyMap {
		col, err := columnOf[*floatColumn](c, colKey{l.field, l.key})
		if err != nil {
			return nil, err
		}
		return &bitVec{col.has}, nil
	}
	col, err := columnOf[*anyColumn](c, colKey{"traits", l.key})
	if err != nil {
		return nil, err
	}
	set := func(any) (bool, bool) { return true, false }
	return newCodeVec(col, set, [2]bool{false, false}, nil, set), nil
}

func (l hasTraitLeaf) bind(c *Columns) (vnode, error) {
	col, err := columnOf[*anyColumn](c, colKey{"traits", string(l)})
	if err != nil {
		return nil, err
	}
	notNil := func(v any) (bool, bool) { return v != nil, false }
	return newCodeVec(col, notNil, [2]bool{false, false}, nil, notNil), nil
}

// newCodeVec builds the tables of a trait column: missing is the result
// for rows without the trait, dict entries and numbers get test's
// results, other values are tested row by row.
func newCodeVec(col *anyColumn, test func(any) (bool, bool), missing [2]bool, num *numTest, other func(any) (bool, bool)) *codeVec {
	n := codeDict + len(col.dict)
	v := &codeVec{codes: col.codes, t: make([]bool, n), e: make([]bool, n), nums: col.nums, num: num, other: col.other, test: other}
	v.t[codeMissing], v.e[codeMissing] = missing[0], missing[1]
	v.t[codeNumber], v.e[codeNumber] = test(float64(0))
	for i, d := range col.dict {
		v.t[codeDict+i], v.e[codeDict+i] = test(d)
	}
	for _, e := range v.e {
		v.hasErr = v.hasErr || e
	}
	v.hasErr = v.hasErr || len(col.other) > 0
	return v
}

func (v *codeVec) eval(lo, hi int, t, e []uint64, sc *scratch) bool {
	codes := v.codes[lo:hi]
	mixed := v.num != nil && v.nums != nil
	switch {
	case len(v.t) <= 64 && mixed:
		v.mixedSmall(lo, codes, t)
		if v.hasErr {
			v.errSmall(codes, e)
		}
	case len(v.t) <= 64:
		v.evalSmall(codes, t, e)
	default:
		v.evalLarge(codes, t, e)
		if mixed {
			v.numbers(lo, codes, t, e, sc)
		}
	}
	if len(v.other) > 0 {
		v.others(lo, codes, t, e)
	}
	return v.hasErr
}

// evalSmall looks codes up in 64-bit masks: dictionaries of up to 61
// entries (grades, stages, most traits).
func (v *codeVec) evalSmall(codes []uint32, t, e []uint64) {
	tm, _ := v.masks()
	for w := range t {
		seg := codes[w*64 : min(w*64+64, len(codes))]
		var bt uint64
		for j, code := range seg {
			bt |= (tm >> (code & 63) & 1) << (uint(j) & 63)
		}
		t[w] = bt
	}
	if v.hasErr {
		v.errSmall(codes, e)
	}
}

// errSmall sets e from the error mask.
func (v *codeVec) errSmall(codes []uint32, e []uint64) {
	_, em := v.masks()
	for w := range e {
		seg := codes[w*64 : min(w*64+64, len(codes))]
		var be uint64
		for j, code := range seg {
			be |= (em >> (code & 63) & 1) << (uint(j) & 63)
		}
		e[w] = be
	}
}

// masks returns the tables as bit masks, for dictionaries of up to 61
// entries.
func (v *codeVec) masks() (tm, em uint64) {
	for code := range v.t {
		tm |= bit(v.t[code]) << uint(code)
		if v.hasErr {
			em |= bit(v.e[code]) << uint(code)
		}
	}
	return tm, em
}

// mixedSmall computes t for a trait column holding numbers in one pass
// over codes and numbers: a row's bit is its number's comparison when its
// code says number, its code's table entry otherwise. (A number never
// fails the comparison: the table's error entry for codeNumber, computed
// through num as well, is false.)
func (v *codeVec) mixedSmall(lo int, codes []uint32, t []uint64) {
	tm, _ := v.masks()
	nums := v.nums[lo : lo+len(codes)]
	for w := range t {
		a, b := w*64, min(w*64+64, len(codes))
		nb := v.num.word(nums[a:b])
		var bt uint64
		for j, code := range codes[a:b] {
			tb := tm >> (code & 63) & 1
			isNum := bit(code == codeNumber)
			bt |= (tb ^ (tb^(nb>>(uint(j)&63)&1))&isNum) << (uint(j) & 63)
		}
		t[w] = bt
	}
}

func (v *codeVec) evalLarge(codes []uint32, t, e []uint64) {
	tt, te := v.t, v.e
	for w := range t {
		seg := codes[w*64 : min(w*64+64, len(codes))]
		var bt, be uint64
		for j, code := range seg {
			bt |= bit(tt[code]) << uint(j)
		}
		if v.hasErr {
			for j, code := range seg {
				be |= bit(te[code]) << uint(j)
			}
			e[w] = be
		}
		t[w] = bt
	}
}

// numbers tests the rows holding numbers with num: the whole chunk's
// numbers are compared (rows without one hold 0), and the results kept
// for the rows whose code says number.
func (v *codeVec) numbers(lo int, codes []uint32, t, e []uint64, sc *scratch) {
	nb := sc.get(len(t))
	defer sc.put(nb)
	compare(v.nums[lo:lo+len(codes)], v.num, nb)
	for w := range t {
		seg := codes[w*64 : min(w*64+64, len(codes))]
		var isNum uint64
		for j, code := range seg {
			isNum |= bit(code == codeNumber) << uint(j)
		}
		t[w] = t[w]&^isNum | nb[w]&isNum
		if v.hasErr {
			e[w] &^= isNum
		}
	}
}

// others tests the rows holding values of other types one by one.
func (v *codeVec) others(lo int, codes []uint32, t, e []uint64) {
	for i, code := range codes {
		if code != codeOther {
			continue
		}
		w, m := i/64, uint64(1)<<uint(i%64)
		t[w] &^= m
		e[w] &^= m
		ok, fail := v.test(v.other[lo+i])
		if ok {
			t[w] |= m
		}
		if fail {
			e[w] |= m
		}
	}
}
