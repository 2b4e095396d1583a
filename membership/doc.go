// Package membership keeps rule segments' members current.
//
// Live is what the processor runs after each batch (a
// processor.Segmenter): the compiled rule segments in use, swapped
// atomically when a segment is created, changed or deleted. Keeper owns the
// definitions: it validates and stores them, and runs recompute passes
// that walk every stored profile (when a segment changes, at start, and
// on a schedule, since rules like "no order in 90 days" become true with
// time alone). A pass first measures the population's recency, frequency
// and monetary values to place the RFM quintiles, then evaluates every
// rule segment and records who entered and left.
package membership
