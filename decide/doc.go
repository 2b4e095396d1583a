// Package decide is the offer service: it keeps the catalog and the
// triggers (from the store, where rapport.yaml's declarations and the
// admin API's changes go), answers decisions for a person in a context
// with package offer's engine, records every decision with its consent
// check, records outcomes and teaches them to the engine's posteriors,
// counts a shown offer nobody answered as ignored once its window has
// passed, and runs the real-time triggers: when the processor applies an
// event a trigger listens for and its condition holds, it decides for the
// trigger's channel and queues the result for webhooks (the outbox).
//
// All I/O goes through the Store; the decisions themselves are pure
// (package offer).
package decide
