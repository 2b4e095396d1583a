// Package lead is the pure logic of bought leads: preparing a lead at
// intake (normalising, validating, checking its consent record, reading
// its form signals as engagement), the match keys that find the same
// person across vendors, the events a lead becomes, what a lead is worth
// (a conversion model, expected value and a recommended maximum price),
// and the reports: speed-to-lead, duplicates, vendor scorecards and
// shopping-journey trends. It does no I/O: package leads runs it against
// the store and the event log (docs/leads.md).
package lead
