package dashboard

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/rapportdev/rapport"
)

// hookForm is the new-webhook form as sent.
type hookForm struct {
	URL     string
	Events  string
	Consent string
}

// createdHook is a new webhook with the secret Rapport generated for it,
// shown once ("" when the visitor gave one).
type createdHook struct {
	*rapport.Webhook
	Secret string
}

// createWebhook answers POST /settings/webhooks (url, events, secret,
// requires_consent).
func (h *Handler) createWebhook(w http.ResponseWriter, r *http.Request, s *session) {
	f := hookForm{URL: strings.TrimSpace(r.PostForm.Get("url")), Events: r.PostForm.Get("events"),
		Consent: r.PostForm.Get("requires_consent")}
	hook := &rapport.Webhook{ID: rapport.NewID("wh_"), URL: f.URL, Events: splitList(f.Events),
		Secret: r.PostForm.Get("secret"), RequiresConsent: f.Consent, Active: true, CreatedAt: h.cfg.Clock.Now().UTC()}
	generated := ""
	if hook.Secret == "" {
		generated = rapport.NewSecret("whsec_")
		hook.Secret = generated
	}
	err := h.cfg.Store.CreateWebhook(r.Context(), hook)
	if rapport.ErrorCode(err) == rapport.EINVALID {
		h.showSettings(w, r, s, &settingsView{Hook: f, HookError: rapport.ErrorMessage(err)}, http.StatusBadRequest)
		return
	} else if err != nil {
		h.fail(w, r, s, fmt.Errorf("create webhook: %w", err))
		return
	}
	h.cfg.Logger.Info("webhook created", "webhook", hook.ID, "url", hook.URL, "events", hook.Events, "by", s.KeyID)
	h.showSettings(w, r, s, &settingsView{NewHook: &createdHook{Webhook: hook, Secret: generated}}, http.StatusOK)
}

// splitList reads a comma- or space-separated list, without empty items.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' || r == '\t' })
}

// deleteWebhook answers POST /settings/webhooks/{id}/delete: the webhook
// and its delivery log are removed.
func (h *Handler) deleteWebhook(w http.ResponseWriter, r *http.Request, s *session) {
	id := r.PathValue("id")
	if err := h.cfg.Store.DeleteWebhook(r.Context(), id); err != nil {
		if rapport.ErrorCode(err) == rapport.ENOTFOUND {
			err = rapport.Errorf(rapport.ENOTFOUND, "There is no webhook %s.", id)
		}
		h.fail(w, r, s, fmt.Errorf("delete webhook %s: %w", id, err))
		return
	}
	h.cfg.Logger.Info("webhook deleted", "webhook", id, "by", s.KeyID)
	http.Redirect(w, r, "/settings?notice=webhook-deleted#webhooks", http.StatusSeeOther)
}
