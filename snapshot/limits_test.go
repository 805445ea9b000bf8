package snapshot

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"runtime"
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
	if _, err := read(context.Background(), bytes.NewReader(gz(t, header+rec+"\n")), "s", discard, len(rec), 100); err != nil {
		t.Fatalf("record at the limit: %v", err)
	}
	_, err := read(context.Background(), bytes.NewReader(gz(t, header+rec+"x\n")), "s", discard, len(rec), 100)
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

// TestReadHoldsARecordAboutTwice: reading a snapshot whose record line
// holds n bytes allocates about 3n in all (the pieces the line arrives in,
// the line sized once, the decoded value), and never holds more than two
// of them at a time; before, append growth and copies allocated about 7n
// and held 4n at the peak. Allocation is counted, not timed.
func TestReadHoldsARecordAboutTwice(t *testing.T) {
	const n = 16 << 20
	rec := `{"source":{"kind":"file","status":"ok","name":"` + strings.Repeat("x", n-60) + `"}}`
	z := gz(t, header+rec+"\n")
	got := 0
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := Read(context.Background(), bytes.NewReader(z), "s", SinkFunc(func(r *Record) error {
		got = len(r.Source.Name)
		return nil
	}))
	runtime.ReadMemStats(&after)
	if err != nil || got != n-60 {
		t.Fatalf("name of %d bytes, %v", got, err)
	}
	if total := after.TotalAlloc - before.TotalAlloc; total > 3*n+n/4 {
		t.Errorf("reading a record of %d bytes allocated %d bytes (%.2f×), want at most 3.25×", n, total, float64(total)/n)
	}
}

// TestReadBoundsTheValues: a record of many tiny values (each costs a
// string header once decoded, several times its bytes) is refused over
// limits.SnapshotValues before it is decoded.
func TestReadBoundsTheValues(t *testing.T) {
	discard := SinkFunc(func(*Record) error { return nil })
	rec := `{"dir":{"dn":"cn=g,dc=x","kind":"group","attrs":{"member":["a","b,c\",","d"]}}}`
	src := `{"source":{"kind":"file","status":"ok","name":"s"}}`
	// Four commas outside strings: after "dn", after "kind" and between
	// the three members (the commas and the escaped quote inside them
	// do not count).
	if n := values([]byte(rec)); n != 4 {
		t.Fatalf("values(%s) = %d, want 4", rec, n)
	}
	if _, err := read(context.Background(), bytes.NewReader(gz(t, header+rec+"\n"+src+"\n")), "s", discard, 1000, 4); err != nil {
		t.Fatalf("record at the limit: %v", err)
	}
	_, err := read(context.Background(), bytes.NewReader(gz(t, header+rec+"\n"+src+"\n")), "s", discard, 1000, 3)
	if !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), "s:2: more than 3 values in one snapshot record (limits.SnapshotValues") {
		t.Errorf("record over the limit: %v", err)
	}
}

func TestValues(t *testing.T) {
	for in, want := range map[string]int{
		``:                 0,
		`[1,2,3]`:          2,
		`["a,b","c"]`:      1,
		`["a\\",","b"]`:    1,
		`["a\",b\\\\",1]`:  1,
		`{"k":"\\\\\"",}`:  1,
		`["unterminated,`:  0,
		`[null,null,null]`: 2,
	} {
		if got := values([]byte(in)); got != want {
			t.Errorf("values(%s) = %d, want %d", in, got, want)
		}
	}
}
