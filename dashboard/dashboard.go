package dashboard

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/conversion"
	"github.com/rapportdev/rapport/economics"
	rhttp "github.com/rapportdev/rapport/http"
	"github.com/rapportdev/rapport/rescore"
	"github.com/rapportdev/rapport/scoring"
)

// Scoring is the scoring model in use and its rescoring passes;
// *rescore.Keeper implements it.
type Scoring interface {
	// Replace validates body (YAML or JSON), stores it as the next
	// version, puts it in use and starts a rescoring pass. A refused model
	// is a *scoring.ValidationError naming each problem's field path and
	// line, or another EINVALID error when the text does not parse.
	Replace(ctx context.Context, body []byte) (*scoring.Model, error)
	// Status returns the model version in use and the latest pass.
	Status() rescore.Status
}

// Config holds what a Handler needs. Store is required; the rest have
// defaults.
type Config struct {
	Store rapport.Store
	// Scores serves the scores of the leads and profile pages: the
	// scores in memory (rescore.Scores) where events are applied; nil
	// means Store.
	Scores ScoreReader
	// Scoring saves the scoring model edited in the settings; nil shows
	// the stored model without an editor.
	Scoring Scoring
	// Segments saves, deletes and previews rule segments; nil shows the
	// segments without the editor (a process that does not apply events).
	Segments Segments
	// Economics are the costs and horizon of the economics page; nil
	// takes economics.Defaults().
	Economics *economics.Options
	Clock     rapport.Clock
	Logger    *slog.Logger
	// SessionKey signs session cookies and CSRF tokens (32 bytes or more).
	// When empty a random key is made, so a restart signs everyone out.
	SessionKey []byte
	// PageWait is how long a page waits for a background computation (the
	// score distribution, the economics reports) before it shows the
	// previous result; zero means DefaultPageWait. Tests that check the
	// figures set it long, so a busy machine cannot make them stale.
	PageWait time.Duration
	// Offers serves the offers page's figures; nil says offers are not
	// available on this process.
	Offers Offers
	// Leads serves the vendors page's figures; nil says lead management
	// is not available on this process.
	Leads Leads
}

// ScoreReader reads scores as the store does (rapport.ProfileStore's
// FindScore and FindLeads, with their contracts).
type ScoreReader interface {
	FindScore(ctx context.Context, profileID string) (*rapport.ScoreRecord, error)
	FindLeads(ctx context.Context, filter rapport.LeadFilter) ([]rapport.ScoreRecord, int, error)
}

// Handler serves the dashboard. It implements http.Handler and is meant
// to be mounted at "/" behind the API routes (rhttp.Config.Dashboard).
type Handler struct {
	cfg      Config
	mux      *http.ServeMux
	views    map[string]*template.Template
	assets   *assets
	keys     *rhttp.KeyRing
	sessions *sessions
	throttle *throttle
	admins   *adminKeys
	conv     conversion.Latest
	dist     *refresher[*distribution]
	reports  *refresher[*reports]
	econ     economics.Options
	// offerCache keeps the offers page's figures for a minute.
	offerCache offerCache
}

// New returns a dashboard over cfg.Store, or an error when the store is
// missing, the session key is too short or a template does not parse.
func New(cfg Config) (*Handler, error) {
	if cfg.Store == nil {
		return nil, errors.New("dashboard: a store is required")
	}
	if cfg.Clock == nil {
		cfg.Clock = rapport.SystemClock{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.PageWait <= 0 {
		cfg.PageWait = DefaultPageWait
	}
	if cfg.Scores == nil {
		cfg.Scores = cfg.Store
	}
	key, err := sessionKey(cfg.SessionKey)
	if err != nil {
		return nil, err
	}
	h := &Handler{cfg: cfg, mux: http.NewServeMux(), keys: rhttp.NewKeyRing(cfg.Store, cfg.Clock),
		sessions: newSessions(key, cfg.Clock), admins: &adminKeys{store: cfg.Store},
		throttle: newThrottle()}
	h.conv.Store = cfg.Store
	h.econ = economics.Defaults()
	if cfg.Economics != nil {
		h.econ = *cfg.Economics
	}
	if err := h.econ.Validate(); err != nil {
		return nil, fmt.Errorf("dashboard: economics options: %w", err)
	}
	h.dist = newRefresher("count scores by grade and stage", distributionTTL, cfg.Clock, cfg.Logger, h.countScores)
	h.reports = newRefresher("compute the economics and RFM reports", reportsTTL, cfg.Clock, cfg.Logger, h.computeReports)
	if h.assets, err = newAssets(); err != nil {
		return nil, err
	}
	if h.views, err = parseViews(h.assets); err != nil {
		return nil, err
	}
	h.routes()
	return h, nil
}

// minSessionKey is the shortest session key accepted, in bytes.
const minSessionKey = 32

// sessionKey returns the configured key, or a fresh random one.
func sessionKey(given []byte) ([]byte, error) {
	if len(given) == 0 {
		key := make([]byte, minSessionKey)
		if _, err := rand.Read(key); err != nil {
			return nil, fmt.Errorf("dashboard: session key: %w", err)
		}
		return key, nil
	}
	if len(given) < minSessionKey {
		return nil, fmt.Errorf("dashboard: session key of %d bytes: want at least %d", len(given), minSessionKey)
	}
	return given, nil
}

// ServeHTTP implements http.Handler. Every answer carries headers that
// keep the pages out of frames, other origins' scripts and shared caches.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; "+
		"base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("X-Frame-Options", "DENY")
	hd.Set("Referrer-Policy", "same-origin")
	h.mux.ServeHTTP(w, r)
}
