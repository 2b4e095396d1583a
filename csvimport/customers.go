package csvimport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/rapportdev/rapport"
)

// Customers imports a customer list: one identify event per row, with the
// traits of the mapped columns. A row needs a user id, anonymous id, email
// or phone. The event happens at the row's timestamp column when mapped,
// else now (so the list's traits are the newest the profile knows).
//
// Its message id hashes the source, the person and the whole row: the
// same file imported twice adds nothing, and an edited row is applied.
func Customers(ctx context.Context, r io.Reader, opts Options, emit func([]rapport.Event) error) (*Report, error) {
	opts = opts.withDefaults()
	t, err := openTable(r, opts)
	if err != nil {
		return nil, fmt.Errorf("import customers: %w", err)
	}
	if err := t.cols.require(t.header, "user_id", "anonymous_id", "email", "phone"); err != nil {
		return nil, fmt.Errorf("import customers: %w", err)
	}
	rep := &Report{}
	out := newBatcher(opts.BatchSize, emit, rep)
	extra := t.extraColumns(opts.AllColumns)
	for {
		if err := checkContext(ctx, rep); err != nil {
			return rep, err
		}
		rec, line, err := t.next(rep)
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return rep, fmt.Errorf("import customers line %d: %w", line, err)
		}
		ev, reason := customerEvent(t, rec, line, extra, opts)
		if reason != "" {
			rep.reject(line, "%s", reason)
			continue
		}
		rep.Accepted++
		rep.Customers++
		if err := out.add(ev); err != nil {
			return rep, fmt.Errorf("import customers line %d: %w", line, err)
		}
	}
	return finish(t, rep, out, opts, "import customers")
}

// customerEvent builds the identify event of one row, or the reason to
// reject it.
func customerEvent(t *table, rec []string, line int, extra map[int]string, opts Options) (rapport.Event, string) {
	p, reason := readPerson(t, rec)
	if reason != "" {
		return rapport.Event{}, reason
	}
	now := opts.Clock.Now().UTC()
	at := now
	if s := t.get(rec, "timestamp"); s != "" {
		var err error
		if at, err = parseTime(s, opts.TimeLayouts, opts.Location); err != nil {
			return rapport.Event{}, "timestamp: " + err.Error()
		}
	}
	traits, reason := customerTraits(t, rec, p, extra, opts)
	if reason != "" {
		return rapport.Event{}, reason
	}
	uid, aid := p.ids()
	return rapport.Event{
		SourceID:    opts.Source,
		MessageID:   "import:customer:" + digest(opts.Source, p.key(), strings.Join(rec, "\x1f")),
		Type:        rapport.EventIdentify,
		UserID:      uid,
		AnonymousID: aid,
		Traits:      traits,
		Context:     importContext(opts.Source, line, 1),
		Timestamp:   at,
		ReceivedAt:  now,
	}, ""
}

// customerTraits collects a row's traits; empty cells set nothing, so they
// never blank out what a profile already knows.
func customerTraits(t *table, rec []string, p person, extra map[int]string, opts Options) (map[string]any, string) {
	traits := map[string]any{}
	for _, f := range []string{"email", "phone", "first_name", "last_name", "name"} {
		if v := t.get(rec, f); v != "" {
			traits[f] = v
		}
	}
	if s := t.get(rec, "created_at"); s != "" {
		at, err := parseTime(s, opts.TimeLayouts, opts.Location)
		if err != nil {
			return nil, "created_at: " + err.Error()
		}
		traits["created_at"] = at.Format(time.RFC3339)
	}
	for _, tf := range t.traits {
		if v := t.get(rec, tf[0]); v != "" {
			traits[tf[1]] = traitValue(v)
		}
	}
	for i, name := range extra {
		if v := strings.TrimSpace(rec[i]); v != "" {
			traits[name] = traitValue(v)
		}
	}
	if len(traits) == 0 {
		traits = nil
	}
	return traits, ""
}

// extraColumns returns, when all is set, the columns no field maps, by
// index, with their trait names.
func (t *table) extraColumns(all bool) map[int]string {
	if !all {
		return nil
	}
	used := map[int]bool{}
	for _, i := range t.cols {
		used[i] = true
	}
	extra := map[int]string{}
	for i, h := range t.header {
		if name := snakeCase(h); !used[i] && name != "" {
			extra[i] = name
		}
	}
	return extra
}

// importContext is the context of an imported event: which file and lines
// it came from.
func importContext(source string, line, lines int) map[string]any {
	return map[string]any{
		"library": libraryContext(),
		"import":  map[string]any{"source": source, "line": line, "lines": lines},
	}
}

// checkContext stops an import whose context is done, checking once every
// 1024 rows.
func checkContext(ctx context.Context, rep *Report) error {
	if rep.Rows%1024 == 0 {
		return ctx.Err()
	}
	return nil
}

// finish emits the last batch and completes the report.
func finish(t *table, rep *Report, out *batcher, opts Options, what string) (*Report, error) {
	if err := out.flush(); err != nil {
		return rep, fmt.Errorf("%s: %w", what, err)
	}
	rep.Bytes = t.count.n
	if opts.Progress != nil {
		opts.Progress(rep.Bytes)
	}
	return rep, nil
}
