package csvimport

import "github.com/rapportdev/rapport"

// batcher hands events to emit in batches of a fixed size.
type batcher struct {
	size int
	buf  []rapport.Event
	emit func([]rapport.Event) error
	rep  *Report
}

func newBatcher(size int, emit func([]rapport.Event) error, rep *Report) *batcher {
	return &batcher{size: size, emit: emit, rep: rep, buf: make([]rapport.Event, 0, size)}
}

// add queues e, emitting the batch when it is full.
func (b *batcher) add(e rapport.Event) error {
	b.buf = append(b.buf, e)
	if len(b.buf) >= b.size {
		return b.flush()
	}
	return nil
}

// flush emits the queued events. Each batch is a fresh slice, so emit may
// keep it.
func (b *batcher) flush() error {
	if len(b.buf) == 0 {
		return nil
	}
	if err := b.emit(b.buf); err != nil {
		return err
	}
	b.rep.Events += len(b.buf)
	b.buf = make([]rapport.Event, 0, b.size)
	return nil
}
