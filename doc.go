// Package rapport holds Rapport's domain: the events people send, the
// profiles they resolve to, the keys that guard the APIs, the errors every
// layer speaks, and the interfaces between the parts (the event log, the
// profile store, the clock).
//
// It imports nothing else of ours. Pure logic lives in packages named after
// what they compute (profile, ...); adapters live in packages named after
// what they wrap (sqlite, postgres, http); cmd/rapport wires them together.
package rapport
