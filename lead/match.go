package lead

import (
	"strconv"

	"github.com/rapportdev/rapport"
)

// Match key prefixes. A key is a prefix and a normalised value; two leads
// that share any key are the same person.
const (
	keyEmail       = "e:"
	keyPhone       = PhoneKeyPrefix
	keyNameAddress = "na:"
	keyNameBirth   = "nb:"
)

// PhoneKeyPrefix starts the phone key, whose value is the number in
// E.164, as identity resolution keeps it.
const PhoneKeyPrefix = "p:"

// MatchKeys returns the keys that find earlier inquiries of the lead's
// person, strongest first: the email (Gmail dots and tags ignored), the
// phone in E.164, the name at the street address and postal code, and the
// name with the postal code and birth year. Identity resolution links
// profiles by email and phone too; the name keys catch the person who
// gives another address or number on the next form. A part that is
// missing leaves its key out.
func MatchKeys(l *rapport.Lead) []string {
	p := &l.Person
	keys := make([]string, 0, 4)
	if e := rapport.NormalizeEmail(p.Email); e != "" {
		keys = append(keys, keyEmail+MatchEmail(e))
	}
	if ph := rapport.NormalizePhone(p.Phone); ph != "" {
		keys = append(keys, keyPhone+ph)
	}
	name, postal := NormalName(p.FirstName, p.LastName), NormalPostal(p.Address.PostalCode)
	if name == "" || postal == "" {
		return keys
	}
	if street := NormalStreet(p.Address.Street); street != "" {
		keys = append(keys, keyNameAddress+name+"|"+street+"|"+postal)
	}
	if p.BirthYear != 0 {
		keys = append(keys, keyNameBirth+name+"|"+postal+"|"+strconv.Itoa(p.BirthYear))
	}
	return keys
}
