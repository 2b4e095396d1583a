package demo

import (
	"fmt"
	"time"

	"github.com/rapportdev/rapport"
)

const day = 24 * time.Hour

// shop plays a buyer's journey: a first visit on which they sign up, then
// their persona's habits until now.
func (j *journey) shop() {
	j.app = j.rng.IntN(100) < j.p.persona.app
	if !j.browse(true) {
		return
	}
	j.signUp()
	j.p.persona.habits(j)
}

// is reports whether the person follows the persona labelled label.
func (j *journey) is(label string) bool {
	return j.p.persona != nil && j.p.persona.label == label
}

// trustedBrandHabits: visits the website every few days to read about
// Northpeak's products, and every month or two goes to the store to buy
// one or two of them.
func (j *journey) trustedBrandHabits() {
	nextOrder := j.at.Add(12*day + randDuration(j.rng, 20*day))
	for {
		j.wait(4*day, 8*day)
		if !j.look(northpeak, 1, 2, 75) {
			return
		}
		if j.at.After(nextOrder) {
			j.wait(day, 3*day)
			j.order("in-store", trustedBasket(j.rng), nil)
			nextOrder = j.at.Add(40*day + randDuration(j.rng, 35*day))
			j.supportNow(5)
		}
		j.afterwards()
	}
}

// influencerHabits: about monthly, orders one small thing online, and a
// few days later reviews it and shares it with their followers.
func (j *journey) influencerHabits() {
	for {
		lines := basket(j.rng, small, 1, 1)
		j.order("web", lines, nil)
		j.wait(day, 4*day)
		pr := lines[0].product
		j.track("Product Reviewed", map[string]any{"product_id": pr.id, "rating": float64(4 + j.rng.IntN(2))}, j.deviceContext(false))
		j.track("Product Shared", map[string]any{"product_id": pr.id, "share_via": pick(j.rng, []string{"instagram", "tiktok", "youtube"})},
			j.deviceContext(false))
		j.afterwards()
		j.wait(22*day, 32*day)
		if !j.look(small, 1, 2, 100) {
			return
		}
	}
}

// regularHabits: every week or two, a mid-size basket of anything, on the
// web, by phone or in the store.
func (j *journey) regularHabits() {
	channel := "web" // the first order is placed on signing up
	for {
		j.order(channel, basket(j.rng, everyday, 1, 3), nil)
		j.supportNow(4)
		j.afterwards()
		j.wait(8*day, 14*day)
		channel = pick(j.rng, []string{"web", "web", "web", "web", "phone", "phone", "phone", "in-store", "in-store"})
		if channel == "web" && !j.look(everyday, 1, 1, 100) || j.done() {
			return
		}
	}
}

// bargainHabits: every few weeks, calls in an order of one or two small
// things on sale (after checking the sale page, sometimes), then calls
// again about it; the CRM notes how much effort they take.
func (j *journey) bargainHabits() {
	j.wait(day, 5*day)
	tickets := 0
	for !j.done() {
		channel := "phone"
		if j.rng.IntN(100) < 15 {
			channel = "web"
		}
		if (channel == "web" || j.rng.IntN(100) < 35) && !j.lookSale() {
			return
		}
		j.order(channel, saleBasket(j.rng), map[string]any{"coupon": "SALE30"})
		for range 1 + j.rng.IntN(2) {
			if j.rng.IntN(100) < 30 {
				j.wait(2*day, 6*day)
			}
			j.ticket()
			if tickets++; tickets == 2 {
				j.emitAs(rapport.Event{Type: rapport.EventIdentify, UserID: j.p.userID,
					Traits: map[string]any{"service_effort": float64(7 + j.rng.IntN(4))}}, serverContext("crm"))
			}
		}
		j.afterwards()
		j.wait(18*day, 28*day)
	}
}

// look visits the site (or app) and views lo to hi products, each from
// the range given with percent chance, else from the whole catalogue.
func (j *journey) look(from []product, lo, hi, percent int) bool {
	if !j.view(false) {
		return false
	}
	for range lo + j.rng.IntN(hi-lo+1) {
		pr := pick(j.rng, catalog)
		if j.rng.IntN(100) < percent {
			pr = pick(j.rng, from)
		}
		j.track("Product Viewed", productProps(pr, 1), j.deviceContext(false))
	}
	return !j.done()
}

// lookSale opens the sale page and a product on it.
func (j *journey) lookSale() bool {
	ev := rapport.Event{Type: rapport.EventPage, Name: "/sale",
		Properties: map[string]any{"path": "/sale", "url": "https://shop.example.com/sale"}}
	if !j.emit(ev, j.deviceContext(false)) {
		return false
	}
	j.track("Product Viewed", productProps(pick(j.rng, small), 1), j.deviceContext(false))
	return !j.done()
}

// supportNow opens a ticket with percent chance: a question any customer
// may have now and then.
func (j *journey) supportNow(percent int) {
	if j.rng.IntN(100) < percent {
		j.ticket()
	}
}

// ticket records a support contact from the help desk.
func (j *journey) ticket() {
	topic := pick(j.rng, []string{"delivery", "sizing", "how to use", "return", "invoice"})
	j.emitAs(rapport.Event{Type: rapport.EventTrack, Event: "Support Ticket Opened", UserID: j.p.userID,
		Properties: map[string]any{"ticket_id": fmt.Sprintf("T-%04d-%d", j.p.index, len(j.events)), "topic": topic}},
		serverContext("phone"))
}
