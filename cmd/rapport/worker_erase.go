package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/nats"
	"github.com/rapportdev/rapport/postgres"
)

// eraseKind is the kind of the control message that asks a partition to
// erase a profile.
const eraseKind = "erase"

// Defaults of partitionedEraser.
const (
	// eraseWait is how long DELETE /api/v1/profiles/{id} waits for the
	// owning partition to erase the profile.
	eraseWait = 30 * time.Second
	// erasePoll is how often the waiting process reads the request.
	erasePoll = 50 * time.Millisecond
)

// eraseControl is the body of an erasure's control message: the request
// and where it stands (Hop). The profile id is there for the worker's
// offer service; the request row in PostgreSQL is the truth.
type eraseControl struct {
	Request   string `json:"request"`
	ProfileID string `json:"profileId"`
	Hop       int    `json:"hop"`
}

// eraseMsgID is the JetStream message id of a request's control message at
// a hop: publishing it again within the duplicate window is a no-op.
func eraseMsgID(request string, hop int) string { return fmt.Sprintf("erase-%s-%d", request, hop) }

// partitionedEraser erases a person in the partitioned deployment, from
// any worker or ingest process (docs/scaling.md, "Erasure"): it records
// the request, publishes it on the partition owning the profile, after the
// events acknowledged before it, and waits until that partition's lease
// holder has carried it out.
type partitionedEraser struct {
	pg  *postgres.Store
	log *nats.Log
	// forget, when set, writes the offer decisions this process queued and
	// forgets what it holds of the person, before and after the erasure.
	forget func(ctx context.Context, profileID string) error
	wait   time.Duration
	poll   time.Duration
}

// newPartitionedEraser returns the eraser of a partitioned backend, or
// false when the backend is not partitioned.
func newPartitionedEraser(b *backend, forget func(context.Context, string) error) (*partitionedEraser, bool) {
	pg, ok := b.Store.(*postgres.Store)
	if !ok {
		return nil, false
	}
	log, ok := b.Log.(*nats.Log)
	if !ok || log.Partitions() == 0 {
		return nil, false
	}
	return &partitionedEraser{pg: pg, log: log, forget: forget, wait: eraseWait, poll: erasePoll}, true
}

// Applied reports nothing applied: partitions are applied by workers, each
// with its own checkpoint.
func (e *partitionedEraser) Applied() int64 { return 0 }

// Erase implements http.Processor: the same receipt as the embedded
// deployment's, ENOTFOUND when there is no such profile (or it was merged
// away before its partition got to the request), EOVERLOADED when the
// partition did not get there within the wait; the request stays queued
// then, and a second DELETE waits for the same one (or gets its receipt).
func (e *partitionedEraser) Erase(ctx context.Context, profileID string) (*rapport.Erasure, error) {
	if e.forget != nil {
		if err := e.forget(ctx, profileID); err != nil {
			return nil, err
		}
	}
	n := e.log.Partitions()
	req, err := e.pg.RequestErasure(ctx, profileID, rapport.PartitionOf("p:"+profileID, n))
	if err != nil {
		return nil, err
	}
	wctx, cancel := context.WithTimeout(ctx, e.wait)
	defer cancel()
	published := map[[2]int]bool{}
	tick := time.NewTicker(e.poll)
	defer tick.Stop()
	for {
		switch req.State {
		case postgres.ErasureErased, postgres.ErasureMissing:
			return e.decided(ctx, req)
		}
		// Published by whoever moved it too; once more here covers a
		// process that stopped between recording a hop and publishing it
		// (within JetStream's duplicate window it is dropped, after it the
		// worker finds the request no longer pending at that hop).
		if at := [2]int{req.Partition, req.Hop}; !published[at] {
			if err := publishErase(wctx, e.log, req); err != nil {
				return nil, err
			}
			published[at] = true
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-wctx.Done():
			return nil, rapport.Errorf(rapport.EOVERLOADED,
				"erasure of %s (request %s) not done within %s: partition %d has not reached it (no worker holds it, or it is behind); it stays queued and runs when the partition gets there; DELETE again to wait for it",
				profileID, req.ID, e.wait, req.Partition)
		case <-tick.C:
		}
		next, err := e.pg.FindErasure(wctx, req.ID)
		if rapport.ErrorCode(err) == rapport.ENOTFOUND {
			// Decided, and its receipt read by another request waiting
			// for it (a client's retry): the profile is gone.
			return nil, rapport.Errorf(rapport.ENOTFOUND, "profile %s not found", profileID)
		} else if err != nil && wctx.Err() == nil {
			return nil, err
		} else if err == nil {
			req = next
		}
	}
}

// decided returns a decided request's outcome and deletes the request,
// whose receipt names the erased identities.
func (e *partitionedEraser) decided(ctx context.Context, req postgres.ErasureRequest) (*rapport.Erasure, error) {
	if err := e.pg.ForgetErasure(ctx, req.ID); err != nil {
		return nil, err
	}
	if req.State == postgres.ErasureMissing || req.Receipt == nil {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "profile %s not found", req.ProfileID)
	}
	if e.forget != nil {
		if err := e.forget(ctx, req.ProfileID); err != nil {
			return req.Receipt, err
		}
	}
	return req.Receipt, nil
}

// publishErase publishes a request's control message at its partition and
// hop.
func publishErase(ctx context.Context, log *nats.Log, req postgres.ErasureRequest) error {
	body, err := json.Marshal(eraseControl{Request: req.ID, ProfileID: req.ProfileID, Hop: req.Hop})
	if err != nil {
		return fmt.Errorf("encode erasure request %s: %w", req.ID, err)
	}
	if _, err := log.PublishControl(ctx, req.Partition, eraseKind, eraseMsgID(req.ID, req.Hop), body); err != nil {
		return fmt.Errorf("erasure request %s: %w", req.ID, err)
	}
	return nil
}

// reachedControl is a partition's processor standing at a control
// message, with the events up to after applied.
type reachedControl struct {
	after int64
	c     nats.Control
}

// controls runs, for partition p under the lease of epoch, the control
// messages its reads reach, one at a time, until ctx is done. A failure
// (the lease lost, the store down) is logged and tried again when the
// reads next reach the message, after a growing pause.
func (w *partitionWorker) controls(ctx context.Context, p int, epoch int64, proc eraseRunner, reached <-chan reachedControl) {
	backoff := time.Duration(0)
	for {
		select {
		case <-ctx.Done():
			return
		case r := <-reached:
			if err := w.control(ctx, p, epoch, proc, r); err != nil {
				if ctx.Err() != nil {
					return
				}
				backoff = min(max(2*backoff, 100*time.Millisecond), 5*time.Second)
				w.logger.Error("partition control message", "partition", p, "seq", r.c.Seq, "err", err, "retry_in", backoff)
				select {
				case <-ctx.Done():
					return
				case <-time.After(backoff):
				}
				continue
			}
			backoff = 0
		}
	}
}

// eraseRunner is what controls needs of a partition's processor.
type eraseRunner interface {
	EraseAt(ctx context.Context, after, seq int64, erase func(ctx context.Context) error) (bool, error)
	Notify()
}

// control acts on one control message: an erasure is carried out between
// two batches, in a transaction fenced by the lease that moves the
// checkpoint past the message. A message it cannot read is passed over
// the same way, doing nothing else (logged), since the partition cannot
// move past it otherwise.
func (w *partitionWorker) control(ctx context.Context, p int, epoch int64, proc eraseRunner, r reachedControl) error {
	var msg eraseControl
	if r.c.Kind != eraseKind || json.Unmarshal(r.c.Body, &msg) != nil || msg.Request == "" {
		w.logger.Warn("partition: passing over a control message this worker cannot read", "partition", p, "seq", r.c.Seq, "kind", r.c.Kind)
		msg = eraseControl{}
	}
	if msg.ProfileID != "" && w.forget != nil {
		if err := w.forget(ctx, msg.ProfileID); err != nil {
			return err
		}
	}
	var res postgres.ErasureRequest
	var acted bool
	ran, err := proc.EraseAt(ctx, r.after, r.c.Seq, func(ctx context.Context) error {
		var err error
		res, acted, err = w.pg.ErasePartitioned(ctx, postgres.PartitionErasure{Request: msg.Request, Hop: msg.Hop,
			Partition: p, Owner: w.id, Epoch: epoch, Base: r.after, Checkpoint: r.c.Seq})
		return err
	})
	if errors.Is(err, postgres.ErrLeaseLost) {
		return fmt.Errorf("partition %d lease lost: %w", p, err)
	} else if err != nil || !ran {
		return err
	}
	defer proc.Notify()
	switch {
	case !acted:
		w.logger.Info("partition: stale erasure request passed over", "partition", p, "request", msg.Request, "state", res.State)
	case res.State == postgres.ErasurePending:
		// The profile moved to another partition: the request follows it.
		w.logger.Info("partition: erasure request follows the profile", "partition", p, "request", res.ID, "to", res.Partition, "hop", res.Hop)
		if err := publishErase(ctx, w.log, res); err != nil {
			// The waiting process publishes it too when it sees the hop.
			w.logger.Error("partition: forward erasure request", "request", res.ID, "err", err)
		}
	case res.State == postgres.ErasureMissing:
		w.logger.Info("partition: erasure request found no profile", "partition", p, "request", res.ID, "profile", res.ProfileID)
	default:
		w.logger.Info("partition: profile erased", "partition", p, "request", res.ID, "profile", res.ProfileID)
		if w.forget != nil {
			if err := w.forget(ctx, res.ProfileID); err != nil {
				w.logger.Error("partition: forget erased person", "profile", res.ProfileID, "err", err)
			}
		}
		w.trimApplied(ctx)
	}
	return nil
}

// trimApplied purges from the stream what every partition has applied, as
// the embedded deployment trims its log after an erasure: the person's
// events leave the stream, on whichever partition they were first
// published (the store keeps the events applied).
func (w *partitionWorker) trimApplied(ctx context.Context) {
	for q := range w.log.Partitions() {
		cp, err := w.pg.PartitionCheckpoint(ctx, q)
		if err == nil {
			err = w.log.TrimPartition(ctx, q, cp)
		}
		if err != nil {
			w.logger.Warn("partition: trim after erasure", "partition", q, "err", err)
		}
	}
}
