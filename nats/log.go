package nats

import (
	"context"
	"errors"
	"fmt"
	"slices"
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
	// Partitions, when above zero, partitions the log: event i is
	// published on Subject.<partition>, the partition Route gives it, and
	// Partition(p) reads one partition. Zero keeps one subject.
	Partitions int
	// Route returns each event's partition; nil routes by
	// rapport.RoutingKey. Ingest passes a Route that looks up where the
	// events' profiles are owned.
	Route func(ctx context.Context, events []rapport.Event) ([]int, error)
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

	reader reader
}

// reader reads one subject (or the whole stream) in order: one ordered
// consumer that follows the reads, restarted when a read does not continue
// where the last one ended.
type reader struct {
	stream jetstream.Stream
	// filter is the subject read; "" reads every subject.
	filter string

	// onControl, when set, is told of a control message the reads have
	// reached (see Control).
	onControl func(after int64, c Control)

	mu   sync.Mutex
	iter jetstream.MessagesContext
	next uint64
	// held is the control message the reads stopped at, if any: no read
	// passes it until a read starts after it, which the reader of the
	// partition does once it has acted on it.
	held *Control
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
	subjects := []string{opts.Subject}
	if opts.Partitions > 0 {
		subjects = []string{opts.Subject + ".*"}
	}
	stream, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:      opts.Stream,
		Subjects:  subjects,
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
	return &Log{nc: nc, js: js, stream: stream, opts: opts, reader: reader{stream: stream}}, nil
}

// subjects returns the subject each event is published on.
func (l *Log) subjects(ctx context.Context, events []rapport.Event) ([]string, error) {
	out := make([]string, len(events))
	if l.opts.Partitions <= 0 {
		for i := range out {
			out[i] = l.opts.Subject
		}
		return out, nil
	}
	var parts []int
	if l.opts.Route != nil {
		var err error
		if parts, err = l.opts.Route(ctx, events); err != nil {
			return nil, fmt.Errorf("route events: %w", err)
		}
	} else {
		parts = make([]int, len(events))
		for i := range events {
			parts[i] = rapport.PartitionOf(rapport.RoutingKey(&events[i]), l.opts.Partitions)
		}
	}
	for i, p := range parts {
		out[i] = l.partitionSubject(p)
	}
	return out, nil
}

func (l *Log) partitionSubject(p int) string { return fmt.Sprintf("%s.%d", l.opts.Subject, p) }

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
	subjects, err := l.subjects(ctx, events)
	if err != nil {
		return fmt.Errorf("append to nats: %w", err)
	}
	acks := make([]jetstream.PubAckFuture, len(bodies))
	for i, b := range bodies {
		if acks[i], err = l.js.PublishAsync(subjects[i], b, jetstream.WithExpectStream(l.opts.Stream)); err != nil {
			return fmt.Errorf("append to nats: publish event %q: %w", events[i].MessageID, err)
		}
	}
	return waitAcks(ctx, events, acks)
}

// waitAcks waits for JetStream to acknowledge each publish and sets each
// event's Seq to its stream sequence.
func waitAcks(ctx context.Context, events []rapport.Event, acks []jetstream.PubAckFuture) error {
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
	return l.reader.read(ctx, after, limit)
}

func (l *reader) read(ctx context.Context, after int64, limit int) ([]rapport.Event, error) {
	if limit <= 0 {
		limit = 1000
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	start := uint64(max(after, 0)) + 1
	if c := l.held; c != nil && l.iter != nil {
		switch {
		case start == l.next && int64(start) <= c.Seq:
			// Everything before the control message was read: it is next.
			l.reached(after, *c)
			return nil, nil
		case int64(start) == c.Seq+1:
			// The reader acted on it and moved past it.
			l.held, l.next = nil, start
		}
	}
	if l.iter == nil || l.next != start {
		if err := l.follow(ctx, start); err != nil {
			return nil, fmt.Errorf("read nats after %d: %w", after, err)
		}
	}
	out := make([]rapport.Event, 0, min(limit, readBuffer))
	first := readWait(ctx)
	wait := first
	for len(out) < limit {
		msg, err := l.iter.Next(jetstream.NextMaxWait(wait))
		if errors.Is(err, natsgo.ErrTimeout) {
			break
		}
		if err != nil {
			l.stop()
			return nil, fmt.Errorf("read nats after %d: %w", after, err)
		}
		meta, err := msg.Metadata()
		if err != nil {
			l.stop()
			return nil, fmt.Errorf("read nats after %d: %w", after, err)
		}
		if kind := msg.Headers().Get(controlHeader); kind != "" {
			// Reads stop here: what comes after is applied after the
			// reader has acted on the control message.
			l.held = &Control{Seq: int64(meta.Sequence.Stream), Kind: kind, Body: slices.Clone(msg.Data())}
			if len(out) == 0 {
				l.reached(after, *l.held)
			}
			return out, nil
		}
		ev, err := storecodec.DecodeEvent(int64(meta.Sequence.Stream), msg.Data())
		if err != nil {
			l.stop()
			return nil, fmt.Errorf("read nats: %w", err)
		}
		out = append(out, ev)
		l.next = meta.Sequence.Stream + 1
		// Messages the server still holds for the consumer are waited
		// for as the first was; at the head of the log, a read takes what
		// the iterator holds and returns.
		wait = first
		if meta.NumPending == 0 {
			wait = time.Millisecond
		}
	}
	return out, nil
}

// readBuffer is how many messages the iterator pulls ahead of the reads.
const readBuffer = 1000

// follow starts an ordered consumer at seq start and an iterator that
// keeps up to readBuffer messages pulled ahead: a read takes what is
// buffered instead of waiting for a pull request's round trip, which a
// filtered consumer on a busy stream makes slow.
func (l *reader) follow(ctx context.Context, start uint64) error {
	l.stop()
	cfg := jetstream.OrderedConsumerConfig{
		DeliverPolicy: jetstream.DeliverByStartSequencePolicy, OptStartSeq: start,
		InactiveThreshold: 5 * time.Minute,
	}
	if l.filter != "" {
		cfg.FilterSubjects = []string{l.filter}
	}
	c, err := l.stream.OrderedConsumer(ctx, cfg)
	if err != nil {
		return err
	}
	it, err := c.Messages(jetstream.PullMaxMessages(readBuffer))
	if err != nil {
		return err
	}
	l.iter, l.next = it, start
	return nil
}

// stop ends the iterator, if any: the next read starts a new one, and
// finds a control message it held again.
func (l *reader) stop() {
	if l.iter != nil {
		l.iter.Stop()
		l.iter = nil
	}
	l.held = nil
}

// reached tells the reader's owner that the reads are at a control
// message, every event before it having been read.
func (l *reader) reached(after int64, c Control) {
	if l.onControl != nil {
		l.onControl(after, c)
	}
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

// Partition returns the log of one partition: Read returns its events
// (their Seqs are stream sequences, so they grow but skip the other
// partitions'), Trim purges its subject. Append is refused: ingest appends
// through the Log, which routes.
//
// Its reads stop at a control message (see PartitionControlled), which
// nobody is told of here: use PartitionControlled to act on them.
func (l *Log) Partition(p int) rapport.EventLog {
	return l.PartitionControlled(p, nil)
}

// Forward publishes events a partition passes to others, each on its
// target's subject with a message id derived from where it was forwarded
// from, so that publishing it again after a crash is dropped by
// JetStream's duplicate window (and any later copy by the processor, which
// applies a messageId once).
func (l *Log) Forward(ctx context.Context, from int, fwds []rapport.Forward) error {
	if len(fwds) == 0 {
		return nil
	}
	events := make([]rapport.Event, len(fwds))
	for i := range fwds {
		events[i] = fwds[i].Event
	}
	bodies, err := storecodec.EncodeEvents(events, storecodec.Serial)
	if err != nil {
		return fmt.Errorf("forward: %w", err)
	}
	acks := make([]jetstream.PubAckFuture, len(bodies))
	for i, b := range bodies {
		id := fmt.Sprintf("fwd-%d-%d", from, fwds[i].Seq)
		if acks[i], err = l.js.PublishAsync(l.partitionSubject(fwds[i].To), b,
			jetstream.WithExpectStream(l.opts.Stream), jetstream.WithMsgID(id)); err != nil {
			return fmt.Errorf("forward event %q: %w", events[i].MessageID, err)
		}
	}
	if err := waitAcks(ctx, events, acks); err != nil {
		return fmt.Errorf("forward: %w", err)
	}
	return nil
}

// partitionLog is one partition of a partitioned Log.
type partitionLog struct {
	l       *Log
	subject string
	reader  reader
}

// Append refuses: events are appended through the Log, which routes them.
func (p *partitionLog) Append(context.Context, []rapport.Event) error {
	return rapport.Errorf(rapport.EINVALID, "append to the log, not to partition %s", p.subject)
}

// Read returns up to limit events of the partition after a sequence.
func (p *partitionLog) Read(ctx context.Context, after int64, limit int) ([]rapport.Event, error) {
	return p.reader.read(ctx, after, limit)
}

// Trim purges the partition's events up to and including upTo.
func (p *partitionLog) Trim(ctx context.Context, upTo int64) error {
	if upTo <= 0 {
		return nil
	}
	if err := p.l.stream.Purge(ctx, jetstream.WithPurgeSubject(p.subject), jetstream.WithPurgeSequence(uint64(upTo)+1)); err != nil {
		return fmt.Errorf("trim %s up to %d: %w", p.subject, upTo, err)
	}
	return nil
}

// Close stops the partition's reader; the Log owns the connection.
func (p *partitionLog) Close() error {
	p.reader.mu.Lock()
	defer p.reader.mu.Unlock()
	p.reader.stop()
	return nil
}
