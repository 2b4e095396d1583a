package main

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// browserPaths are the Chromium and Chrome binaries the browser test
// looks for, in order.
var browserPaths = []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

// findBrowser returns the path of a Chromium or Chrome binary, or "".
func findBrowser() string {
	for _, name := range browserPaths {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// screenshotDir returns where the browser test saves its screenshots:
// $RAPPORT_SCREENSHOTS (a relative path is taken from the repository's
// root, so `RAPPORT_SCREENSHOTS=docs/screenshots go test ./cmd/rapport`
// refreshes the documentation's), else a temporary directory.
func screenshotDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("RAPPORT_SCREENSHOTS")
	if dir == "" {
		return t.TempDir()
	}
	if !filepath.IsAbs(dir) {
		dir = filepath.Join("..", "..", dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// requireBrowser returns the browser the end-to-end tests drive, and
// skips the test with -short or when none is installed.
func requireBrowser(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("starts a server process and a browser; skipped with -short")
	}
	browser := findBrowser()
	if browser == "" {
		t.Skipf("no Chromium or Chrome found (looked for %s); install one, e.g. apt-get install -y chromium",
			strings.Join(browserPaths, ", "))
	}
	return browser
}

// TestDashboardInBrowser drives the dashboard of `rapport serve --demo`
// in headless Chromium: sign in through the form, every page, a profile
// opened from the lead list, a scoring model saved through the editor and
// one refused with its problems, a write key created and used, a webhook
// and its delivery log, a rule segment written with the live check (a
// typo's line and column, then the count) and saved, a discovered bucket's
// persona card, the economics and RFM grid, a members CSV, sign out. Each page is saved as a full-page
// screenshot, and the console must stay free of errors (a script failing,
// or something the content security policy blocked).
func TestDashboardInBrowser(t *testing.T) {
	browser := requireBrowser(t)
	data := t.TempDir()
	srv := startServer(t, "--data", data, "--demo")
	var leads struct{ Total int }
	waitFor(t, 30*time.Second, func() bool {
		return adminGet(t, srv.URL+"/api/v1/leads?limit=1", &leads) == http.StatusOK && leads.Total >= 250
	})
	// A conversion model, so the profile page shows a prediction.
	if out, err := exec.Command(rapportBinary(t), "model", "train", "--data", data).CombinedOutput(); err != nil {
		t.Fatalf("model train: %v\n%s", err, out)
	}
	// Discovered buckets, so the segments show persona cards: clustered
	// by a second process on the store the server keeps using.
	waitAllApplied(t, srv)
	if out, err := exec.Command(rapportBinary(t), "cluster", "--data", data).CombinedOutput(); err != nil {
		t.Fatalf("cluster: %v\n%s", err, out)
	}
	b := newBrowserSession(t, browser, srv.URL, screenshotDir(t))

	b.open("/leads", "#email")
	b.expectLocation("/login?next=%2Fleads")
	b.screenshot("login")
	// As a marketer signs in: the demo's user account.
	b.fill("#email", demoUserEmail)
	b.fill("#password", demoUserPassword)
	b.click("form:has(#email) button", "table.leads")
	b.expectLocation("/leads")
	b.waitCharts(2)
	b.click("table.leads tbody tr:first-child details summary", "table.leads tbody tr:first-child details[open] table.explanation")
	b.screenshot("leads")

	name := b.text("table.leads tbody tr:first-child th a")
	b.click("table.leads tbody tr:first-child th a", "#score-title")
	if h1 := b.text("h1"); h1 != name {
		t.Errorf("profile opened from the lead list is %q, want %q", h1, name)
	}
	b.waitCharts(1)
	b.expectText("#conversion", "chance of")
	b.screenshot("profile")

	b.open("/settings", "#model")
	b.screenshot("settings")
	log := b.createWebhook()
	b.saveModel()
	b.refuseModel()
	b.createWriteKey(srv.URL)
	b.deliveries(log)

	b.createSegment()
	b.open("/segments", "#buckets table")
	b.expectText("#rules table", "Repeat buyers")
	b.screenshot("segments")
	b.bucket("cluster-1")
	b.economics()
	b.downloadMembers("cluster-1")

	b.click(".logout button", "#token")
	b.open("/settings", "#token")
	if errs := b.consoleErrors(); len(errs) > 0 {
		t.Errorf("the browser console reported errors:\n%s", strings.Join(errs, "\n"))
	}
}

// browserSession is a headless browser tab on the dashboard. Its methods
// fail the test on any error.
type browserSession struct {
	t    *testing.T
	ctx  context.Context
	base string
	dir  string

	mu      sync.Mutex
	console []string
}

func newBrowserSession(t *testing.T, browser, base, dir string) *browserSession {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(browser), chromedp.NoSandbox,
		chromedp.WindowSize(1280, 900))
	ctx, cancelTimeout := context.WithTimeout(context.Background(), 3*time.Minute)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelBrowser(); cancelAlloc(); cancelTimeout() })
	b := &browserSession{t: t, ctx: bctx, base: base, dir: dir}
	if err := chromedp.Do(bctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start %s: %v", browser, err)
	}
	go b.readConsole(chromedp.Console(bctx))
	t.Logf("screenshots go to %s", dir)
	return b
}

// readConsole keeps the errors the pages log: a script failure or a
// resource the content security policy blocked.
func (b *browserSession) readConsole(messages iter.Seq2[chromedp.ConsoleMessage, error]) {
	for m, err := range messages {
		if err != nil {
			return
		}
		// The refused model is answered 422, on purpose.
		expected := strings.Contains(m.Text, "status of 422")
		if m.IsException() || (m.Type == chromedp.ConsoleError && !expected) {
			b.mu.Lock()
			b.console = append(b.console, m.String()+" ("+m.URL+")")
			b.mu.Unlock()
		}
	}
}

func (b *browserSession) consoleErrors() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.console...)
}

// do runs steps, failing the test with what it was doing.
func (b *browserSession) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// open loads path and waits until the element sel is visible.
func (b *browserSession) open(path, sel string) {
	b.t.Helper()
	b.do("open "+path, chromedp.Navigate(b.base+path), chromedp.WaitVisible(chromedp.CSS(sel)))
}

// click clicks the element sel and waits until the element then is visible
// (an element of the page the click leads to).
func (b *browserSession) click(sel, then string) {
	b.t.Helper()
	b.do("click "+sel, chromedp.Click(chromedp.CSS(sel)), chromedp.WaitVisible(chromedp.CSS(then)))
}

// fill types text into the input sel.
func (b *browserSession) fill(sel, text string) {
	b.t.Helper()
	b.do("fill "+sel, chromedp.SendKeys(chromedp.CSS(sel), text))
}

// text returns the text of the element sel.
func (b *browserSession) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// expectText checks that the element sel holds want.
func (b *browserSession) expectText(sel, want string) {
	b.t.Helper()
	if got := b.text(sel); !strings.Contains(got, want) {
		b.t.Errorf("%s reads %q, want %q in it", sel, got, want)
	}
}

// expectLocation checks the tab's URL, relative to the server.
func (b *browserSession) expectLocation(want string) {
	b.t.Helper()
	loc, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		b.t.Fatal(err)
	}
	if got := strings.TrimPrefix(loc, b.base); got != want {
		b.t.Errorf("location %s, want %s", got, want)
	}
}

// waitCharts waits until n charts are drawn: Chart.js loaded and ran
// under the page's content security policy.
func (b *browserSession) waitCharts(n int) {
	b.t.Helper()
	js := fmt.Sprintf(`document.querySelectorAll("figure.charted canvas").length >= %d`, n)
	b.do("wait for charts", chromedp.Poll[chromedp.Void](js, chromedp.WithPollingTimeout(10*time.Second)))
}

// screenshot saves the whole page as NAME.png.
func (b *browserSession) screenshot(name string) {
	b.t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(b.dir, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// modelVersion reads the number of the scoring model version in use.
func (b *browserSession) modelVersion() int {
	b.t.Helper()
	var v int
	if _, err := fmt.Sscanf(b.text("#model-version"), "version %d", &v); err != nil {
		b.t.Fatalf("model version: %v", err)
	}
	return v
}

// saveModel renames the model in the editor and lowers the bar of its vip
// rule, saves it and sees the next version in use.
func (b *browserSession) saveModel() {
	b.t.Helper()
	before := b.modelVersion()
	model, err := chromedp.Run(b.ctx, chromedp.Value(chromedp.CSS("#model")))
	if err != nil || !strings.Contains(model, "\nname: ") {
		b.t.Fatalf("the editor holds %q, %v; want the model", model, err)
	}
	// A lower bar for the vip rule makes it true for more people: the
	// rescoring pass notifies the webhook about them.
	if !strings.Contains(model, "min_priority: 75") {
		b.t.Fatalf("the model has no vip rule at min_priority 75:\n%s", model)
	}
	model = strings.Replace(model, "\nname: ", "\nname: Edited in the browser - ", 1)
	model = strings.Replace(model, "min_priority: 75", "min_priority: 60", 1)
	b.do("edit the model", chromedp.SetValue(chromedp.CSS("#model"), model))
	b.click("form.editor button", ".notice")
	b.expectText(".notice", "The scoring model was saved.")
	if after := b.modelVersion(); after != before+1 {
		b.t.Errorf("model version %d after saving, want %d", after, before+1)
	}
	got, err := chromedp.Run(b.ctx, chromedp.Value(chromedp.CSS("#model")))
	if err != nil || !strings.Contains(got, "name: Edited in the browser") {
		b.t.Errorf("the editor after saving holds %q, %v", got, err)
	}
}

// refuseModel saves a model with a bad half-life and sees the problem
// named with its field and line.
func (b *browserSession) refuseModel() {
	b.t.Helper()
	model, err := chromedp.Run(b.ctx, chromedp.Value(chromedp.CSS("#model")))
	if err != nil || !strings.Contains(model, "half_life:") {
		b.t.Fatalf("the editor holds %q, %v; want a half_life", model, err)
	}
	bad := strings.Replace(model, "half_life:", "half_life: -3d #", 1)
	b.do("break the model", chromedp.SetValue(chromedp.CSS("#model"), bad))
	b.click("form.editor button", "#model-problems")
	b.expectText("#model-problems", "engagement.half_life (line ")
	b.screenshot("settings-invalid-model")
}

// createWriteKey creates a write key, reads its secret once, and sends an
// event with it.
func (b *browserSession) createWriteKey(base string) {
	b.t.Helper()
	b.open("/settings", "#key-name")
	b.fill("#key-name", "website")
	b.click("#keys form.row button", "#new-key-secret")
	secret, err := chromedp.Run(b.ctx, chromedp.Value(chromedp.CSS("#new-key-secret")))
	if err != nil || !strings.HasPrefix(secret, "wk_") {
		b.t.Fatalf("new key's secret %q, %v", secret, err)
	}
	b.screenshot("settings-new-key")
	// The server's key ring loads a key it does not know within a second.
	var status int
	waitFor(b.t, 5*time.Second, func() bool {
		status = trackWithKey(b.t, base, secret)
		return status == http.StatusOK
	})
}

// createWebhook subscribes a webhook to every notification and returns
// the path of its delivery log. Its URL refuses connections, so the log
// shows retries.
func (b *browserSession) createWebhook() string {
	b.t.Helper()
	b.open("/settings", "#hook-url")
	b.fill("#hook-url", "http://127.0.0.1:9/rapport-hook")
	b.click("#webhooks form.stack button", "#new-hook-secret")
	b.expectText("#new-hook", "http://127.0.0.1:9/rapport-hook")
	sel := `#webhooks table a[href^="/settings/webhooks/"]`
	link, err := chromedp.Run(b.ctx, chromedp.AttributeValue(chromedp.CSS(sel), "href"))
	if err != nil || !link.Exists {
		b.t.Fatalf("no link to the delivery log: %v", err)
	}
	return link.Value
}

// deliveries opens a delivery log and waits for the deliveries of the
// rules the saved model made true.
func (b *browserSession) deliveries(path string) {
	b.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		b.open(path, "select#state")
		n, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll("table.data tbody tr").length`))
		if err == nil && n > 0 {
			break
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("no deliveries in the log after the model change: %v", err)
		}
		time.Sleep(500 * time.Millisecond)
	}
	b.expectText("h1", "Deliveries to http://127.0.0.1:9/rapport-hook")
	b.expectText("table.data", "rule.vip")
	b.screenshot("webhook-deliveries")
}

// trackWithKey sends a track call with a write key and returns the status.
func trackWithKey(t *testing.T, base, key string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, base+"/v1/track",
		strings.NewReader(`{"userId":"browser-1","event":"Dashboard Tested"}`))
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth(key, "")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// createSegment writes a rule segment in the editor: a typo's error
// appears with its line and column as it is typed, the corrected rule's
// live count, then the saved segment's page with its members.
func (b *browserSession) createSegment() {
	b.t.Helper()
	b.open("/segments", "#new-segment")
	b.click("#new-segment", "#expression")
	b.fill("#segment-name", "Repeat buyers")
	b.fill("#segment-description", "Ordered at least twice, for more than 100 in all")
	b.fill("#expression", "orders >= 2 &&\n  revenu > 100")
	b.waitText("#expression-check.error", "Line 2, column 3")
	b.expectText("#expression-check", "unknown name revenu")
	b.screenshot("segment-editor-error")

	b.do("correct the rule", chromedp.SetValue(chromedp.CSS("#expression"), "orders >= 2 &&\n  revenue > 100"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#expression").dispatchEvent(new Event("input"))`))
	b.waitText("#expression-check.ok", "Matches")
	b.screenshot("segment-editor")

	b.click("#save-segment", ".notice")
	b.expectText("h1", "Repeat buyers")
	b.expectText("#segment-expression", "revenue > 100")
	// The members are computed by a pass in the background.
	b.reloadUntil("/segments/repeat-buyers", `Number(document.querySelector("#member-count").textContent) > 0`)
	b.screenshot("segment")
}

// bucket opens a discovered bucket from the list and sees its persona
// card, and the charts of what its members buy once the background
// figures are in.
func (b *browserSession) bucket(id string) {
	b.t.Helper()
	b.open("/segments", "#buckets table")
	b.click(fmt.Sprintf(`#buckets table a[href="/segments/%s"]`, id), "#persona .persona-label")
	b.expectText("#persona-medians", "Age (years)")
	b.reloadUntil("/segments/"+id, `document.querySelectorAll("figure.charted canvas").length >= 2`)
	b.screenshot("bucket")
}

// economics opens the economics page once its figures are computed: the
// table by segment, the models, serve first and the RFM grid.
func (b *browserSession) economics() {
	b.t.Helper()
	b.reloadUntil("/segments/economics", `document.querySelector("#economics-table") !== null`)
	b.expectText("#economics-table", "All customers")
	b.expectText("#economics-table", "Repeat buyers")
	b.expectText("#serve-first-table", "1")
	b.expectText("#rfm-grid", "R 5")
	b.waitCharts(1)
	b.screenshot("economics")
}

// downloadMembers fetches a segment's CSV export under the session, as
// its link does, and checks it lists every member.
func (b *browserSession) downloadMembers(id string) {
	b.t.Helper()
	b.open("/segments/"+id, "#members-csv")
	members := b.text("#member-count")
	csv, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](
		`fetch(document.querySelector("#members-csv").href).then(r => r.text())`, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("download the members: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(csv), "\n")
	if lines[0] != "profile_id,since,user_id,email" || fmt.Sprint(len(lines)-1) != members {
		b.t.Errorf("members CSV of %s: header %q and %d lines, want %s members:\n%s", id, lines[0], len(lines)-1, members, csv)
	}
}

// waitText waits until the element sel exists and holds want.
func (b *browserSession) waitText(sel, want string) {
	b.t.Helper()
	js := fmt.Sprintf(`(function (e) { return e !== null && e.textContent.includes(%q); })(document.querySelector(%q))`, want, sel)
	b.do("wait for "+want+" in "+sel, chromedp.Poll[chromedp.Void](js, chromedp.WithPollingTimeout(10*time.Second)))
}

// reloadUntil opens path until the expression cond holds: for what the
// server computes in the background.
func (b *browserSession) reloadUntil(path, cond string) {
	b.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		b.open(path, "main")
		ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](cond))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("%s: %s did not hold within 30 s (%v)", path, cond, err)
		}
		time.Sleep(500 * time.Millisecond)
	}
}
