package segment

import "strconv"

// rowEnv is the Env of one row of Columns, rebuilt in place for each row
// that the compiled program must see (expressions the scan cannot run on
// whole columns). Its maps hold only the entries the columns keep; count
// and bought read their columns.
type rowEnv struct {
	env  Env
	cols *Columns
	row  int
	load []column
}

func newRowEnv(c *Columns, load []column) *rowEnv {
	r := &rowEnv{cols: c, load: load}
	traits := map[string]any{}
	r.env = Env{
		Traits:           traits,
		Events:           map[string]int64{},
		Channels:         map[string]int64{},
		PurchaseChannels: map[string]int64{},
		Browsers:         map[string]int64{},
		Referrers:        map[string]int64{},
		OrderWeekdays:    map[string]int64{},
		OrderDayparts:    map[string]int64{},
		Categories:       map[string]float64{},
		Brands:           map[string]float64{},
		Now:              c.now,
	}
	r.env.Count = func(name string, days int) int {
		col, ok := c.cols[colKey{"count", name + "\x00" + strconv.Itoa(days)}].(*floatColumn)
		if !ok {
			return 0
		}
		return int(col.vals[r.row])
	}
	r.env.Bought = func(category, from, to string) bool {
		col, ok := c.cols[colKey{"bought", joinArgs([]string{category, from, to})}].(*bitColumn)
		return ok && col.bits.Has(r.row)
	}
	r.env.HasTrait = func(name string) bool { return traits[name] != nil }
	return r
}

// at loads row i and returns its Env.
func (r *rowEnv) at(i int) *Env {
	r.row = i
	e := &r.env
	clear(e.Traits)
	clear(e.Events)
	clear(e.Channels)
	clear(e.PurchaseChannels)
	clear(e.Browsers)
	clear(e.Referrers)
	clear(e.OrderWeekdays)
	clear(e.OrderDayparts)
	clear(e.Categories)
	clear(e.Brands)
	e.Segments = e.Segments[:0]
	for _, col := range r.load {
		col.load(i, r)
	}
	return e
}

// loadList returns the columns that seg's program reads: those of its
// keys and, for fields it reads as a whole, every column of the field.
func (c *Columns) loadList(seg *Segment) []column {
	var list []column
	for _, k := range c.keys {
		if seg.reads(k) {
			list = append(list, c.cols[k])
		}
	}
	return list
}
