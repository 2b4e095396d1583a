package progress

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// fakeClock returns a clock that advances by step on every call.
func fakeClock(step time.Duration) func() time.Time {
	t := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	return func() time.Time {
		t = t.Add(step)
		return t
	}
}

func TestNotTerminalIsSilentUntilFinish(t *testing.T) {
	var buf bytes.Buffer
	b := New(&buf, 1000, "import")
	for i := int64(0); i <= 1000; i += 10 {
		b.Set(i)
	}
	if buf.Len() != 0 {
		t.Fatalf("wrote %q before Finish, want nothing", buf.String())
	}
	b.Finish("3 rows")
	b.Finish("again")
	got := buf.String()
	if strings.Count(got, "\n") != 1 || !strings.HasPrefix(got, "import: 1000 B in ") || !strings.HasSuffix(got, ", 3 rows\n") {
		t.Fatalf("summary = %q", got)
	}
}

func TestTerminalRedrawsAreThrottled(t *testing.T) {
	var buf bytes.Buffer
	// Each clock call advances 10ms, so only every tenth Set may redraw.
	b := newBar(&buf, 1000, "orders", true, 60, fakeClock(10*time.Millisecond))
	for i := int64(1); i <= 100; i++ {
		b.Set(i * 10)
	}
	draws := strings.Count(buf.String(), "\r")
	if draws < 5 || draws > 15 {
		t.Fatalf("redraws = %d for 1s of updates, want about 10", draws)
	}
	b.Finish("")
	last := buf.String()[strings.LastIndex(buf.String(), "\r"):]
	if !strings.Contains(last, "orders: 1000 B") || !strings.HasSuffix(last, "\n") {
		t.Fatalf("final line = %q", last)
	}
}

func TestLine(t *testing.T) {
	tests := []struct {
		name  string
		total int64
		done  int64
		width int
		want  string
	}{
		{"half", 2048, 1024, 60, "x [==========           ]  50% 1.0 KiB 1.0 KiB/s of 2.0 KiB"},
		{"unknown total", 0, 1024, 60, "x: 1.0 KiB"},
		{"narrow", 2048, 1024, 20, "x:  50% 1.0 KiB 1.0"},
		{"overrun", 100, 200, 60, "100%"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBar(&bytes.Buffer{}, tt.total, "x", true, tt.width, fakeClock(time.Second))
			b.done = tt.done
			got := b.line(b.start.Add(time.Second))
			if !strings.Contains(got, tt.want) || len(got) >= tt.width {
				t.Fatalf("line = %q (len %d), want it to contain %q and fit %d", got, len(got), tt.want, tt.width)
			}
		})
	}
}

func TestFormatBytes(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{
		{0, "0 B"}, {1023, "1023 B"}, {1024, "1.0 KiB"}, {1536, "1.5 KiB"},
		{48 << 20, "48.0 MiB"}, {3 << 30, "3.0 GiB"},
	}
	for _, tt := range tests {
		if got := formatBytes(tt.n); got != tt.want {
			t.Errorf("formatBytes(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestCountBar(t *testing.T) {
	var buf bytes.Buffer
	b := NewCount(&buf, 2_000_000, "rescore", "profiles")
	b.Add(1_234_567)
	b.Finish("")
	if got := buf.String(); !strings.Contains(got, "rescore: 1,234,567 profiles in ") || !strings.Contains(got, " profiles/s)") {
		t.Errorf("summary %q", got)
	}
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", -1234567: "-1,234,567"} {
		if got := formatCount(n); got != want {
			t.Errorf("formatCount(%d) = %q, want %q", n, got, want)
		}
	}
}
