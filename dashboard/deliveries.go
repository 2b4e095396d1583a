package dashboard

import (
	"context"
	"fmt"
	"net/http"
	"slices"

	"github.com/rapportdev/rapport"
)

// deliveriesView is the data of a webhook's delivery log page.
type deliveriesView struct {
	Hook       *rapport.Webhook
	State      string
	States     []string
	Deliveries []rapport.Delivery
	Pager      pager
}

// deliveryStates are the states the delivery log is filtered by.
var deliveryStates = []string{rapport.DeliveryPending, rapport.DeliveryDelivered, rapport.DeliveryFailed}

// deliveries loads GET /settings/webhooks/{id}?state=&page=: a page of the
// webhook's delivery log, newest first.
func (h *Handler) deliveries(r *http.Request, _ *session) (any, error) {
	ctx, q := r.Context(), r.URL.Query()
	pg, err := parsePaging(q, "page", defaultPerPage, false)
	if err != nil {
		return nil, err
	}
	v := &deliveriesView{State: q.Get("state"), States: deliveryStates}
	if v.State != "" && !slices.Contains(deliveryStates, v.State) {
		return nil, rapport.Errorf(rapport.EINVALID, "state: must be pending, delivered or failed")
	}
	if v.Hook, err = h.findWebhook(ctx, r.PathValue("id")); err != nil {
		return nil, err
	}
	ds, err := h.cfg.Store.FindDeliveries(ctx, rapport.DeliveryFilter{WebhookID: v.Hook.ID, State: v.State,
		Offset: pg.offset(), Limit: pg.Limit + 1})
	if err != nil {
		return nil, fmt.Errorf("find deliveries of %s: %w", v.Hook.ID, err)
	}
	more := len(ds) > pg.Limit
	v.Deliveries = ds[:min(len(ds), pg.Limit)]
	v.Pager = newPager(r.URL.Path, q, "page", pg, len(v.Deliveries), -1, more)
	return v, nil
}

// findWebhook returns the webhook, or ENOTFOUND.
func (h *Handler) findWebhook(ctx context.Context, id string) (*rapport.Webhook, error) {
	hooks, err := h.cfg.Store.FindWebhooks(ctx)
	if err != nil {
		return nil, fmt.Errorf("find webhooks: %w", err)
	}
	for _, hk := range hooks {
		if hk.ID == id {
			return hk, nil
		}
	}
	return nil, rapport.Errorf(rapport.ENOTFOUND, "There is no webhook %s.", id)
}
