package http

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/rapportdev/rapport"
)

// webhookRequest is the body of POST /api/v1/webhooks. Active defaults to
// true; Secret, when empty, is generated and shown in the answer once.
type webhookRequest struct {
	URL             string   `json:"url"`
	Events          []string `json:"events"`
	Secret          string   `json:"secret"`
	RequiresConsent string   `json:"requiresConsent"`
	Active          *bool    `json:"active"`
}

// webhookList is the body of GET /api/v1/webhooks, without secrets.
type webhookList struct {
	Webhooks []*rapport.Webhook `json:"webhooks"`
}

// createdWebhook is a new webhook with its secret when Rapport generated
// it, shown this once.
type createdWebhook struct {
	*rapport.Webhook
	Secret string `json:"secret,omitempty"`
}

// deliveryList is a page of a webhook's delivery log, newest first.
type deliveryList struct {
	Deliveries []rapport.Delivery `json:"deliveries"`
	Next       string             `json:"next,omitempty"`
}

// listWebhooks answers GET /api/v1/webhooks.
func (s *Server) listWebhooks(w http.ResponseWriter, r *http.Request) {
	hooks, err := s.cfg.Store.FindWebhooks(r.Context())
	if err != nil {
		s.adminError(w, r, fmt.Errorf("find webhooks: %w", err))
		return
	}
	writeJSON(w, http.StatusOK, webhookList{Webhooks: append([]*rapport.Webhook{}, hooks...)})
}

// createWebhook answers POST /api/v1/webhooks with the new webhook, and
// its secret when generated.
func (s *Server) createWebhook(w http.ResponseWriter, r *http.Request) {
	var req webhookRequest
	if err := decodeAdminBody(w, r, &req); err != nil {
		s.adminError(w, r, err)
		return
	}
	hook := &rapport.Webhook{ID: rapport.NewID("wh_"), URL: strings.TrimSpace(req.URL), Events: req.Events,
		Secret: req.Secret, RequiresConsent: req.RequiresConsent, Active: req.Active == nil || *req.Active,
		CreatedAt: s.cfg.Clock.Now().UTC()}
	generated := ""
	if hook.Secret == "" {
		generated = rapport.NewSecret("whsec_")
		hook.Secret = generated
	}
	if err := s.cfg.Store.CreateWebhook(r.Context(), hook); err != nil {
		s.adminError(w, r, fmt.Errorf("create webhook: %w", err))
		return
	}
	s.cfg.Logger.Info("webhook created", "webhook", hook.ID, "url", hook.URL, "events", hook.Events)
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, createdWebhook{Webhook: hook, Secret: generated})
}

// deleteWebhook answers DELETE /api/v1/webhooks/{id}: the webhook and its
// delivery log are removed, and nothing more is sent to it.
func (s *Server) deleteWebhook(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if err := s.cfg.Store.DeleteWebhook(r.Context(), id); err != nil {
		s.adminError(w, r, fmt.Errorf("delete webhook %s: %w", id, err))
		return
	}
	s.cfg.Logger.Info("webhook deleted", "webhook", id)
	w.WriteHeader(http.StatusNoContent)
}

// listDeliveries answers GET /api/v1/webhooks/{id}/deliveries: a page of
// the webhook's delivery log, optionally of one state.
func (s *Server) listDeliveries(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	q := r.URL.Query()
	p, err := parsePage(q)
	if err == nil {
		err = checkDeliveryState(q.Get("state"))
	}
	if err == nil {
		err = s.findWebhook(r.Context(), id)
	}
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	ds, err := s.cfg.Store.FindDeliveries(r.Context(), rapport.DeliveryFilter{WebhookID: id, State: q.Get("state"),
		Offset: p.Offset, Limit: p.Limit})
	if err != nil {
		s.adminError(w, r, fmt.Errorf("find deliveries of %s: %w", id, err))
		return
	}
	list := deliveryList{Deliveries: append([]rapport.Delivery{}, ds...)}
	if len(ds) == p.Limit {
		list.Next = nextPageURL(r, p)
	}
	writeJSON(w, http.StatusOK, list)
}

// checkDeliveryState refuses an unknown state filter.
func checkDeliveryState(state string) error {
	switch state {
	case "", rapport.DeliveryPending, rapport.DeliveryDelivered, rapport.DeliveryFailed:
		return nil
	}
	return rapport.Errorf(rapport.EINVALID, "state: must be pending, delivered or failed")
}

// findWebhook returns ENOTFOUND unless the webhook exists.
func (s *Server) findWebhook(ctx context.Context, id string) error {
	hooks, err := s.cfg.Store.FindWebhooks(ctx)
	if err != nil {
		return fmt.Errorf("find webhooks: %w", err)
	}
	for _, h := range hooks {
		if h.ID == id {
			return nil
		}
	}
	return rapport.Errorf(rapport.ENOTFOUND, "webhook %s not found", id)
}
