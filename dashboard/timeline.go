package dashboard

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/rapportdev/rapport"
)

// eventsPerPage is the size of a page of a profile's timeline.
const eventsPerPage = 25

// eventRow is one event of the timeline.
type eventRow struct {
	rapport.Event
	// Label is the track event's name, the page or screen name, else the type.
	Label string
	// Details are the properties, traits and context as indented JSON.
	Details string
}

// loadEvents adds a page of the timeline, newest first. One event past
// the page is asked for, so the last page does not link to an empty one.
func (h *Handler) loadEvents(ctx context.Context, v *profileView, q url.Values, pg paging) error {
	id := v.Profile.ID
	events, err := h.cfg.Store.FindEvents(ctx, rapport.EventFilter{ProfileID: id, Offset: pg.offset(), Limit: pg.Limit + 1})
	if err != nil {
		return fmt.Errorf("find events of %s: %w", id, err)
	}
	more := len(events) > pg.Limit
	events = events[:min(len(events), pg.Limit)]
	for _, e := range events {
		v.Events = append(v.Events, eventRow{Event: e, Label: eventLabel(&e), Details: eventDetails(&e)})
	}
	q.Del("merged_from")
	v.Pager = newPager("/profiles/"+url.PathEscape(id), q, "events_page", pg, len(events), -1, more)
	for _, link := range []*string{&v.Pager.Prev, &v.Pager.Next} {
		if *link != "" {
			*link += "#timeline"
		}
	}
	return nil
}

// eventLabel names an event for the timeline.
func eventLabel(e *rapport.Event) string {
	switch {
	case e.Event != "":
		return e.Event
	case e.Name != "":
		return string(e.Type) + " " + e.Name
	}
	return string(e.Type)
}

// eventDetails returns what the event carried, as indented JSON.
func eventDetails(e *rapport.Event) string {
	d := map[string]any{}
	for k, m := range map[string]map[string]any{"properties": e.Properties, "traits": e.Traits, "context": e.Context} {
		if len(m) > 0 {
			d[k] = m
		}
	}
	if len(d) == 0 {
		return ""
	}
	// The template escapes the text; JSON's own escaping of <, > and &
	// would only make it harder to read.
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(d); err != nil {
		return "(not displayable)"
	}
	return strings.TrimSpace(b.String())
}
