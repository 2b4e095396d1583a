package dashboard

import (
	"net/http"
)

// navEntry is one link of the main navigation.
type navEntry struct {
	Path  string
	Label string
}

// nav is the main navigation, in order.
var nav = []navEntry{
	{"/leads", "Leads"},
	{"/segments", "Segments"},
	{"/offers", "Offers"},
	{"/vendors", "Vendors"},
	{"/settings", "Settings"},
}

// page is a GET page: its route, its template in templates/, the
// navigation entry it belongs to, and the method that loads what it
// shows. Adding a page is a template, a loader and a line here. A loader
// is handed the session requireSession read, so a page about the visitor
// (settings) need not read the cookie again; most ignore it.
type page struct {
	pattern string
	view    string
	section string
	load    func(*Handler, *http.Request, *session) (any, error)
}

var pages = []page{
	{"GET /leads", "leads.html", "/leads", (*Handler).leads},
	{"GET /profiles/{id}", "profile.html", "/leads", (*Handler).profile},
	{"GET /segments", "segments.html", "/segments", (*Handler).segments},
	{"GET /segments/new", "segment_edit.html", "/segments", (*Handler).newSegment},
	{"GET /segments/economics", "economics.html", "/segments", (*Handler).economicsPage},
	{"GET /segments/{id}", "segment.html", "/segments", (*Handler).segment},
	{"GET /segments/{id}/edit", "segment_edit.html", "/segments", (*Handler).editSegment},
	{"GET /segments/{id}/delete", "segment_delete.html", "/segments", (*Handler).confirmDelete},
	{"GET /offers", "offers.html", "/offers", (*Handler).offersPage},
	{"GET /vendors", "vendors.html", "/vendors", (*Handler).vendorsPage},
	{"GET /vendors/people/{id}", "error.html", "/vendors", (*Handler).leadPerson},
	{"GET /settings", "settings.html", "/settings", (*Handler).settings},
	{"GET /settings/webhooks/{id}", "deliveries.html", "/settings", (*Handler).deliveries},
}

// action is a POST form handler. It runs only for a signed-in session
// whose CSRF token the form carries.
type action struct {
	pattern string
	handle  func(*Handler, http.ResponseWriter, *http.Request, *session)
}

var actions = []action{
	{"POST /logout", (*Handler).logout},
	{"POST /segments", (*Handler).createSegment},
	{"POST /segments/preview", (*Handler).previewSegment},
	{"POST /segments/{id}", (*Handler).updateSegment},
	{"POST /segments/{id}/delete", (*Handler).deleteSegment},
	{"POST /settings/keys", (*Handler).createKey},
	{"POST /settings/keys/{id}/revoke", (*Handler).revokeKey},
	{"POST /settings/scoring", (*Handler).saveScoring},
	{"POST /settings/webhooks", (*Handler).createWebhook},
	{"POST /settings/webhooks/{id}/delete", (*Handler).deleteWebhook},
	{"POST /settings/users", (*Handler).createUser},
	{"POST /settings/users/{id}/delete", (*Handler).deleteUser},
	{"POST /settings/password", (*Handler).changePassword},
}

// routes registers the pages, the actions, sign-in and the assets.
func (h *Handler) routes() {
	for _, p := range pages {
		h.mux.HandleFunc(p.pattern, h.requireSession(func(w http.ResponseWriter, r *http.Request, s *session) {
			h.servePage(w, r, s, p)
		}))
	}
	for _, a := range actions {
		h.mux.HandleFunc(a.pattern, h.requireSession(h.requireCSRF(func(w http.ResponseWriter, r *http.Request, s *session) {
			a.handle(h, w, r, s)
		})))
	}
	// A download, not a page: it streams CSV rather than a template.
	h.mux.HandleFunc("GET /segments/{id}/members.csv", h.requireSession(h.exportMembers))
	h.mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/leads", http.StatusSeeOther)
	})
	h.mux.HandleFunc("GET /login", h.loginForm)
	h.mux.HandleFunc("POST /login", h.login)
	h.mux.Handle("GET /static/", h.assets)
	h.mux.HandleFunc("/", h.notFound)
}

// servePage loads and renders a page. A loader's error is shown as an
// error page, or followed when it is a redirect.
func (h *Handler) servePage(w http.ResponseWriter, r *http.Request, s *session, p page) {
	data, err := p.load(h, r, s)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	status := http.StatusOK
	if sv, ok := data.(statusView); ok && sv.status() != 0 {
		status = sv.status()
	}
	h.render(w, r, s, p.view, status, data)
}

// statusView is a page's data that asks for a status other than 200: a
// page shown again with the error of a form next to it.
type statusView interface {
	status() int
}

// sectionOf returns the navigation entry of the page rendered by view.
func sectionOf(view string) string {
	for _, p := range pages {
		if p.view == view {
			return p.section
		}
	}
	return ""
}
