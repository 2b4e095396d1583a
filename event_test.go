package rapport_test

import (
	"strings"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
)

func TestEventValidate(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	valid := func() rapport.Event {
		return rapport.Event{MessageID: "m1", Type: rapport.EventTrack, UserID: "u1", Event: "Signed Up", Timestamp: at}
	}
	tests := []struct {
		name   string
		change func(*rapport.Event)
		want   string // substring of the error; "" for valid
	}{
		{"valid track", func(*rapport.Event) {}, ""},
		{"anonymous only", func(e *rapport.Event) { e.UserID, e.AnonymousID = "", "a1" }, ""},
		{"unknown type", func(e *rapport.Event) { e.Type = "purchase" }, `unknown type "purchase"`},
		{"no identity", func(e *rapport.Event) { e.UserID = "" }, "userId or anonymousId"},
		{"track without event", func(e *rapport.Event) { e.Event = "" }, "track requires event"},
		{"alias without previousId", func(e *rapport.Event) { e.Type = rapport.EventAlias }, "previousId"},
		{"alias without userId", func(e *rapport.Event) {
			e.Type, e.PreviousID, e.UserID, e.AnonymousID = rapport.EventAlias, "old", "", "a1"
		}, "alias requires userId"},
		{"group without groupId", func(e *rapport.Event) { e.Type = rapport.EventGroup }, "groupId"},
		{"no messageId", func(e *rapport.Event) { e.MessageID = "" }, "messageId is required"},
		{"long messageId", func(e *rapport.Event) { e.MessageID = strings.Repeat("x", 101) }, "longer than 100"},
		{"no timestamp", func(e *rapport.Event) { e.Timestamp = time.Time{} }, "timestamp"},
		{"consent", func(e *rapport.Event) {
			e.Event, e.Properties = rapport.EventConsentGranted, map[string]any{"channel": " Email "}
		}, ""},
		{"consent without channel", func(e *rapport.Event) { e.Event = rapport.EventConsentRevoked }, "properties.channel, one of email"},
		{"consent to a channel we do not know", func(e *rapport.Event) {
			e.Event, e.Properties = rapport.EventConsentGranted, map[string]any{"channel": "pigeon"}
		}, "properties.channel"},
	}
	for _, tt := range tests {
		ev := valid()
		tt.change(&ev)
		err := ev.Validate()
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: got %v, want valid", tt.name, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: got %v, want an error containing %q", tt.name, err, tt.want)
		case tt.want != "" && rapport.ErrorCode(err) != rapport.EINVALID:
			t.Errorf("%s: code %q, want %q", tt.name, rapport.ErrorCode(err), rapport.EINVALID)
		}
	}
}

func TestEventKey(t *testing.T) {
	if got := (&rapport.Event{UserID: "u", AnonymousID: "a"}).Key(); got != "u:u" {
		t.Errorf("key with userId = %q, want u:u", got)
	}
	if got := (&rapport.Event{AnonymousID: "a"}).Key(); got != "a:a" {
		t.Errorf("key without userId = %q, want a:a", got)
	}
}
