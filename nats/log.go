package nats

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	natsgo "github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/storecodec"
)

// Options name and shape the stream.
type Options struct {
	// Stream is the stream's name; default RAPPORT_EVENTS.
	Stream string
	// Subject is the subject events are published on; default
	// rapport.events.
	Subject string
	// Replicas is the stream's replica count on a cluster; default 1.
	Replicas int
}

func (o *Options) defaults() {
	if o.Stream == "" {
		o.Stream = "RAPPORT_EVENTS"
	}
	if o.Subject == "" {
		o.Subject = "rapport.events"
	}
	if o.Replicas <= 0 {
		o.Replicas = 1
	}
}

// Log is a rapport.EventLog in a JetStream stream.
type Log struct {
	nc     *natsgo.Conn
	js     jetstream.JetStream
	stream jetstream.Stream
	opts   Options

	// mu guards the reader: one pull consumer that follows the reads,
	// recreated when a read does not continue where the last one ended.
	mu       sync.Mutex
	consumer jetstream.Consumer
	next     uint64
}

var _ rapport.EventLog = (*Log)(nil)

// OpenLog connects to the NATS server at url and creates the stream when
// it does not exist (file storage, nothing discarded, purges allowed).
func OpenLog(ctx context.Context, url string, opts Options) (*Log, error) {
	opts.defaults()
	nc, err := natsgo.Connect(url, natsgo.Name("rapport"), natsgo.MaxReconnects(-1))
	if err != nil {
		return nil, fmt.Errorf("connect to nats %s: %w", url, err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("jetstream: %w", err)
	}
	stream, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:      opts.Stream,
		Subjects:  []string{opts.Subject},
		Storage:   jetstream.FileStorage,
		Retention: jetstream.LimitsPolicy,
		Discard:   jetstream.DiscardNew,
		Replicas:  opts.Replicas,
		// Each event is at most Segment's 32 KB; a bad client should not
		// be able to store megabytes.
		MaxMsgSize: 1 << 20,
	})
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("create stream %s: %w", opts.Stream, err)
	}
	return &Log{nc: nc, js: js, stream: stream, opts: opts}, nil
}

// Append publishes the events in order and returns once JetStream has
// acknowledged every one, setting each event's Seq to its stream
// sequence.
func (l *Log) Append(ctx context.Context, events []rapport.Event) error {
	if len(events) == 0 {
		return nil
	}
	bodies, err := storecodec.EncodeEvents(events, storecodec.Parallel)
	if err != nil {
		return fmt.Errorf("append to nats: %w", err)
	}
	acks := make([]jetstream.PubAckFuture, len(bodies))
	for i, b := range bodies {
		if acks[i], err = l.js.PublishAsync(l.opts.Subject, b, jetstream.WithExpectStream(l.opts.Stream)); err != nil {
			return fmt.Errorf("append to nats: publish event %q: %w", events[i].MessageID, err)
		}
	}
	for i, f := range acks {
		select {
		case ack := <-f.Ok():
			events[i].Seq = int64(ack.Sequence)
		case err := <-f.Err():
			return fmt.Errorf("append to nats: event %q not stored: %w", events[i].MessageID, err)
		case <-ctx.Done():
			return fmt.Errorf("append to nats: %w", ctx.Err())
		}
	}
	return nil
}

// Read returns up to limit events after a sequence, in order. A limit of
// 0 or less reads up to 1000, as the other logs do.
func (l *Log) Read(ctx context.Context, after int64, limit int) ([]rapport.Event, error) {
	if limit <= 0 {
		limit = 1000
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	start := uint64(max(after, 0)) + 1
	if l.consumer == nil || l.next != start {
		c, err := l.stream.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{
			DeliverPolicy: jetstream.DeliverByStartSequencePolicy, OptStartSeq: start,
			InactiveThreshold: 5 * time.Minute,
		})
		if err != nil {
			return nil, fmt.Errorf("read nats after %d: %w", after, err)
		}
		l.consumer, l.next = c, start
	}
	batch, err := l.consumer.Fetch(limit, jetstream.FetchMaxWait(readWait(ctx)))
	if err != nil {
		l.consumer = nil
		return nil, fmt.Errorf("read nats after %d: %w", after, err)
	}
	out := make([]rapport.Event, 0, limit)
	for msg := range batch.Messages() {
		meta, err := msg.Metadata()
		if err != nil {
			l.consumer = nil
			return nil, fmt.Errorf("read nats after %d: %w", after, err)
		}
		ev, err := storecodec.DecodeEvent(int64(meta.Sequence.Stream), msg.Data())
		if err != nil {
			l.consumer = nil
			return nil, fmt.Errorf("read nats: %w", err)
		}
		out = append(out, ev)
		l.next = meta.Sequence.Stream + 1
	}
	if err := batch.Error(); err != nil && !errors.Is(err, natsgo.ErrTimeout) && !errors.Is(err, context.DeadlineExceeded) {
		l.consumer = nil
		return nil, fmt.Errorf("read nats after %d: %w", after, err)
	}
	return out, nil
}

// readWait is how long a read waits for events that are not there yet:
// briefly, since the processor polls and is woken by appends.
func readWait(ctx context.Context) time.Duration {
	const wait = 50 * time.Millisecond
	if d, ok := ctx.Deadline(); ok && time.Until(d) < wait {
		return max(time.Until(d), time.Millisecond)
	}
	return wait
}

// Trim purges the events up to and including upTo.
func (l *Log) Trim(ctx context.Context, upTo int64) error {
	if upTo <= 0 {
		return nil
	}
	if err := l.stream.Purge(ctx, jetstream.WithPurgeSequence(uint64(upTo)+1)); err != nil {
		return fmt.Errorf("trim nats up to %d: %w", upTo, err)
	}
	return nil
}

// Close closes the connection.
func (l *Log) Close() error {
	l.nc.Close()
	return nil
}
