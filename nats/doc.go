// Package nats keeps Rapport's event log in a NATS JetStream stream
// (rapport.EventLog), for deployments that outgrow one machine: ingest
// processes publish to the stream and acknowledge their clients only once
// JetStream has acknowledged the write, and the processor reads the
// stream in sequence order.
//
// One stream holds the log (default RAPPORT_EVENTS, subject
// rapport.events); an event's Seq is its stream sequence, so sequences
// only grow and are never reused, and Trim purges what the processor has
// applied. Events are the same JSON bodies the other logs store.
//
// Durability: JetStream acknowledges a write once it is stored; whether
// that is fsynced depends on the server's sync_interval (the default
// syncs every two minutes; "always" syncs every write). A stream with
// replicas survives the loss of a server instead. See docs/scaling.md.
package nats
