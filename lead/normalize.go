package lead

import (
	"strings"
	"unicode"
)

// foldRunes maps the accented Latin letters a form may hold to their
// plain letters, so "José Núñez" and "Jose Nunez" match. Written out
// rather than taken from golang.org/x/text: the table is all we need.
var foldRunes = map[rune]string{
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ä': "a", 'å': "a", 'æ': "ae", 'ç': "c",
	'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'ì': "i", 'í': "i", 'î': "i", 'ï': "i",
	'ñ': "n", 'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o", 'ö': "o", 'ø': "o", 'œ': "oe",
	'ù': "u", 'ú': "u", 'û': "u", 'ü': "u", 'ý': "y", 'ÿ': "y", 'ß': "ss", 'ł': "l",
}

// words lower-cases s, folds accents, drops punctuation (an apostrophe
// joins: "O'Brien" is "obrien") and returns the words.
func words(s string) []string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r == '\'' || r == '’' || r == '.':
		case r < utf8RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
		case foldRunes[r] != "":
			b.WriteString(foldRunes[r])
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		default:
			b.WriteByte(' ')
		}
	}
	return strings.Fields(b.String())
}

const utf8RuneSelf = 0x80

// nameSuffixes are dropped from names: they are written one way on one
// form and left out on the next.
var nameSuffixes = map[string]bool{"jr": true, "sr": true, "ii": true, "iii": true, "iv": true, "md": true, "phd": true}

// nicknames maps common English short forms to the given name, so "Bob
// Smith" and "Robert Smith" at one address match.
var nicknames = map[string]string{
	"bob": "robert", "rob": "robert", "bobby": "robert", "bill": "william", "will": "william",
	"billy": "william", "liz": "elizabeth", "beth": "elizabeth", "betty": "elizabeth",
	"jim": "james", "jimmy": "james", "mike": "michael", "dave": "david", "dan": "daniel",
	"danny": "daniel", "tom": "thomas", "tommy": "thomas", "joe": "joseph", "chris": "christopher",
	"kate": "katherine", "katie": "katherine", "kathy": "katherine", "jen": "jennifer",
	"jenny": "jennifer", "rick": "richard", "dick": "richard", "rich": "richard", "steve": "steven",
	"tony": "anthony", "sam": "samuel", "matt": "matthew", "pat": "patricia", "sue": "susan",
	"peggy": "margaret", "maggie": "margaret", "ed": "edward", "ted": "edward", "greg": "gregory",
	"alex": "alexander", "andy": "andrew", "nick": "nicholas", "ben": "benjamin", "jon": "jonathan",
}

// NormalName returns a person's name as a match key part: "last|first",
// lower-case, accents folded, punctuation and suffixes dropped, a known
// nickname replaced by its given name, middle names left out. It is ""
// when either part is missing.
func NormalName(first, last string) string {
	f, l := nameWords(first), nameWords(last)
	if len(f) == 0 || len(l) == 0 {
		return ""
	}
	given := f[0]
	if full, ok := nicknames[given]; ok {
		given = full
	}
	return strings.Join(l, "") + "|" + given
}

func nameWords(s string) []string {
	ws := words(s)
	out := ws[:0]
	for _, w := range ws {
		if !nameSuffixes[w] {
			out = append(out, w)
		}
	}
	return out
}

// streetWords replaces the spellings of street types and directions with
// the USPS abbreviations, so "123 North Main Street" is "123 n main st".
var streetWords = map[string]string{
	"street": "st", "str": "st", "avenue": "ave", "av": "ave", "road": "rd", "drive": "dr",
	"boulevard": "blvd", "lane": "ln", "court": "ct", "place": "pl", "terrace": "ter",
	"circle": "cir", "highway": "hwy", "parkway": "pkwy", "square": "sq", "trail": "trl",
	"north": "n", "south": "s", "east": "e", "west": "w", "northeast": "ne", "northwest": "nw",
	"southeast": "se", "southwest": "sw",
}

// unitWords introduce an apartment or suite; they and what follows are
// left out of the street key, so one household matches whether or not
// the unit was given (two flats of one building with one name and street
// line are rare enough to accept).
var unitWords = map[string]bool{"apt": true, "apartment": true, "unit": true, "suite": true, "ste": true, "fl": true, "floor": true, "rm": true}

// NormalStreet returns a street line as a match key part.
func NormalStreet(s string) string {
	s = strings.ReplaceAll(s, "#", " apt ")
	var out []string
	for _, w := range words(s) {
		if unitWords[w] {
			break
		}
		if abbr, ok := streetWords[w]; ok {
			w = abbr
		}
		out = append(out, w)
	}
	return strings.Join(out, " ")
}

// NormalPostal returns a postal code as a match key part: letters and
// digits, upper-case, and a US ZIP+4 cut to its five digits.
func NormalPostal(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' {
			b.WriteRune(r)
		}
	}
	p := b.String()
	if len(p) == 9 && strings.Trim(p, "0123456789") == "" {
		p = p[:5]
	}
	return p
}

// MatchEmail returns an email address as a match key part: the
// identity's normal form, and for Gmail without dots and "+tag", which
// Gmail ignores (j.doe+cars@gmail.com is jdoe@gmail.com).
func MatchEmail(normalized string) string {
	local, domain, ok := strings.Cut(normalized, "@")
	if !ok || (domain != "gmail.com" && domain != "googlemail.com") {
		return normalized
	}
	local, _, _ = strings.Cut(local, "+")
	return strings.ReplaceAll(local, ".", "") + "@gmail.com"
}
