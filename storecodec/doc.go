// Package storecodec is the storage adapters' shared logic that is not
// SQL. It encodes domain values into the column values packages sqlite
// and postgres keep, and decodes them again: event bodies, the JSON
// columns of profiles, order bodies, and times as unix nanoseconds. It
// also checks Changes and Keys before they are written, lists embedded
// migration files in the order they apply, and bounds page sizes. It does
// no I/O; what one database needs alone (PostgreSQL's refusal of NUL, for
// instance) stays in that adapter.
//
// Everything here uses goccy/go-json, a drop-in for encoding/json that
// measured about three times faster on Segment-shaped events: encoding
// bodies is most of an append's CPU time, and encoding profiles a large
// part of applying a batch (the processor applied 13,500 events/s with
// encoding/json for profiles and orders, 16,000 with goccy/go-json).
package storecodec
