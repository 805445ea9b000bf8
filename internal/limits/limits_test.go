package limits

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"
)

// TestReadLine reads lines of every shape: short and over the reader's
// buffer, with LF, CRLF or no line end, at and over the limit.
func TestReadLine(t *testing.T) {
	long := strings.Repeat("x", 10000)
	text := "a\r\nbb\n\n" + long + "\r\n" + long + "y\nlast"
	br := bufio.NewReaderSize(strings.NewReader(text), 16)
	want := []string{"a", "bb", "", long}
	for _, w := range want {
		b, err := ReadLine(br, nil, len(long), "line", "X")
		if err != nil || string(b) != w {
			t.Fatalf("got %.20q, %v; want %.20q", b, err, w)
		}
	}
	_, err := ReadLine(br, nil, len(long), "line", "X")
	var le *Error
	if !errors.As(err, &le) || !errors.Is(err, ErrTooLarge) || le.Error() != "line longer than 10000 bytes (limits.X, see docs/limits.md)" {
		t.Fatalf("line over the limit: %v", err)
	}
	br = bufio.NewReaderSize(strings.NewReader("z\nlast"), 16)
	_, _ = ReadLine(br, nil, 10, "line", "X")
	if b, err := ReadLine(br, nil, 10, "line", "X"); err != nil || string(b) != "last" {
		t.Fatalf("last line without a line end: %q, %v", b, err)
	}
	if _, err := ReadLine(br, nil, 10, "line", "X"); !errors.Is(err, io.EOF) {
		t.Fatalf("after the last line: %v", err)
	}
	// A long last line without a line end, gathered in pieces.
	br = bufio.NewReaderSize(strings.NewReader(long), 16)
	if b, err := ReadLine(br, make([]byte, 0, 20000), len(long), "line", "X"); err != nil || string(b) != long {
		t.Fatalf("long last line: %d bytes, %v", len(b), err)
	}
}

// TestReadLineHoldsTheLineOnce: a line that fits the reader's buffer
// costs no allocation, and a line of n bytes over it allocates about 2n
// (the pieces it arrives in, then the line, sized once), not the 5n of
// appending to a growing slice. Allocation is counted, not timed: the
// bound holds whatever the machine's load.
func TestReadLineHoldsTheLineOnce(t *testing.T) {
	short := strings.Repeat("s", 100) + "\n"
	src := strings.NewReader("")
	br := bufio.NewReaderSize(src, 4096)
	if n := testing.AllocsPerRun(100, func() {
		src.Reset(short)
		br.Reset(src)
		if _, err := ReadLine(br, nil, 1000, "line", "X"); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Errorf("a short line costs %v allocations, want 0", n)
	}

	const n = 16 << 20
	line := append(bytes.Repeat([]byte("x"), n), '\n')
	br = bufio.NewReaderSize(bytes.NewReader(line), 64<<10)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	b, err := ReadLine(br, nil, n, "line", "X")
	runtime.ReadMemStats(&after)
	if err != nil || len(b) != n {
		t.Fatalf("%d bytes, %v", len(b), err)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 2*n+n/8 {
		t.Errorf("reading a line of %d bytes allocated %d bytes (%.2f×), want at most 2.125×", n, got, float64(got)/n)
	}
}

// TestReaderRefusesTheByteOver: a Reader passes exactly limit bytes, and
// the read that would pass one more fails at once (before, the byte over
// went through and only a further read failed, so a JSON decoder that had
// its value accepted a file one byte over the limit).
func TestReaderRefusesTheByteOver(t *testing.T) {
	if b, err := io.ReadAll(NewReader(strings.NewReader("12345"), 5, "file", "X")); err != nil || string(b) != "12345" {
		t.Errorf("at the limit: %q, %v", b, err)
	}
	r := NewReader(strings.NewReader("123456"), 5, "file", "X")
	p := make([]byte, 10)
	n, err := r.Read(p)
	if n != 5 || !errors.Is(err, ErrTooLarge) {
		t.Errorf("over the limit: %d bytes, %v", n, err)
	}
}
