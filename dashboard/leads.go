package dashboard

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/scoring"
)

// grades are the fit grades, best first.
var grades = []string{"A", "B", "C", "D"}

// leadsView is the data of the leads page.
type leadsView struct {
	Grades   []option
	Stages   []option
	MinEng   string
	Limit    int
	Limits   []int
	Error    string
	Leads    []leadRow
	Pager    pager
	Dist     *distribution
	Filtered bool
	code     int
}

func (v *leadsView) status() int { return v.code }

// option is a checkbox of the filter form.
type option struct {
	Value   string
	Label   string
	Checked bool
}

// leadRow is one ranked lead.
type leadRow struct {
	Rank    int
	Profile string
	Name    string
	Score   scoring.Result
}

// leads loads GET /leads?grade=&stage=&min_engagement=&limit=&page=: the
// scored profiles ranked by priority, one page at a time, with the score
// distribution. Bad parameters show the form with the error next to it.
func (h *Handler) leads(r *http.Request, _ *session) (any, error) {
	q := r.URL.Query()
	v := &leadsView{MinEng: q.Get("min_engagement"), Limits: []int{25, 50, 100, 200}, Limit: defaultPerPage}
	filter, p, perr := parseLeadQuery(q)
	v.Grades, v.Stages = gradeOptions(filter.Grades), stageOptions(filter.Stages)
	v.Filtered = len(filter.Grades) > 0 || len(filter.Stages) > 0 || filter.MinEngagement > 0
	v.Dist = h.distribution(r.Context())
	if perr != nil {
		v.Error, v.code = rapport.ErrorMessage(perr), http.StatusBadRequest
		return v, nil
	}
	v.Limit = p.Limit
	recs, total, err := h.cfg.Scores.FindLeads(r.Context(), filter)
	if err != nil {
		return nil, fmt.Errorf("find leads: %w", err)
	}
	if v.Leads, err = h.leadRows(r.Context(), recs, p.offset()); err != nil {
		return nil, err
	}
	v.Pager = newPager("/leads", q, "page", p, len(recs), total, false)
	return v, nil
}

// parseLeadQuery reads the filter and the page. Grades and stages may be
// repeated (checkboxes) or comma-separated (the API's form).
func parseLeadQuery(q url.Values) (rapport.LeadFilter, paging, error) {
	var f rapport.LeadFilter
	var err error
	if f.Grades, err = listParam(q, "grade", grades); err != nil {
		return f, paging{}, err
	}
	if f.Stages, err = listParam(q, "stage", stageNames()); err != nil {
		return f, paging{}, err
	}
	if raw := strings.TrimSpace(q.Get("min_engagement")); raw != "" {
		n, err := strconv.ParseFloat(raw, 64)
		if err != nil || !(n >= 0 && n <= 100) { // NaN fails both

			return f, paging{}, rapport.Errorf(rapport.EINVALID, "min_engagement: must be a number from 0 to 100")
		}
		f.MinEngagement = n
	}
	p, err := parsePaging(q, "page", defaultPerPage, true)
	f.Limit, f.Offset = p.Limit, p.offset()
	return f, p, err
}

// listParam reads the values of a repeated or comma-separated parameter,
// each of which must be among allowed.
func listParam(q url.Values, name string, allowed []string) ([]string, error) {
	var out []string
	for _, raw := range q[name] {
		for v := range strings.SplitSeq(raw, ",") {
			v = strings.TrimSpace(v)
			if v == "" {
				continue
			}
			if !slices.Contains(allowed, v) {
				return nil, rapport.Errorf(rapport.EINVALID, "%s: %q is not one of %s", name, v, strings.Join(allowed, ", "))
			}
			if !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
	}
	return out, nil
}

func stageNames() []string {
	names := make([]string, len(scoring.Stages))
	for i, s := range scoring.Stages {
		names[i] = string(s)
	}
	return names
}

func gradeOptions(checked []string) []option {
	out := make([]option, len(grades))
	for i, g := range grades {
		out[i] = option{Value: g, Label: g, Checked: slices.Contains(checked, g)}
	}
	return out
}

func stageOptions(checked []string) []option {
	names := stageNames()
	out := make([]option, len(names))
	for i, s := range names {
		out[i] = option{Value: s, Label: label(s), Checked: slices.Contains(checked, s)}
	}
	return out
}

// leadRows decodes each stored score and finds a name to show for it:
// one primary-key lookup per row of the page.
func (h *Handler) leadRows(ctx context.Context, recs []rapport.ScoreRecord, offset int) ([]leadRow, error) {
	rows := make([]leadRow, len(recs))
	for i := range recs {
		res, err := decodeResult(&recs[i])
		if err != nil {
			return nil, err
		}
		name := recs[i].ProfileID
		p, err := h.cfg.Store.FindProfileByID(ctx, recs[i].ProfileID)
		switch rapport.ErrorCode(err) {
		case "":
			name = displayName(p)
		case rapport.ENOTFOUND: // erased or merged since the page was counted
		default:
			return nil, fmt.Errorf("find profile %s: %w", recs[i].ProfileID, err)
		}
		rows[i] = leadRow{Rank: offset + i + 1, Profile: recs[i].ProfileID, Name: name, Score: res}
	}
	return rows, nil
}
