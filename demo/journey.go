package demo

import (
	"fmt"
	"maps"
	"math"
	mrand "math/rand/v2"
	"time"

	"github.com/rapportdev/rapport"
)

// journey generates one person's events, in time order, from their first
// visit until now.
type journey struct {
	rng *mrand.Rand
	p   *person
	now time.Time
	at  time.Time
	// app: the person uses the mobile app (screen calls) rather than the
	// website (page calls).
	app        bool
	identified bool
	orders     int
	events     []rapport.Event
}

// run plays the journey: a buyer's persona habits, or else a few visits
// some days apart, on one of which the person may sign up.
func (j *journey) run() []rapport.Event {
	if j.p.persona != nil {
		j.shop()
		return j.events
	}
	j.app = j.rng.IntN(100) < 20
	visits := 1 + j.rng.IntN(4)
	signup := -1
	if j.p.identifies {
		signup = j.rng.IntN(min(visits, 3))
	}
	for v := range visits {
		if !j.visit(v, v == signup) {
			break
		}
		j.wait(12*time.Hour, 20*24*time.Hour)
	}
	return j.events
}

// visit plays one session of someone who does not buy; false once the
// journey has reached now.
func (j *journey) visit(v int, signup bool) bool {
	if !j.browse(v == 0) {
		return false
	}
	if signup {
		j.signUp()
	}
	if j.identified {
		j.afterwards()
	}
	return !j.done()
}

// browse views a few pages (or screens) and products.
func (j *journey) browse(first bool) bool {
	if !j.view(first) {
		return false
	}
	for range j.rng.IntN(3) + 1 {
		pr := pick(j.rng, catalog)
		j.track("Product Viewed", productProps(pr, 1), j.deviceContext(false))
	}
	if j.rng.IntN(3) == 0 {
		j.view(false)
	}
	return !j.done()
}

// view emits a page or, for app users, a screen call.
func (j *journey) view(landing bool) bool {
	if j.app {
		return j.emit(rapport.Event{Type: rapport.EventScreen, Name: pick(j.rng, screens)}, j.deviceContext(false))
	}
	path := pick(j.rng, pages)
	ev := rapport.Event{Type: rapport.EventPage, Name: path,
		Properties: map[string]any{"path": path, "url": "https://shop.example.com" + path}}
	return j.emit(ev, j.deviceContext(landing))
}

// signUp identifies the person, and makes the calls that go with who they
// are: group for B2B buyers, alias for people known under an old id, and a
// second device that logs in with a differently written email.
func (j *journey) signUp() {
	j.identified = true
	j.emit(rapport.Event{Type: rapport.EventIdentify, Traits: j.p.traits}, j.deviceContext(false))
	if c := j.p.company; c != nil {
		j.emit(rapport.Event{Type: rapport.EventGroup, GroupID: "demo-acct-" + c.slug, Traits: map[string]any{
			"name": c.name, "industry": c.industry, "employees": float64(c.employees), "revenue": c.revenue,
		}}, j.deviceContext(false))
	}
	if j.p.legacyID != "" {
		j.emit(rapport.Event{Type: rapport.EventAlias, PreviousID: j.p.legacyID}, serverContext("crm"))
	}
	if j.p.secondDevice {
		j.otherDevice()
	}
}

// otherDevice browses anonymously on a second device, then logs in there
// with only an email, written in another case: identity resolution has to
// notice it is the same person.
func (j *journey) otherDevice() {
	j.wait(time.Hour, 3*24*time.Hour)
	anon := j.p.anonymousID + "-m"
	ctx := j.deviceContext(false)
	ctx["device"] = map[string]any{"type": "mobile", "manufacturer": "Apple"}
	j.emitAs(rapport.Event{Type: rapport.EventPage, AnonymousID: anon, Name: "/",
		Properties: map[string]any{"path": "/", "url": "https://shop.example.com/"}}, ctx)
	j.emitAs(rapport.Event{Type: rapport.EventIdentify, AnonymousID: anon,
		Traits: map[string]any{"email": shoutyEmail(j.p.email)}}, ctx)
}

// order completes an order of lines in a channel, with extra properties
// (a coupon, say); one in fifty is refunded later. Orders on the web come
// from the person's device, the others from the shop's systems.
func (j *journey) order(channel string, lines []line, extra map[string]any) {
	j.orders++
	id := fmt.Sprintf("demo-o-%04d-%d", j.p.index, j.orders)
	products := make([]any, 0, len(lines))
	revenue := 0.0
	for _, l := range lines {
		products = append(products, lineProps(l))
		revenue += l.price * float64(l.quantity)
	}
	revenue = math.Round(revenue*100) / 100
	props := map[string]any{"order_id": id, "revenue": revenue, "currency": "USD", "channel": channel, "products": products}
	maps.Copy(props, extra)
	if channel == "web" {
		j.track(rapport.EventOrderCompleted, props, j.deviceContext(false))
	} else {
		j.emitAs(rapport.Event{Type: rapport.EventTrack, Event: rapport.EventOrderCompleted, UserID: j.p.userID, Properties: props}, serverContext(channel))
	}
	if j.rng.IntN(50) == 0 {
		j.wait(24*time.Hour, 10*24*time.Hour)
		j.emitAs(rapport.Event{Type: rapport.EventTrack, Event: rapport.EventOrderRefunded, UserID: j.p.userID,
			Properties: map[string]any{"order_id": id, "total": revenue, "currency": "USD"}}, serverContext("phone"))
	}
}

// afterwards: email engagement, reviews and referrals from known people.
// Influencers review everything they buy on their own schedule.
func (j *journey) afterwards() {
	if j.p.traits["newsletter"] == true && j.rng.IntN(2) == 0 {
		j.wait(time.Hour, 2*24*time.Hour)
		j.emitAs(rapport.Event{Type: rapport.EventTrack, Event: "Email Opened", UserID: j.p.userID,
			Properties: map[string]any{"campaign": "weekly", "subject": "New arrivals for the trail"}}, serverContext("email"))
	}
	if j.orders > 0 && j.rng.IntN(100) < 15 && !j.is(PersonaInfluencer) {
		pr := pick(j.rng, catalog)
		j.track("Product Reviewed", map[string]any{"product_id": pr.id, "rating": float64(3 + j.rng.IntN(3))}, j.deviceContext(false))
	}
	if j.orders > 0 && j.rng.IntN(100) < 8 {
		j.track("Referral Sent", map[string]any{"channel": "email", "referral_code": fmt.Sprintf("REF%04d", j.p.index)}, j.deviceContext(false))
	}
}

// track emits a track call from the person's device.
func (j *journey) track(name string, props, ctx map[string]any) {
	j.emit(rapport.Event{Type: rapport.EventTrack, Event: name, Properties: props}, ctx)
}

// emit sends ev from the person's device: with the anonymous id, and the
// user id once identified.
func (j *journey) emit(ev rapport.Event, ctx map[string]any) bool {
	ev.AnonymousID = j.p.anonymousID
	if j.identified {
		ev.UserID = j.p.userID
	}
	return j.emitAs(ev, ctx)
}

// emitAs appends ev, ids as given, at the journey's time, then moves the
// time on by a few seconds to minutes. Nothing happens after now.
func (j *journey) emitAs(ev rapport.Event, ctx map[string]any) bool {
	if j.done() {
		return false
	}
	ev.Timestamp = j.at
	ev.Context = ctx
	j.events = append(j.events, ev)
	j.wait(5*time.Second, 4*time.Minute)
	return true
}

// done reports whether the journey has reached now.
func (j *journey) done() bool { return j.at.After(j.now) }

// wait moves the journey's time on by between lo and hi.
func (j *journey) wait(lo, hi time.Duration) {
	j.at = j.at.Add(lo + randDuration(j.rng, hi-lo)).Truncate(time.Second)
}
