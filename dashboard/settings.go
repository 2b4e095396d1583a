package dashboard

import (
	"context"
	"fmt"
	"net/http"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/rescore"
	"github.com/rapportdev/rapport/scoring"
)

// maxVersionsShown bounds the list of scoring model versions.
const maxVersionsShown = 10

// settingsView is the data of the settings page. An action that fails
// shows the page again with its error and the form as it was sent.
type settingsView struct {
	Notice string

	WriteKeys   []*rapport.Key
	AdminTokens int
	NewKey      *createdKey
	KeyName     string
	KeyError    string

	Editable bool
	Model    string
	Current  *rapport.ModelVersion
	Versions []rapport.ModelVersion
	Status   *rescore.Status
	Problems []scoring.Problem
	ModelErr string
	// modelSent says Model is the text the visitor sent, shown again
	// rather than the stored model.
	modelSent bool

	Users []*rapport.User
	// Self is who is signed in: an admin token's key id or a user id.
	Self          string
	User          userForm
	UserError     string
	PasswordError string

	Webhooks  []*rapport.Webhook
	NewHook   *createdHook
	Hook      hookForm
	HookError string
	Consents  []string
}

// notices are the messages a redirect after a successful action shows,
// by the code in its ?notice= parameter: nothing from the URL is shown.
var notices = map[string]string{
	"key-revoked":      "The write key was revoked; it stops working within 10 seconds.",
	"segment-saved":    "The segment was saved. Its members are being computed in the background: reload in a moment for the count.",
	"segment-deleted":  "The segment was deleted with its members and its history.",
	"scoring-saved":    "The scoring model was saved. Every profile is being rescored with it (see the rescoring status).",
	"webhook-deleted":  "The webhook was deleted with its delivery log.",
	"user-removed":     "The user was removed; their sessions end within 10 seconds.",
	"password-changed": "Your password was changed. Your other sessions are signed out.",
}

// settings loads GET /settings: write keys, the scoring model editor and
// rescoring status, the users and the webhooks.
func (h *Handler) settings(r *http.Request, s *session) (any, error) {
	v := &settingsView{Notice: notices[r.URL.Query().Get("notice")]}
	if err := h.loadSettings(r.Context(), s, v); err != nil {
		return nil, err
	}
	return v, nil
}

// loadSettings fills in who is signed in (the session s) and what the
// store holds, keeping a model text the visitor sent over the stored one.
func (h *Handler) loadSettings(ctx context.Context, s *session, v *settingsView) error {
	v.Self = s.KeyID
	if err := h.loadKeys(ctx, v); err != nil {
		return err
	}
	if err := h.loadModel(ctx, v); err != nil {
		return err
	}
	users, err := h.cfg.Store.FindUsers(ctx)
	if err != nil {
		return fmt.Errorf("find users: %w", err)
	}
	v.Users = users
	hooks, err := h.cfg.Store.FindWebhooks(ctx)
	if err != nil {
		return fmt.Errorf("find webhooks: %w", err)
	}
	v.Webhooks, v.Consents = hooks, rapport.ConsentChannels
	return nil
}

// loadKeys lists the write keys and counts the admin tokens.
func (h *Handler) loadKeys(ctx context.Context, v *settingsView) error {
	keys, err := h.cfg.Store.FindKeys(ctx)
	if err != nil {
		return fmt.Errorf("find keys: %w", err)
	}
	for _, k := range keys {
		if k.Kind == rapport.KeyWrite {
			v.WriteKeys = append(v.WriteKeys, k)
		} else {
			v.AdminTokens++
		}
	}
	return nil
}

// loadModel adds the current scoring model, its latest versions and the
// rescoring status.
func (h *Handler) loadModel(ctx context.Context, v *settingsView) error {
	cur, err := h.cfg.Store.CurrentModel(ctx, rapport.ModelScoring)
	if err != nil && rapport.ErrorCode(err) != rapport.ENOTFOUND {
		return fmt.Errorf("find scoring model: %w", err)
	}
	if cur != nil {
		v.Current = cur
		if !v.modelSent {
			v.Model = string(cur.Body)
		}
	}
	vs, err := h.cfg.Store.ListModels(ctx, rapport.ModelScoring)
	if err != nil {
		return fmt.Errorf("list scoring models: %w", err)
	}
	v.Versions = vs[:min(len(vs), maxVersionsShown)]
	if h.cfg.Scoring != nil {
		st := h.cfg.Scoring.Status()
		v.Status, v.Editable = &st, true
	}
	return nil
}

// showSettings renders the settings page after an action, with status.
func (h *Handler) showSettings(w http.ResponseWriter, r *http.Request, s *session, v *settingsView, status int) {
	if err := h.loadSettings(r.Context(), s, v); err != nil {
		h.fail(w, r, s, err)
		return
	}
	h.render(w, r, s, "settings.html", status, v)
}

// SelfUser returns the signed-in user, nil for an admin token.
func (v *settingsView) SelfUser() *rapport.User {
	for _, u := range v.Users {
		if u.ID == v.Self {
			return u
		}
	}
	return nil
}
