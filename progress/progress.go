// Package progress draws a one-line progress bar for long CLI jobs such as
// CSV imports. On a terminal it redraws the line in place at most ten times
// a second; on anything else (a pipe, a log file, CI) it stays silent until
// Finish writes one summary line, so logs are not flooded with redraws.
package progress

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"
)

// redrawEvery throttles terminal redraws: faster than the eye gains nothing
// and slows the job being measured.
const redrawEvery = 100 * time.Millisecond

// Bar is a progress line for a job of a known (or unknown, 0) size in bytes.
// Its methods are safe for concurrent use.
type Bar struct {
	mu       sync.Mutex
	w        io.Writer
	total    int64
	label    string
	tty      bool
	width    int
	now      func() time.Time
	start    time.Time
	lastDraw time.Time
	done     int64
	finished bool
	// format writes an amount: bytes, or a count of things (NewCount).
	format func(int64) string
}

// New returns a bar that writes to w. total is the job's size in bytes, or
// 0 when unknown (then the bar shows bytes done and the rate only). It draws
// only when w is a terminal.
func New(w io.Writer, total int64, label string) *Bar {
	tty, width := terminal(w)
	return newBar(w, total, label, tty, width, time.Now)
}

func newBar(w io.Writer, total int64, label string, tty bool, width int, now func() time.Time) *Bar {
	return &Bar{w: w, total: total, label: label, tty: tty, width: width, now: now, start: now(), format: formatBytes}
}

// NewCount returns a bar for a job counted in things rather than bytes
// ("250,000 profiles"); noun names them.
func NewCount(w io.Writer, total int64, label, noun string) *Bar {
	b := New(w, total, label)
	b.format = func(n int64) string { return formatCount(n) + " " + noun }
	return b
}

// formatCount writes n with thousands separators.
func formatCount(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// terminal reports whether w is a terminal and, if so, its width.
func terminal(w io.Writer) (bool, int) {
	f, ok := w.(interface{ Fd() uintptr })
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return false, 0
	}
	width, _, err := term.GetSize(int(f.Fd()))
	if err != nil || width <= 0 {
		width = 80
	}
	return true, width
}

// Set records that n bytes of the job are done, and redraws when due.
func (b *Bar) Set(n int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.done = n
	if !b.tty || b.finished {
		return
	}
	if t := b.now(); t.Sub(b.lastDraw) >= redrawEvery {
		b.lastDraw = t
		fmt.Fprint(b.w, "\r"+b.line(t))
	}
}

// Add records n more bytes done.
func (b *Bar) Add(n int64) {
	b.mu.Lock()
	done := b.done + n
	b.mu.Unlock()
	b.Set(done)
}

// Finish ends the bar: on a terminal it draws the final state and moves to
// a new line; elsewhere it writes one summary line. summary, when not
// empty, is appended to it (e.g. "541909 rows, 25900 events"). Calls after
// the first do nothing.
func (b *Bar) Finish(summary string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.finished {
		return
	}
	b.finished = true
	elapsed := b.now().Sub(b.start)
	line := fmt.Sprintf("%s: %s in %s (%s/s)", b.label, b.format(b.done),
		elapsed.Round(time.Millisecond), b.format(rate(b.done, elapsed)))
	if summary != "" {
		line += ", " + summary
	}
	if b.tty {
		fmt.Fprint(b.w, "\r\x1b[K")
	}
	fmt.Fprintln(b.w, line)
}

// line renders the bar for a terminal, fitted to its width.
func (b *Bar) line(t time.Time) string {
	elapsed := t.Sub(b.start)
	stats := fmt.Sprintf(" %s %s/s", b.format(b.done), b.format(rate(b.done, elapsed)))
	if b.total <= 0 {
		return fit(b.label+":"+stats, b.width)
	}
	frac := min(max(float64(b.done)/float64(b.total), 0), 1)
	stats = fmt.Sprintf(" %3.0f%%%s of %s", frac*100, stats, b.format(b.total))
	barWidth := b.width - len(b.label) - len(stats) - 4
	if barWidth < 5 {
		return fit(b.label+":"+stats, b.width)
	}
	filled := int(frac * float64(barWidth))
	return b.label + " [" + strings.Repeat("=", filled) + strings.Repeat(" ", barWidth-filled) + "]" + stats
}

// fit cuts s to width-1 columns so the cursor never wraps to a new line.
func fit(s string, width int) string {
	if width > 1 && len(s) >= width {
		return s[:width-1]
	}
	return s
}

// rate returns n per second over d, 0 for a zero duration.
func rate(n int64, d time.Duration) int64 {
	if d <= 0 {
		return 0
	}
	return int64(float64(n) / d.Seconds())
}

// formatBytes writes n in binary units: 512 B, 1.5 KiB, 48.0 MiB.
func formatBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit && exp < 4; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTP"[exp])
}
