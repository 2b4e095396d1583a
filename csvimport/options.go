package csvimport

import (
	"time"

	"github.com/rapportdev/rapport"
)

// DefaultTimeLayouts are the time layouts tried, in order, when
// Options.TimeLayouts is empty.
var DefaultTimeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02 15:04:05",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04",
	"2006-01-02",
	"20060102",
	"1/2/2006 15:04",
	"1/2/2006",
}

// DefaultBatchSize is the number of events handed to emit at a time when
// Options.BatchSize is zero.
const DefaultBatchSize = 500

// Options control an import. The zero value imports a comma-separated file
// with the default mapping and time layouts, in UTC.
type Options struct {
	// Mapping names the columns of fields whose headers are not among the
	// common names recognised by default.
	Mapping Mapping
	// Delimiter separates fields; ',' when zero (';' for files such as the
	// UCI Bank Marketing set).
	Delimiter rune
	// TimeLayouts are tried in order to read times; DefaultTimeLayouts when
	// empty.
	TimeLayouts []string
	// Location is the time zone of times written without one; UTC when nil.
	Location *time.Location
	// Source names the file in message ids and event context, e.g. its
	// base name. Importing two files under the same name with the same
	// order ids keeps only the first copy of each order.
	Source string
	// Currency is the currency of orders whose row names none.
	Currency string
	// Channel is the sales channel (web, in-store, phone, ...) of orders
	// whose row names none.
	Channel string
	// Grouped says every order's lines are adjacent, so an order is
	// emitted as soon as the order id changes instead of at the end of the
	// file. A line of an order that already ended is then rejected.
	Grouped bool
	// AllColumns makes every column that no field maps a trait, named
	// after its header in snake_case (customers only).
	AllColumns bool
	// BatchSize is the number of events per call to emit;
	// DefaultBatchSize when zero.
	BatchSize int
	// Clock stamps ReceivedAt, and the time of customers whose row has no
	// timestamp; the system clock when nil.
	Clock rapport.Clock
	// Progress, when set, is called with the number of bytes read so far,
	// as the import advances.
	Progress func(bytesRead int64)
}

// withDefaults fills the zero fields.
func (o Options) withDefaults() Options {
	if o.Delimiter == 0 {
		o.Delimiter = ','
	}
	if len(o.TimeLayouts) == 0 {
		o.TimeLayouts = DefaultTimeLayouts
	}
	if o.Location == nil {
		o.Location = time.UTC
	}
	if o.Source == "" {
		o.Source = "csv"
	}
	if o.BatchSize <= 0 {
		o.BatchSize = DefaultBatchSize
	}
	if o.Clock == nil {
		o.Clock = rapport.SystemClock{}
	}
	return o
}
