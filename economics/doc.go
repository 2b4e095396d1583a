// Package economics says what each customer, and each bucket of customers,
// is worth after what serving them costs: revenue, gross margin, cost to
// serve, net contribution, return on that cost, and a lifetime value
// forecast from the BG/NBD and Gamma-Gamma models of package clv. It flags
// the customers expected to cost more to serve than they will bring, and
// ranks whom to serve first when there is room to help only one.
//
// It is pure: a profile and options in, figures out. Package report walks a
// store and feeds it; docs/economics.md defines every figure.
package economics
