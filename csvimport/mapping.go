package csvimport

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode"
)

// Mapping maps a field (user_id, email, order_id, price, trait.plan, ...)
// to the header of the CSV column that holds it. Fields left out are
// looked up among common header names (see Fields).
type Mapping map[string]string

// Fields are the fields a Mapping may name, besides "trait.<name>" for any
// extra trait.
var Fields = []string{
	"user_id", "anonymous_id", "email", "phone", "first_name", "last_name", "name",
	"created_at", "order_id", "timestamp", "revenue", "currency", "channel",
	"product_id", "sku", "product_name", "category", "brand", "price", "quantity", "cost",
}

// traitPrefix marks a field that is stored as a trait of that name.
const traitPrefix = "trait."

// defaultHeaders lists, per field, the header names recognised when the
// mapping does not name a column. Headers are compared by their letters and
// digits only, lower-cased, so "Customer ID", "customer_id" and
// "CustomerID" are the same.
var defaultHeaders = map[string][]string{
	"user_id":       {"user_id", "userid", "customer_id", "customer", "client_id", "member_id"},
	"anonymous_id":  {"anonymous_id", "anonymousid", "visitor_id", "device_id"},
	"email":         {"email", "email_address", "e-mail", "mail"},
	"phone":         {"phone", "phone_number", "mobile", "telephone", "tel", "cell"},
	"first_name":    {"first_name", "firstname", "given_name", "forename"},
	"last_name":     {"last_name", "lastname", "surname", "family_name"},
	"name":          {"name", "full_name", "customer_name"},
	"created_at":    {"created_at", "signup_date", "registered_at", "created", "customer_since"},
	"order_id":      {"order_id", "invoice_no", "invoice", "invoice_id", "order_number", "transaction_id"},
	"timestamp":     {"timestamp", "invoice_date", "order_date", "date", "time", "purchased_at", "ordered_at"},
	"revenue":       {"revenue", "total", "order_total", "amount"},
	"currency":      {"currency", "currency_code"},
	"channel":       {"channel", "sales_channel"},
	"product_id":    {"product_id", "stock_code", "item_id"},
	"sku":           {"sku"},
	"product_name":  {"product_name", "description", "product", "item_name", "title"},
	"category":      {"category", "product_category"},
	"brand":         {"brand"},
	"price":         {"price", "unit_price", "item_price"},
	"quantity":      {"quantity", "qty", "units"},
	"cost":          {"cost", "unit_cost"},
	"trait.country": {"country"},
	"trait.city":    {"city"},
}

// headerKey folds a header name for comparison: letters and digits only,
// lower-cased.
func headerKey(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// validField reports whether f may appear in a Mapping.
func validField(f string) bool {
	if name, ok := strings.CutPrefix(f, traitPrefix); ok {
		return name != ""
	}
	return slices.Contains(Fields, f)
}

// ParseMapping reads "field=Column" pairs, as given to the CLI's --map
// flag, into a Mapping.
func ParseMapping(pairs []string) (Mapping, error) {
	m := Mapping{}
	for _, p := range pairs {
		field, column, ok := strings.Cut(p, "=")
		if err := m.set(strings.TrimSpace(field), strings.TrimSpace(column), ok); err != nil {
			return nil, fmt.Errorf("mapping %q: %w", p, err)
		}
	}
	return m, nil
}

// set adds one pair, checking the field name.
func (m Mapping) set(field, column string, ok bool) error {
	switch {
	case !ok || field == "" || column == "":
		return fmt.Errorf("want field=Column")
	case !validField(field):
		return fmt.Errorf("unknown field %q; fields are %s and trait.<name>", field, strings.Join(Fields, ", "))
	}
	m[field] = column
	return nil
}

// columns is a Mapping resolved against one file's header: field to column
// index.
type columns map[string]int

// resolve finds the column of every field: the mapped header when the
// mapping names one (an error when the header lacks it), else the first
// header among the field's common names.
func resolve(m Mapping, header []string) (columns, error) {
	index := make(map[string]int, len(header))
	for i, h := range header {
		if k := headerKey(h); k != "" {
			if _, dup := index[k]; !dup {
				index[k] = i
			}
		}
	}
	cols := columns{}
	for field, column := range m {
		i, ok := index[headerKey(column)]
		if !ok {
			return nil, fmt.Errorf("column %q (mapped to %s) is not in the header; headers found: %s",
				column, field, strings.Join(header, ", "))
		}
		cols[field] = i
	}
	for field, names := range defaultHeaders {
		if _, mapped := m[field]; mapped {
			continue
		}
		for _, n := range names {
			if i, ok := index[headerKey(n)]; ok {
				cols[field] = i
				break
			}
		}
	}
	return cols, nil
}

// has reports whether any of the fields has a column.
func (c columns) has(fields ...string) bool {
	for _, f := range fields {
		if _, ok := c[f]; ok {
			return true
		}
	}
	return false
}

// require fails when none of the fields has a column, naming them and the
// headers found.
func (c columns) require(header []string, fields ...string) error {
	if c.has(fields...) {
		return nil
	}
	return fmt.Errorf("no column for %s (map one with field=Column); headers found: %s",
		strings.Join(fields, " or "), strings.Join(header, ", "))
}

// traits returns the trait fields that have a column, sorted, with their
// trait names.
func (c columns) traits() [][2]string {
	var out [][2]string
	for f := range c {
		if name, ok := strings.CutPrefix(f, traitPrefix); ok {
			out = append(out, [2]string{f, name})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}
