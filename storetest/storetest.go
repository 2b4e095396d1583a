// Package storetest holds the conformance suites every rapport.Store and
// every rapport.EventLog pass: one behaviour, two backends. A backend's
// tests call Run with a function that opens a fresh, empty store, and
// RunLog with one that opens a fresh, empty log.
package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
)

// Run runs the store conformance suite. Events enter a store only with
// the changes they cause, through ApplyChanges(Changes{Events: ...}), with
// the Seqs the log gave them. open must return a new, empty store for
// each call; the suite closes it when the subtest ends, before any cleanup
// open registered itself (such as dropping a schema) runs.
func Run(t *testing.T, open func(t *testing.T) rapport.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s rapport.Store)
	}{
		{"StoreReadRoundTrip", testStoreReadRoundTrip},
		{"StoreDedupe", testStoreDedupe},
		{"StoreEventsAtomic", testStoreEventsAtomic},
		{"ReadEventsPaging", testReadEventsPaging},
		{"FindMessageIDs", testFindMessageIDs},
		{"ApplyChanges", testApplyChanges},
		{"ApplyChangesConflict", testApplyChangesConflict},
		{"ApplyChangesInvalid", testApplyChangesInvalid},
		{"OrdersIdempotent", testOrdersIdempotent},
		{"Merge", testMerge},
		{"FindProfileNotFound", testFindProfileNotFound},
		{"FindProfileIDByIdentity", testFindProfileIDByIdentity},
		{"FindProfileIDsByIdentities", testFindProfileIDsByIdentities},
		{"FindProfiles", testFindProfiles},
		{"FindProfilesTraitKeyQuote", testFindProfilesTraitKeyQuote},
		{"FindEventsAfterMerge", testFindEventsAfterMerge},
		{"FindEventsOrderAndPaging", testFindEventsOrderAndPaging},
		{"DeleteProfile", testDeleteProfile},
		{"HostileText", testHostileText},
		{"Keys", testKeys},
		{"Users", testUsers},
		{"Webhooks", testWebhooks},
		{"NotificationsFanOut", testNotificationsFanOut},
		{"NotificationsAtomic", testNotificationsAtomic},
		{"DeliveriesDue", testDeliveriesDue},
		{"DeliveriesPaging", testDeliveriesPaging},
		{"DeleteWebhook", testDeleteWebhook},
		{"Scores", testScores},
		{"Leads", testLeads},
		{"ScoreMergeAndErase", testScoreMergeAndErase},
		{"ScanProfiles", testScanProfiles},
		{"UpdateScores", testUpdateScores},
		{"Models", testModels},
		{"Segments", testSegments},
		{"ConsentsRoundTrip", testConsentsRoundTrip},
		{"EraseLeads", testEraseLeads},
		{"Memberships", testMemberships},
		{"MembershipsStale", testMembershipsStale},
		{"Products", testProducts},
		{"ProductsUpdate", testProductsUpdate},
		{"ProductsKeys", testProductsKeys},
		{"ListProducts", testListProducts},
		{"Vendors", testVendors},
		{"CreateLeads", testCreateLeads},
		{"LeadCaps", testLeadCaps},
		{"LeadRoundTrip", testLeadRoundTrip},
		{"FindBoughtLeads", testFindBoughtLeads},
		{"LeadContacts", testLeadContacts},
		{"LeadAlerts", testLeadAlerts},
		{"LeadConversions", testLeadConversions},
		{"LeadReturns", testLeadReturns},
		{"LeadTotals", testLeadTotals},
		{"Offers", testOffers},
		{"Triggers", testTriggers},
		{"Decisions", testDecisions},
		{"Outcomes", testOutcomes},
		{"Unanswered", testUnanswered},
		{"OfferFunnel", testOfferFunnel},
		{"OfferTrim", testOfferTrim},
		{"Close", testClose},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() { s.Close() })
			tt.fn(t, s)
		})
	}
}

// base is the time the suite's events and profiles happen around.
var base = time.Date(2025, 3, 14, 15, 9, 26, 535897932, time.UTC)

// at returns base plus n seconds.
func at(n int) time.Time { return base.Add(time.Duration(n) * time.Second) }

// event returns a minimal valid track event.
func event(id, userID, anonID string, ts time.Time) rapport.Event {
	return rapport.Event{
		MessageID: id, Type: rapport.EventTrack, Event: "Viewed", UserID: userID,
		AnonymousID: anonID, Timestamp: ts, ReceivedAt: ts.Add(time.Second),
	}
}

// withSeqs returns events with Seq 1, 2, ... as the log would assign them.
func withSeqs(events ...rapport.Event) []rapport.Event {
	for i := range events {
		events[i].Seq = int64(i + 1)
	}
	return events
}

// readEvents reads up to limit stored events after a seq.
func readEvents(t *testing.T, s rapport.Store, after int64, limit int) []rapport.Event {
	t.Helper()
	got, err := s.ReadEvents(context.Background(), after, limit)
	if err != nil {
		t.Fatalf("ReadEvents(%d, %d): %v", after, limit, err)
	}
	return got
}

// apply applies changes and fails the test on error.
func apply(t *testing.T, s rapport.Store, c rapport.Changes) {
	t.Helper()
	if err := s.ApplyChanges(context.Background(), c); err != nil {
		t.Fatalf("ApplyChanges: %v", err)
	}
}

// link returns an identity link.
func link(kind rapport.IdentityKind, value, profileID string) rapport.IdentityLink {
	return rapport.IdentityLink{Identity: rapport.Identity{Kind: kind, Value: value}, ProfileID: profileID}
}

// person returns a minimal person profile.
func person(id string) *rapport.Profile {
	return &rapport.Profile{ID: id, Kind: rapport.ProfilePerson, Traits: map[string]any{},
		CreatedAt: base, UpdatedAt: base}
}

// wantCode fails unless err carries the domain error code.
func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := rapport.ErrorCode(err); got != code {
		t.Fatalf("%s: error code %q (%v), want %q", what, got, err, code)
	}
}

// messageIDs returns the MessageIDs of events, in order.
func messageIDs(events []rapport.Event) []string {
	ids := make([]string, len(events))
	for i, e := range events {
		ids[i] = e.MessageID
	}
	return ids
}

// equal fails with both values as JSON when got is not want.
func equal(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s:\n got  %s\n want %s", what, dump(got), dump(want))
	}
}

// dump renders v for a failure message.
func dump(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%#v", v)
	}
	return string(b)
}
