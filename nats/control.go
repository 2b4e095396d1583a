package nats

import (
	"context"
	"fmt"

	natsgo "github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/rapportdev/rapport"
)

// controlHeader marks a message of a partition's subject that is not an
// event; its value is the control message's kind.
const controlHeader = "Rapport-Control"

// Control is a message on a partition's subject that is not an event but
// a request to the partition's processor, ordered with the events: an
// erasure (docs/scaling.md) is published after the events acknowledged
// before it, so the processor reaches it after applying them. A
// partition's reads never pass a control message: they return the events
// before it, then nothing, until a read starts after its Seq, which the
// partition's reader does once it has acted on it (moved its checkpoint
// to Seq).
type Control struct {
	// Seq is the message's stream sequence.
	Seq int64
	// Kind says what is asked ("erase").
	Kind string
	// Body is the request, in the kind's own encoding.
	Body []byte
}

// PartitionControlled returns partition p's log, as Partition does, and
// calls onControl when the reads reach a control message: every event of
// the partition before it has been read, and the reads with after =
// after, the seq of the last of them (or the read's start), return
// nothing until a read starts after the control message. onControl is
// called from inside Read, on each read that stops there: it must not
// block, nor read the partition.
func (l *Log) PartitionControlled(p int, onControl func(after int64, c Control)) rapport.EventLog {
	subject := l.partitionSubject(p)
	return &partitionLog{l: l, subject: subject, reader: reader{stream: l.stream, filter: subject, onControl: onControl}}
}

// PublishControl publishes a control message of kind on partition p's
// subject and returns its stream sequence once JetStream stored it. The
// message id makes a second publish of the same request within the
// stream's duplicate window a no-op; the partition's reader must still
// expect to see a request again later (a retry past the window).
func (l *Log) PublishControl(ctx context.Context, p int, kind, msgID string, body []byte) (int64, error) {
	if l.opts.Partitions <= 0 {
		return 0, rapport.Errorf(rapport.EINVALID, "control messages need a partitioned log")
	}
	if p < 0 || p >= l.opts.Partitions {
		return 0, rapport.Errorf(rapport.EINVALID, "partition %d: the log has %d", p, l.opts.Partitions)
	}
	msg := natsgo.NewMsg(l.partitionSubject(p))
	msg.Header.Set(controlHeader, kind)
	msg.Data = body
	ack, err := l.js.PublishMsg(ctx, msg, jetstream.WithExpectStream(l.opts.Stream), jetstream.WithMsgID(msgID))
	if err != nil {
		return 0, fmt.Errorf("publish %s control message on partition %d: %w", kind, p, err)
	}
	return int64(ack.Sequence), nil
}

// TrimPartition purges partition p's messages up to and including upTo:
// what its processor has applied (events and control messages).
func (l *Log) TrimPartition(ctx context.Context, p int, upTo int64) error {
	if upTo <= 0 {
		return nil
	}
	subject := l.partitionSubject(p)
	if err := l.stream.Purge(ctx, jetstream.WithPurgeSubject(subject), jetstream.WithPurgeSequence(uint64(upTo)+1)); err != nil {
		return fmt.Errorf("trim %s up to %d: %w", subject, upTo, err)
	}
	return nil
}

// Partitions returns the number of partitions the log was opened with (0:
// not partitioned).
func (l *Log) Partitions() int { return max(l.opts.Partitions, 0) }
