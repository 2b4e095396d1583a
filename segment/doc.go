// Package segment keeps customers in buckets: rule segments written in an
// expression language, their membership kept current per event, counts over
// millions of profiles in milliseconds, and RFM (recency, frequency,
// monetary) scores and groups.
//
// A segment is a Definition whose Expression is an expr-lang expression
// (https://expr-lang.org) over an Env: traits, aggregates, the 3D score,
// RFM, the memberships of other segments, and a few functions over the
// profile's recent event history (rapport.EventHistory):
//
//	count("Order Completed", 90) >= 2
//	bought("flowers", "02-07", "02-14")
//	traits.influencer == true || (traits.followers ?? 0) >= 10000
//	grade == "A" && engagement >= 70 && stage in ["loyal_customer", "advocate"]
//
// Compile checks types once, at creation, and reports errors with their
// line and column (CompileError). A Set evaluates many compiled segments
// for one profile after each event (Evaluate, then Diff for who entered
// and left). Columns holds profiles column-wise for bulk work: Count and
// Members scan them with bitsets for the common shapes of expression and
// run the compiled program per row for the rest; both give the same
// answer.
//
// The package is pure: no I/O and no wall clock; every function that
// depends on time takes now.
package segment
