// Package csvimport turns customer lists and order histories kept in CSV
// files into tracking events, so that imported data goes into the same
// durable event log as live traffic and is resolved, aggregated and added
// to the order ledger by the same code; and product catalogues into the
// products that give orders their costs.
//
// Customers become identify events; orders become track events named
// "Order Completed" (or "Order Refunded" when their total is negative, as
// for the cancellations of the UCI Online Retail file) with the properties
// of the Segment e-commerce spec. The lines of one order may be spread over
// the file: they are grouped by order id. A product catalogue (Products)
// makes no events: it goes to the store's catalogue, from which the
// processor takes the cost, category and brand an order line lacks.
//
// Message ids are derived from the source name and the order id (orders)
// or the row's content (customers), so importing the same file twice adds
// nothing: the log keeps one copy of each message id.
//
// Every data row is either used or reported with its line number and the
// reason it was rejected; nothing is dropped silently. A header that lacks
// a required column fails the import before any event is produced.
package csvimport
