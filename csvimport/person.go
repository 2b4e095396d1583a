package csvimport

import (
	"fmt"

	"github.com/rapportdev/rapport"
)

// person is who a row is about, as written in the file.
type person struct {
	userID, anonymousID, email, phone string
}

// readPerson reads a row's identity columns. It returns the reason to
// reject the row when it names nobody or names them badly.
func readPerson(t *table, rec []string) (person, string) {
	p := person{
		userID:      normalizeID(t.get(rec, "user_id")),
		anonymousID: normalizeID(t.get(rec, "anonymous_id")),
		email:       t.get(rec, "email"),
		phone:       t.get(rec, "phone"),
	}
	switch {
	case p == person{}:
		return p, "missing customer id (user_id, anonymous_id, email or phone)"
	case p.email != "" && rapport.NormalizeEmail(p.email) == "":
		return p, fmt.Sprintf("bad email %q", p.email)
	case p.phone != "" && rapport.NormalizePhone(p.phone) == "":
		return p, fmt.Sprintf("bad phone %q", p.phone)
	}
	return p, ""
}

// ids returns the event's userId and anonymousId. A row with neither gets
// an anonymousId derived from its normalised email or phone, so the same
// person gets the same id in every file (a customer list and an order
// history join up) while the email or phone, sent as a trait, links them to
// live traffic.
func (p person) ids() (userID, anonymousID string) {
	if p.userID != "" || p.anonymousID != "" {
		return p.userID, p.anonymousID
	}
	if e := rapport.NormalizeEmail(p.email); e != "" {
		return "", "import-" + digest("email", e)[:24]
	}
	return "", "import-" + digest("phone", rapport.NormalizePhone(p.phone))[:24]
}

// key is the person's identity as one string, for message ids.
func (p person) key() string {
	return p.userID + "\x1f" + p.anonymousID + "\x1f" + p.email + "\x1f" + p.phone
}

// contextTraits returns the email and phone for an event's context.traits,
// or nil.
func (p person) contextTraits() map[string]any {
	traits := map[string]any{}
	if p.email != "" {
		traits["email"] = p.email
	}
	if p.phone != "" {
		traits["phone"] = p.phone
	}
	if len(traits) == 0 {
		return nil
	}
	return traits
}

// libraryContext is the context.library of imported events.
func libraryContext() map[string]any {
	return map[string]any{"name": "rapport-csvimport", "version": "1"}
}
