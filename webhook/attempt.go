package webhook

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/rapportdev/rapport"
)

// attempt POSTs one delivery and records the outcome. An attempt cut short
// because ctx ended (shutdown) is not recorded: the delivery stays due and
// is sent again after the restart.
func (d *Dispatcher) attempt(ctx context.Context, del *rapport.Delivery, w *rapport.Webhook) {
	if ok, err := d.consent(ctx, del, w); err != nil {
		if ctx.Err() == nil {
			d.Logger.Error("webhook: consent check", "delivery", del.ID, "webhook", del.WebhookID, "err", err)
		}
		return // stays due: checked again at the next poll
	} else if !ok {
		d.save(ctx, del)
		return
	}
	status, err := d.post(ctx, del, w)
	if ctx.Err() != nil && status == 0 {
		return
	}
	d.record(del, status, err)
	// Record even when shutting down: the receiver has answered.
	d.save(ctx, del)
}

// save writes the delivery's new state.
func (d *Dispatcher) save(ctx context.Context, del *rapport.Delivery) {
	if err := d.Store.UpdateDelivery(context.WithoutCancel(ctx), del); err != nil {
		if rapport.ErrorCode(err) == rapport.ENOTFOUND {
			return // the webhook was deleted meanwhile, with its deliveries
		}
		d.Logger.Error("webhook: record attempt", "delivery", del.ID, "webhook", del.WebhookID, "err", err)
	}
}

// consent checks, for a webhook that requires consent for a contact
// channel, that the person the delivery is about has granted it, right
// before sending (so a withdrawal after the event still stops it). It
// reports false, with the delivery marked suppressed and refused, when
// they have not. The outcome is recorded on the delivery.
func (d *Dispatcher) consent(ctx context.Context, del *rapport.Delivery, w *rapport.Webhook) (bool, error) {
	if w == nil || w.RequiresConsent == "" || d.Profiles == nil {
		return true, nil
	}
	granted := false
	if id := del.Notification.ProfileID; id != "" {
		p, err := d.person(ctx, id)
		if err != nil {
			return false, err
		}
		granted = p != nil && p.ConsentTo(w.RequiresConsent)
	}
	if granted {
		del.Consent = rapport.ConsentGranted
		return true, nil
	}
	del.Consent, del.State = rapport.ConsentRefused, rapport.DeliverySuppressed
	del.LastError = "no " + w.RequiresConsent + " consent from the person: not sent"
	return false, nil
}

// person returns the profile a notification is about: the one with its
// id, else the one it was merged into (the notification may predate the
// merge), nil when the person was erased.
func (d *Dispatcher) person(ctx context.Context, id string) (*rapport.Profile, error) {
	p, err := d.Profiles.FindProfileByID(ctx, id)
	if rapport.ErrorCode(err) != rapport.ENOTFOUND {
		return p, err
	}
	into, err := rapport.FindSurvivor(ctx, d.Profiles, id)
	if err != nil || into == "" {
		return nil, err
	}
	return d.Profiles.FindProfileByID(ctx, into)
}

// post sends the delivery and returns the receiver's status, 0 when there
// was no answer.
func (d *Dispatcher) post(ctx context.Context, del *rapport.Delivery, w *rapport.Webhook) (int, error) {
	switch {
	case w == nil:
		return 0, fmt.Errorf("webhook %s not found", del.WebhookID)
	case !w.Active:
		return 0, fmt.Errorf("webhook %s is not active", del.WebhookID)
	}
	body, err := encodeBody(del)
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("build request: %w", err)
	}
	ts := d.Clock.Now().Unix()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Rapport-Webhook/1")
	req.Header.Set(HeaderWebhookID, w.ID)
	req.Header.Set(HeaderDeliveryID, strconv.FormatInt(del.ID, 10))
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
	req.Header.Set(HeaderSignature, Sign(w.Secret, ts, body))
	resp, err := d.Client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // lets the connection be reused
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Errorf("receiver answered %d", resp.StatusCode)
	}
	return resp.StatusCode, nil
}

// record sets the delivery's state after an attempt that ended with the
// given status and error.
func (d *Dispatcher) record(del *rapport.Delivery, status int, err error) {
	now := d.Clock.Now()
	del.Attempts++
	del.LastStatus = status
	if err == nil {
		del.State, del.DeliveredAt, del.LastError = rapport.DeliveryDelivered, now, ""
		return
	}
	del.LastError = err.Error()
	if len(del.LastError) > maxErrorLen {
		del.LastError = strings.ToValidUTF8(del.LastError[:maxErrorLen], "")
	}
	if del.Attempts >= d.MaxAttempts {
		del.State = rapport.DeliveryFailed
		d.Logger.Warn("webhook: delivery failed", "delivery", del.ID, "webhook", del.WebhookID,
			"attempts", del.Attempts, "err", err)
		return
	}
	del.NextAttemptAt = now.Add(d.Backoff(del.Attempts))
}
