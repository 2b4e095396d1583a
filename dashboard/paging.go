package dashboard

import (
	"net/url"
	"strconv"

	"github.com/rapportdev/rapport"
)

// Paging bounds. maxPage × maxPerPage stays far below the largest offset
// a store accepts, and a million pages is more than anyone clicks through.
const (
	defaultPerPage = 50
	maxPerPage     = 200
	maxPage        = 1_000_000
)

// paging is a validated page number (from 1) and page size.
type paging struct {
	Page  int
	Limit int
}

func (p paging) offset() int { return (p.Page - 1) * p.Limit }

// parsePaging reads the page number from the parameter named page, and
// the page size from "limit" when sized is true (else it is def).
func parsePaging(q url.Values, page string, def int, sized bool) (paging, error) {
	p := paging{Limit: def}
	var err error
	if p.Page, err = intParam(q, page, 1, 1, maxPage); err != nil {
		return p, err
	}
	if sized {
		p.Limit, err = intParam(q, "limit", def, 1, maxPerPage)
	}
	return p, err
}

// intParam returns the named parameter as an int in [lo, hi], def when
// absent or empty, and an EINVALID error that says what is wanted.
func intParam(q url.Values, name string, def, lo, hi int) (int, error) {
	raw, ok := q[name]
	if !ok || (len(raw) == 1 && raw[0] == "") {
		return def, nil
	}
	n, err := strconv.Atoi(raw[0])
	if len(raw) != 1 || err != nil || n < lo || n > hi {
		return 0, rapport.Errorf(rapport.EINVALID, "%s: must be one whole number from %d to %d", name, lo, hi)
	}
	return n, nil
}

// pager is what a template needs to show where a page is and link to its
// neighbours.
type pager struct {
	// From and To number the page's first and last rows (from 1); To is
	// 0 on an empty page.
	From, To int
	// Total counts the rows of every page, -1 when unknown.
	Total int
	// Prev and Next link to the neighbouring pages, "" when there is none.
	Prev, Next string
}

// newPager describes page p showing n rows, with total rows in all (-1
// when unknown, and then more says whether a next page exists).
func newPager(path string, q url.Values, name string, p paging, n, total int, more bool) pager {
	pg := pager{Total: total}
	if n > 0 {
		pg.From, pg.To = p.offset()+1, p.offset()+n
	}
	if total >= 0 {
		more = p.offset()+n < total && n > 0
	}
	if p.Page > 1 {
		pg.Prev = pageURL(path, q, name, p.Page-1)
	}
	if more && p.Page < maxPage {
		pg.Next = pageURL(path, q, name, p.Page+1)
	}
	return pg
}

// pageURL returns path with the query q, its page parameter set to n.
func pageURL(path string, q url.Values, name string, n int) string {
	c := url.Values{}
	for k, v := range q {
		c[k] = v
	}
	c.Set(name, strconv.Itoa(n))
	return path + "?" + c.Encode()
}
