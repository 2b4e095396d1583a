package lead

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/csvsniff"
)

// csvField sets one field of a lead from a CSV cell.
type csvField func(l *rapport.Lead, v string) error

// csvFields are the columns a lead CSV may have (names compared without
// regard to case, "_" or "-"); "answer.KEY" columns are answers.
var csvFields = map[string]csvField{
	"externalid":          func(l *rapport.Lead, v string) error { l.ExternalID = v; return nil },
	"price":               func(l *rapport.Lead, v string) error { return setFloat(&l.Price, v) },
	"firstname":           func(l *rapport.Lead, v string) error { l.Person.FirstName = v; return nil },
	"lastname":            func(l *rapport.Lead, v string) error { l.Person.LastName = v; return nil },
	"email":               func(l *rapport.Lead, v string) error { l.Person.Email = v; return nil },
	"phone":               func(l *rapport.Lead, v string) error { l.Person.Phone = v; return nil },
	"street":              func(l *rapport.Lead, v string) error { l.Person.Address.Street = v; return nil },
	"city":                func(l *rapport.Lead, v string) error { l.Person.Address.City = v; return nil },
	"region":              func(l *rapport.Lead, v string) error { l.Person.Address.Region = v; return nil },
	"state":               func(l *rapport.Lead, v string) error { l.Person.Address.Region = v; return nil },
	"postalcode":          func(l *rapport.Lead, v string) error { l.Person.Address.PostalCode = v; return nil },
	"zip":                 func(l *rapport.Lead, v string) error { l.Person.Address.PostalCode = v; return nil },
	"country":             func(l *rapport.Lead, v string) error { l.Person.Address.Country = v; return nil },
	"birthyear":           func(l *rapport.Lead, v string) error { return setInt(&l.Person.BirthYear, v) },
	"submittedat":         func(l *rapport.Lead, v string) error { return setTime(&l.SubmittedAt, v) },
	"deliveredat":         func(l *rapport.Lead, v string) error { return setTime(&l.DeliveredAt, v) },
	"formseconds":         func(l *rapport.Lead, v string) error { return setFloat(&l.Form.Seconds, v) },
	"forminput":           func(l *rapport.Lead, v string) error { l.Form.Input = strings.ToLower(v); return nil },
	"completedby":         func(l *rapport.Lead, v string) error { l.Form.CompletedBy = strings.ToLower(v); return nil },
	"deviceleads5m":       func(l *rapport.Lead, v string) error { return setInt(&l.Form.DeviceLeads5m, v) },
	"deviceid":            func(l *rapport.Lead, v string) error { l.Form.DeviceID = v; return nil },
	"botscore":            func(l *rapport.Lead, v string) error { return setFloat(&l.Form.BotScore, v) },
	"ip":                  func(l *rapport.Lead, v string) error { l.Form.IP = v; return nil },
	"useragent":           func(l *rapport.Lead, v string) error { l.Form.UserAgent = v; return nil },
	"page":                func(l *rapport.Lead, v string) error { l.Page = v; return nil },
	"source":              func(l *rapport.Lead, v string) error { l.Source = v; return nil },
	"visits":              func(l *rapport.Lead, v string) error { return setInt(&l.Journey.Visits, v) },
	"firstvisitat":        func(l *rapport.Lead, v string) error { return setTime(&l.Journey.FirstVisitAt, v) },
	"consenttext":         consentField(func(c *rapport.LeadConsent, v string) error { c.Text = v; return nil }),
	"consentat":           consentField(func(c *rapport.LeadConsent, v string) error { return setTime(&c.At, v) }),
	"consentip":           consentField(func(c *rapport.LeadConsent, v string) error { c.IP = v; return nil }),
	"consentuseragent":    consentField(func(c *rapport.LeadConsent, v string) error { c.UserAgent = v; return nil }),
	"consentmethod":       consentField(func(c *rapport.LeadConsent, v string) error { c.Method = v; return nil }),
	"consentpage":         consentField(func(c *rapport.LeadConsent, v string) error { c.Page = v; return nil }),
	"consentproofurl":     consentField(func(c *rapport.LeadConsent, v string) error { c.ProofURL = v; return nil }),
	"consentevidencehash": consentField(func(c *rapport.LeadConsent, v string) error { c.EvidenceHash = v; return nil }),
	"consentchannels": consentField(func(c *rapport.LeadConsent, v string) error {
		c.Channels = strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == ';' || r == ',' || r == '|' })
		return nil
	}),
}

// consentField sets a field of the lead's consent record, creating it.
func consentField(set func(*rapport.LeadConsent, string) error) csvField {
	return func(l *rapport.Lead, v string) error {
		if l.Consent == nil {
			l.Consent = &rapport.LeadConsent{}
		}
		return set(l.Consent, v)
	}
}

// ReadCSV reads leads from a CSV upload with a header line (',' or ';'
// separated). Each row is an Item: a row that cannot be read (a bad
// number or time, a wrong number of cells) is an error of that row, named
// by its line, and a broken quote ends the reading with an error item
// (the rest of the file cannot be split into rows); an unknown column or
// more than MaxLeadsPerRequest rows is an error of the whole file. Empty cells are left unset. Each lead's Raw
// is its row as a JSON object of column → cell.
func ReadCSV(r io.Reader) ([]Item, error) {
	br := bufio.NewReader(r)
	csvsniff.SkipBOM(br)
	cr := csv.NewReader(br)
	cr.Comma = csvsniff.Delimiter(br)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, rapport.Errorf(rapport.EINVALID, "csv: empty, want a header line")
	} else if err != nil {
		return nil, rapport.Errorf(rapport.EINVALID, "csv header: %s", csvProblem(err))
	}
	setters, err := csvSetters(header)
	if err != nil {
		return nil, err
	}
	var items []Item
	for {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return items, nil
		}
		if len(items) == MaxLeadsPerRequest {
			return nil, rapport.Errorf(rapport.EINVALID, "csv: more than %d leads: split the file", MaxLeadsPerRequest)
		}
		var pe *csv.ParseError
		switch {
		case errors.As(err, &pe):
			// A broken quote makes the rest of the file unreadable: the rows
			// before it stand, and the answer says where reading stopped.
			items = append(items, Item{Line: pe.StartLine, Err: rapport.Errorf(rapport.EINVALID,
				"line %d: %s; the rest of the file was not read", pe.StartLine, csvProblem(err))})
			return items, nil
		case err != nil:
			return nil, rapport.Errorf(rapport.EINVALID, "csv: %s", csvProblem(err))
		}
		line, _ := cr.FieldPos(0)
		items = append(items, csvItem(header, setters, row, line))
	}
}

// csvItem turns one row into an item.
func csvItem(header []string, setters []csvField, row []string, line int) Item {
	if len(row) != len(header) {
		return Item{Line: line, Err: rapport.Errorf(rapport.EINVALID, "line %d: %d cells for %d columns", line, len(row), len(header))}
	}
	var l rapport.Lead
	raw := make(map[string]string, len(row))
	for i, cell := range row {
		cell = strings.TrimSpace(cell)
		raw[header[i]] = cell
		if cell == "" {
			continue
		}
		if err := setters[i](&l, cell); err != nil {
			return Item{Line: line, Err: rapport.Errorf(rapport.EINVALID, "line %d, column %s: %v", line, header[i], err)}
		}
	}
	l.Raw, _ = json.Marshal(raw) // a map of strings always encodes
	return Item{Lead: l, Line: line}
}

// csvSetters maps each header column to its setter.
func csvSetters(header []string) ([]csvField, error) {
	setters := make([]csvField, len(header))
	seen := map[string]bool{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		header[i] = h
		if key, ok := strings.CutPrefix(h, "answer."); ok && key != "" {
			setters[i] = answerField(key)
			continue
		}
		name := strings.NewReplacer("_", "", "-", "", " ", "").Replace(strings.ToLower(h))
		set, ok := csvFields[name]
		switch {
		case !ok:
			return nil, rapport.Errorf(rapport.EINVALID, "csv header: unknown column %q (see docs/leads.md for the columns; answers are answer.KEY)", clipText(h))
		case seen[name]:
			return nil, rapport.Errorf(rapport.EINVALID, "csv header: column %q appears twice", h)
		}
		seen[name] = true
		setters[i] = set
	}
	return setters, nil
}

// answerField sets an answer: a number when the cell is one, true or
// false, else the text.
func answerField(key string) csvField {
	return func(l *rapport.Lead, v string) error {
		if l.Answers == nil {
			l.Answers = map[string]any{}
		}
		if f, ok := rapport.Number(v); ok {
			l.Answers[key] = f
		} else if b, err := strconv.ParseBool(v); err == nil && (v == "true" || v == "false") {
			l.Answers[key] = b
		} else {
			l.Answers[key] = v
		}
		return nil
	}
}

func setFloat(dst *float64, v string) error {
	f, ok := rapport.Number(v)
	if !ok {
		return fmt.Errorf("%q is not a number", clipText(v))
	}
	*dst = f
	return nil
}

func setInt(dst *int, v string) error {
	n, err := strconv.Atoi(v)
	if err != nil {
		return fmt.Errorf("%q is not a whole number", clipText(v))
	}
	*dst = n
	return nil
}

func setTime(dst *time.Time, v string) error {
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return fmt.Errorf("%q is not an RFC 3339 time (2026-11-23T10:04:05Z)", clipText(v))
	}
	*dst = t
	return nil
}

func csvProblem(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return "cannot be read"
}

// clipText shortens a cell for an error message.
func clipText(s string) string {
	if len(s) <= 40 {
		return s
	}
	return strings.ToValidUTF8(s[:40], "") + "…"
}
