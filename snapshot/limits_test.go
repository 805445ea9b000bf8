package snapshot

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/preflight-scan/preflight/internal/limits"
)

// gz compresses text.
func gz(t *testing.T, text string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := io.WriteString(zw, text); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const header = `{"snapshot_version":1,"tool":"preflight"}` + "\n"

// TestReadBoundsTheLine: a record line over the limit is bad input naming
// the limit, read no further than the limit (before, one 2 GiB line was
// read whole with ReadBytes and killed the process).
func TestReadBoundsTheLine(t *testing.T) {
	discard := SinkFunc(func(*Record) error { return nil })
	rec := `{"source":{"kind":"file","status":"ok","name":"` + strings.Repeat("x", 100) + `"}}`
	if _, err := read(context.Background(), bytes.NewReader(gz(t, header+rec+"\n")), "s", discard, len(rec)); err != nil {
		t.Fatalf("record at the limit: %v", err)
	}
	_, err := read(context.Background(), bytes.NewReader(gz(t, header+rec+"x\n")), "s", discard, len(rec))
	if !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), "SnapshotLineBytes") || !strings.Contains(err.Error(), "s:2:") {
		t.Errorf("record over the limit: %v", err)
	}
}

// TestReadBoundsTheLineAtTheRealLimit feeds one line just over
// limits.SnapshotLineBytes through the public Read.
func TestReadBoundsTheLineAtTheRealLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 256 MiB line")
	}
	pr, pw := io.Pipe()
	go func() {
		zw := gzip.NewWriter(pw)
		_, _ = io.WriteString(zw, header)
		chunk := bytes.Repeat([]byte("x"), 1<<20)
		for n := 0; n <= limits.SnapshotLineBytes; n += len(chunk) {
			if _, err := zw.Write(chunk); err != nil {
				return
			}
		}
		_ = zw.Close()
		_ = pw.Close()
	}()
	_, err := Read(context.Background(), pr, "big.gz", SinkFunc(func(*Record) error { return nil }))
	_ = pr.Close()
	if !errors.Is(err, limits.ErrTooLarge) && !strings.Contains(err.Error(), "SnapshotLineBytes") {
		t.Errorf("line over the limit: %v", err)
	}
}

// TestReadStopsWhenCancelled: Read takes a context (before, evaluate read
// a whole snapshot after Ctrl-C).
func TestReadStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var b strings.Builder
	b.WriteString(header)
	for range 1000 {
		b.WriteString(`{"source":{"name":"a","kind":"file","status":"ok"}}` + "\n")
	}
	n := 0
	_, err := Read(ctx, bytes.NewReader(gz(t, b.String())), "s", SinkFunc(func(*Record) error {
		n++
		if n == 10 {
			cancel()
		}
		return nil
	}))
	if !errors.Is(err, context.Canceled) || n != 10 {
		t.Errorf("after cancel: %d records, err %v", n, err)
	}
}
