// Package dashboard is Rapport's web interface for people: the ranked
// leads, a profile with its score, timeline, orders and merges, the
// segments (rule segments with a live-checked editor, discovered buckets
// with their persona cards, members and their CSV export, the economics
// table, the serve-first ranking and the RFM grid), and the settings
// (write keys, the scoring model, webhooks and their delivery log). Pages are rendered on the server with html/template from
// templates and assets embedded in the binary, so `rapport serve` needs no
// front-end build; JavaScript only draws charts over tables that are
// readable without it.
//
// People sign in with an admin token. The session is a cookie signed with
// HMAC-SHA256 under a key made at start (a restart signs everyone out);
// every form that changes something carries a CSRF token derived from the
// session.
//
// Every list is paged on the server (the store's FindLeads, FindEvents
// and FindMembers with a limit and an offset), so a page costs the same
// with a thousand profiles or a million. What needs every profile (the
// distribution of scores, the economics and RFM reports) is computed in
// the background at most every minute or so, and shown with its time.
package dashboard
