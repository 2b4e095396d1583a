// Package scoring scores a profile in three dimensions: fit (who they are,
// against an ideal customer profile), engagement (how they interact, with
// personal channels weighing more and old interactions decaying) and
// lifecycle stage (where they stand in the relationship, from prospect to
// advocate, and at-risk or lapsed). The three combine into a priority, and
// every score carries the explanation of how it was reached.
//
// The package is pure: no I/O and no wall clock. A Model, usually read
// from rapport.yaml with ParseModel or taken from the shipped templates
// (B2C, B2B), says how to score. The caller keeps one State per profile
// (JSON-serialisable), calls Score once per applied event with the profile
// as it is after the event, and Rescore when only time has passed or the
// model has changed. Both return the Result and the names of the rules
// that became true.
package scoring
