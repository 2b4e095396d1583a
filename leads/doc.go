// Package leads runs lead management against the store and the event
// log: the vendor registry, intake (validation, duplicates, value, the
// events each lead becomes), contact attempts, the pricing answer for
// ping-post integrations, the dialer export with its consent checks, the
// SLA watcher that raises webhooks when a hot lead waits, the conversion
// model's training, and the reports. The logic it applies is package
// lead's; this package does the I/O (docs/leads.md).
package leads
