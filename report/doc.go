// Package report builds the reports the admin API and `rapport report`
// serve, as JSON or CSV: segment sizes, the economics of every segment
// and of all customers, the persona cards of the discovered buckets, the
// RFM grid, and the serve-first ranking (docs/economics.md).
//
// Reports read a store through the small interfaces of store.go, a page of
// profiles at a time: what they keep per customer is a few numbers, never
// the profile.
package report
