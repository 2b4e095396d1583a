package main

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/rapportdev/rapport/demo"
)

// TestOfferDashboardInBrowser drives the offers page of `rapport serve
// --demo` in headless Chromium: signed in through the form, the page's
// four charts drawn, and the figures it shows (overall, every offer's row
// over all segments, the funnel's first conversion) the same as the admin API's
// report and funnel of the demo's offer history. The page is saved as
// offers.png (docs/screenshots with RAPPORT_SCREENSHOTS=docs/screenshots).
func TestOfferDashboardInBrowser(t *testing.T) {
	browser := requireBrowser(t)
	srv := startServer(t, "--data", t.TempDir(), "--demo")
	waitFor(t, 90*time.Second, func() bool { return strings.Contains(srv.Logs(), `"msg":"demo offer history made"`) })
	var rep struct {
		Overall struct{ Treatment struct{ Shown, Accepted int } }
		Offers  []struct {
			OfferID, Arm string
			Treatment    struct{ Shown, Accepted int }
		}
	}
	if status := adminGet(t, srv.URL+"/api/v1/offers/report", &rep); status != http.StatusOK || rep.Overall.Treatment.Shown < 500 {
		t.Fatalf("offer report: %d, %+v; want the demo's history (hundreds of offers shown)", status, rep.Overall)
	}
	var funnel struct {
		Conversions []struct{ Entered, Advanced int }
	}
	if status := adminGet(t, srv.URL+"/api/v1/offers/funnel?period=week", &funnel); status != http.StatusOK ||
		len(funnel.Conversions) != 2 || funnel.Conversions[0].Entered == 0 {
		t.Fatalf("offer funnel: %d, %+v; want people entering acquisition", status, funnel.Conversions)
	}

	b := newBrowserSession(t, browser, srv.URL, screenshotDir(t))
	b.open("/offers?days=0", "#token")
	b.fill("#token", testAdminToken)
	// The form the token field is in: the page may offer other ways to sign in.
	b.click("form:has(#token) button", "#offer-table")
	b.expectLocation("/offers?days=0")
	b.waitCharts(4)
	if n, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll("figure[data-chart].charted canvas").length`)); err != nil || n != 4 {
		t.Errorf("%d offer charts drawn (%v), want 4: accept rate, lift, entries, conversion", n, err)
	}
	ov := rep.Overall.Treatment
	b.expectText("#offer-overall", fmt.Sprintf("Over every offer and segment: %d shown, %d accepted", ov.Shown, ov.Accepted))

	conv := funnel.Conversions[0]
	if got, want := b.cells("#conversions")[0], []string{"acquisition", "activation", fmt.Sprint(conv.Entered), fmt.Sprint(conv.Advanced)}; !prefixOf(want, got) {
		t.Errorf("conversion row %q, want it to start %q", got, want)
	}
	// The rate chart's data holds an accept rate per charted offer.
	labels, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`JSON.parse(document.getElementById("rate-chart").textContent).values.length`))
	if err != nil || labels < 5 {
		t.Errorf("the accept rate chart has %d offers (%v), want the demo's", labels, err)
	}
	b.screenshot("offers")

	// Every offer over all segments, as the API counts it.
	b.open("/offers?days=0&arm=*", "#offer-table")
	rows := b.cells("#offer-table")
	for _, o := range rep.Offers {
		if o.Arm != "*" {
			continue
		}
		found := false
		for _, r := range rows {
			found = found || prefixOf([]string{offerTitles[o.OfferID], "all segments"}, r) && len(r) > 4 &&
				r[3] == fmt.Sprint(o.Treatment.Shown) && r[4] == fmt.Sprint(o.Treatment.Accepted)
		}
		if !found {
			t.Errorf("no row of %s over all segments with %d shown and %d accepted in %q", o.OfferID, o.Treatment.Shown,
				o.Treatment.Accepted, rows)
		}
	}
	if errs := b.consoleErrors(); len(errs) > 0 {
		t.Errorf("the browser console reported errors:\n%s", strings.Join(errs, "\n"))
	}
}

// offerTitles are the demo offers' titles by id.
var offerTitles = func() map[string]string {
	out := map[string]string{}
	for _, o := range demo.Offers() {
		out[o.ID] = o.Title
	}
	return out
}()

// cells returns the text of each cell of each row of the table sel's body.
func (b *browserSession) cells(sel string) [][]string {
	b.t.Helper()
	js := fmt.Sprintf(`Array.from(document.querySelectorAll(%q + " tbody tr")).map(function (tr) {
		return Array.from(tr.children).map(function (td) { return td.textContent.trim(); });
	})`, sel)
	rows, err := chromedp.Run(b.ctx, chromedp.Evaluate[[][]string](js))
	if err != nil {
		b.t.Fatalf("cells of %s: %v", sel, err)
	}
	return rows
}

// prefixOf reports whether got starts with want.
func prefixOf(want, got []string) bool {
	return len(got) >= len(want) && slices.Equal(got[:len(want)], want)
}
