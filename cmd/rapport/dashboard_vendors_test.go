package main

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestVendorsDashboardInBrowser opens the Vendors page of `rapport serve
// --demo` in headless Chromium once the demo's orders are credited to
// their leads: the scorecard table shows, per vendor, the leads,
// conversions, revenue and returns the API reports; the five charts are
// drawn; the lists of people sold twice, consent failures and returns
// hold the demo's; the console stays free of errors. The page is saved
// as vendors.png.
func TestVendorsDashboardInBrowser(t *testing.T) {
	browser := requireBrowser(t)
	srv := startServer(t, "--data", t.TempDir(), "--demo")
	// The demo has 16 buyers; the sweep credits them once applied.
	var cards map[string]vendorCard
	waitFor(t, 60*time.Second, func() bool {
		cards = scorecards(t, srv.URL)
		n := 0
		for _, c := range cards {
			n += c.Conversions
		}
		return n >= 16
	})
	if len(cards) != 3 {
		t.Fatalf("scorecards of %d vendors, want the demo's 3: %+v", len(cards), cards)
	}
	b := newBrowserSession(t, browser, srv.URL, screenshotDir(t))
	b.open("/vendors", "#token")
	b.fill("#token", testAdminToken)
	b.click("form:has(#token) button", "#scorecard-table")
	b.expectLocation("/vendors")
	b.waitCharts(5)
	for id, c := range cards {
		row := `#scorecard-table tr[data-vendor="` + id + `"] `
		for cell, want := range map[string]string{"td.leads": strconv.Itoa(c.Leads), "td.conversions": strconv.Itoa(c.Conversions),
			"td.returns": strconv.Itoa(c.Returns), "td.revenue": strconv.FormatFloat(c.Revenue, 'f', 2, 64)} {
			if got := b.text(row + cell); got != want {
				t.Errorf("vendor %s, %s: page shows %q, the API %q", id, cell, got, want)
			}
		}
	}
	for sel, min := range map[string]int{"#duplicate-table tbody tr": 3, "#consent-table tbody tr": 2, "#return-table tbody tr": 2,
		"#speed-chart-figure tbody tr": 3, "#age-delivery-chart-figure tbody tr": 3} {
		if n := b.count(sel); n < min {
			t.Errorf("%s: %d rows, want at least %d", sel, n, min)
		}
	}
	b.expectText("nav", "Vendors")
	b.screenshot("vendors")
	if errs := b.consoleErrors(); len(errs) > 0 {
		t.Errorf("the browser console reported errors:\n%s", strings.Join(errs, "\n"))
	}
}

// count returns how many elements match sel.
func (b *browserSession) count(sel string) int {
	b.t.Helper()
	n, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll(%q).length`, sel)))
	if err != nil {
		b.t.Fatalf("count %s: %v", sel, err)
	}
	return n
}
