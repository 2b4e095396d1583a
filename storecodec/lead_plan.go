package storecodec

import (
	"time"

	"github.com/rapportdev/rapport"
)

// PersonHistory is what the stored leads of one person say: how many,
// the latest submission, and which vendors sold them.
type PersonHistory struct {
	N       int
	Last    time.Time
	Vendors map[string]bool
}

// add counts one more lead of the person.
func (h *PersonHistory) add(l *rapport.Lead) {
	h.N++
	if l.SubmittedAt.After(h.Last) {
		h.Last = l.SubmittedAt
	}
	if h.Vendors == nil {
		h.Vendors = map[string]bool{}
	}
	h.Vendors[l.VendorID] = true
}

// merge adds another person's history to h.
func (h *PersonHistory) merge(o *PersonHistory) {
	if o == nil {
		return
	}
	h.N += o.N
	if o.Last.After(h.Last) {
		h.Last = o.Last
	}
	if h.Vendors == nil {
		h.Vendors = map[string]bool{}
	}
	for v := range o.Vendors {
		h.Vendors[v] = true
	}
}

// history returns the rapport.LeadHistory of person.
func (h *PersonHistory) history(person string) rapport.LeadHistory {
	if h == nil || h.N == 0 {
		return rapport.LeadHistory{PersonID: person}
	}
	return rapport.LeadHistory{PersonID: person, Inquiries: h.N, LastAt: h.Last, Vendors: len(h.Vendors)}
}

// LeadState is what a store read, in bulk and inside its write
// transaction, before a CreateLeads call: the owners of the call's keys,
// the histories of those owners, the leads already stored under the
// call's vendors' external ids, and how many leads each of the call's
// caps holds already (Used, one count per cap, in order).
type LeadState struct {
	Owners   map[string]string
	History  map[string]*PersonHistory
	Existing map[[2]string]rapport.Lead
	Used     []int
}

// LeadPlan is what a CreateLeads call writes: the persons to merge (from,
// into, in order), the new leads and the new keys with their person. Out
// is the call's answer, in order.
type LeadPlan struct {
	Merges  [][2]string
	New     []rapport.Lead
	NewKeys [][2]string
	Out     []rapport.CreatedLead
}

// PlanLeads resolves a CreateLeads call in memory, as
// rapport.LeadStore.CreateLeads says: a retry returns the stored lead (or
// the one earlier in the call) and takes no place under a cap; a new
// lead over a full cap of its vendor is refused or kept unpaid; a lead
// kept takes the person of its first key that has one (else its own id)
// with that person's history, is completed, adds its keys and counts
// under its vendor's caps; keys that find a second person merge it into
// the first. st is updated as the call goes.
func PlanLeads(leads []rapport.Lead, keys [][]string, caps []rapport.LeadCap, st *LeadState, complete func(*rapport.Lead)) LeadPlan {
	var p LeadPlan
	newAt, refused := map[[2]string]int{}, map[[2]string]*rapport.LeadCap{}
	for i := range leads {
		l := leads[i]
		ext := [2]string{l.VendorID, l.ExternalID}
		if old, ok := st.Existing[ext]; ok {
			p.Out = append(p.Out, rapport.CreatedLead{Lead: old, Retry: true})
			continue
		}
		if k, ok := newAt[ext]; ok {
			p.Out = append(p.Out, rapport.CreatedLead{Lead: p.New[k], Retry: true})
			continue
		}
		if c := refused[ext]; c != nil {
			p.Out = append(p.Out, rapport.CreatedLead{Refused: c})
			continue
		}
		if c := st.fullCap(caps, l.VendorID); c >= 0 {
			if full := caps[c]; !full.Unpaid {
				refused[ext] = &full
				p.Out = append(p.Out, rapport.CreatedLead{Refused: &full})
				continue
			}
			l.OverCap, l.Price = true, 0 // kept, not paid for
		}
		st.count(caps, l.VendorID)
		person := st.person(keys[i], &p)
		if person == "" {
			person = l.ID
		}
		st.History[person].history(person).Apply(&l)
		if complete != nil {
			complete(&l)
		}
		if st.History[person] == nil {
			st.History[person] = &PersonHistory{}
		}
		st.History[person].add(&l)
		for _, k := range keys[i] {
			if _, ok := st.Owners[k]; !ok {
				st.Owners[k] = person
				p.NewKeys = append(p.NewKeys, [2]string{k, person})
			}
		}
		newAt[ext] = len(p.New)
		p.New = append(p.New, l)
		p.Out = append(p.Out, rapport.CreatedLead{Lead: l})
	}
	p.finish()
	return p
}

// fullCap returns the index of the first of vendor's caps that holds its
// Limit already, or -1.
func (st *LeadState) fullCap(caps []rapport.LeadCap, vendor string) int {
	for i, c := range caps {
		if c.VendorID == vendor && st.Used[i] >= c.Limit {
			return i
		}
	}
	return -1
}

// count takes one more place under each of vendor's caps.
func (st *LeadState) count(caps []rapport.LeadCap, vendor string) {
	for i, c := range caps {
		if c.VendorID == vendor {
			st.Used[i]++
		}
	}
}

// person returns the person of the first key that has one, merging the
// persons of the other keys into it.
func (st *LeadState) person(keys []string, p *LeadPlan) string {
	person := ""
	for _, k := range keys {
		o, ok := st.Owners[k]
		if !ok || o == person {
			continue
		}
		if person == "" {
			person = o
			continue
		}
		p.Merges = append(p.Merges, [2]string{o, person})
		for key, owner := range st.Owners {
			if owner == o {
				st.Owners[key] = person
			}
		}
		if st.History[person] == nil {
			st.History[person] = &PersonHistory{}
		}
		st.History[person].merge(st.History[o])
		delete(st.History, o)
	}
	return person
}

// finish points the new leads and keys of a merged person at the person
// it was merged into.
func (p *LeadPlan) finish() {
	if len(p.Merges) == 0 {
		return
	}
	into := map[string]string{}
	for _, m := range p.Merges {
		into[m[0]] = m[1]
	}
	root := func(s string) string {
		for n := 0; n < len(p.Merges); n++ {
			next, ok := into[s]
			if !ok {
				break
			}
			s = next
		}
		return s
	}
	for i := range p.New {
		p.New[i].PersonID = root(p.New[i].PersonID)
	}
	for i := range p.Out {
		if p.Out[i].Refused == nil {
			p.Out[i].Lead.PersonID = root(p.Out[i].Lead.PersonID)
		}
	}
	for i := range p.NewKeys {
		p.NewKeys[i][1] = root(p.NewKeys[i][1])
	}
}

// HistoryOf returns the history the keys find in st, merging in memory
// the persons they find (without writing: a price lookup).
func HistoryOf(keys []string, st *LeadState) rapport.LeadHistory {
	var p LeadPlan
	person := st.person(keys, &p)
	if person == "" {
		return rapport.LeadHistory{}
	}
	return st.History[person].history(person)
}

// KeysOf returns the distinct keys of a call.
func KeysOf(keys [][]string) []string {
	seen := map[string]bool{}
	var out []string
	for _, ks := range keys {
		for _, k := range ks {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	return out
}
