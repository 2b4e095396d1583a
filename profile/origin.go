package profile

import (
	"net/url"
	"strings"
	"time"

	"github.com/rapportdev/rapport"
)

// origin counts where and how the event came: browser family, referrer,
// and for an order the weekday and part of day it was placed.
func origin(a *rapport.Aggregates, ev *rapport.Event, t time.Time) {
	if ua := text(ev.Context["userAgent"]); ua != "" {
		a.Browsers = inc(a.Browsers, browserFamily(ua), 1)
	}
	if src := referrer(ev.Context); src != "" {
		a.Referrers = inc(a.Referrers, src, 1)
	}
	if ev.Type == rapport.EventTrack && ev.Event == rapport.EventOrderCompleted && !t.IsZero() {
		local := t
		if tz := text(ev.Context["timezone"]); tz != "" {
			if loc, err := time.LoadLocation(tz); err == nil {
				local = t.In(loc)
			}
		}
		a.OrderWeekdays = inc(a.OrderWeekdays, strings.ToLower(local.Weekday().String()[:3]), 1)
		a.OrderDayparts = inc(a.OrderDayparts, daypart(local.Hour()), 1)
	}
}

// daypart names the part of the day of an hour.
func daypart(hour int) string {
	switch {
	case hour < 6:
		return "night"
	case hour < 12:
		return "morning"
	case hour < 18:
		return "afternoon"
	}
	return "evening"
}

// browserFamily reads a user agent the way analytics tools group them.
// Order matters: Edge and Opera say Chrome too, Chrome says Safari.
func browserFamily(ua string) string {
	switch {
	case strings.Contains(ua, "Edg/") || strings.Contains(ua, "Edge/"):
		return "Edge"
	case strings.Contains(ua, "OPR/") || strings.Contains(ua, "Opera"):
		return "Opera"
	case strings.Contains(ua, "SamsungBrowser/"):
		return "Samsung Internet"
	case strings.Contains(ua, "Firefox/") || strings.Contains(ua, "FxiOS/"):
		return "Firefox"
	case strings.Contains(ua, "Chrome/") || strings.Contains(ua, "CriOS/"):
		return "Chrome"
	case strings.Contains(ua, "Safari/"):
		return "Safari"
	}
	return "other"
}

// referrer is the campaign source, else the referring page's host without
// "www.".
func referrer(ctx map[string]any) string {
	if c, ok := ctx["campaign"].(map[string]any); ok {
		if src := strings.ToLower(strings.TrimSpace(text(c["source"]))); src != "" {
			return src
		}
	}
	page, _ := ctx["page"].(map[string]any)
	ref := text(page["referrer"])
	if ref == "" {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil || u.Host == "" {
		return ""
	}
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
}
