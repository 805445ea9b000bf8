package netprobe

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/preflight-scan/preflight/internal/limits"
	"github.com/preflight-scan/preflight/snapshot"
)

// spaces returns a reader of n spaces without holding them.
func spaces(n int64) io.Reader {
	return io.LimitReader(repeatReader(' '), n)
}

type repeatReader byte

func (b repeatReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(b)
	}
	return len(p), nil
}

// TestEndpointsBoundsTheFile: an endpoints file at limits.EndpointsBytes
// is read; one byte over is bad input naming the limit.
func TestEndpointsBoundsTheFile(t *testing.T) {
	at := io.MultiReader(strings.NewReader("["), spaces(limits.EndpointsBytes-2), strings.NewReader("]"))
	if eps, err := ParseEndpoints("at.json", at); err != nil || len(eps) != 0 {
		t.Errorf("file at the limit: %d sets, %v", len(eps), err)
	}
	over := io.MultiReader(strings.NewReader("["), spaces(limits.EndpointsBytes-1), strings.NewReader("]"))
	_, err := ParseEndpoints("over.json", over)
	if !errors.Is(err, snapshot.ErrBadInput) || !strings.Contains(err.Error(), "endpoints file longer than 64 MiB (limits.EndpointsBytes") {
		t.Errorf("file over the limit: %v", err)
	}
}

// TestAllowlistBoundsTheLine: an allow-list line of
// limits.AllowlistLineBytes is read; one byte longer is bad input naming
// the line and the limit.
func TestAllowlistBoundsTheLine(t *testing.T) {
	line := func(n int) io.Reader {
		// "10.0.0.0/8" and a trailing comment padded to n bytes.
		return io.MultiReader(strings.NewReader("192.0.2.0/24\n10.0.0.0/8 #"), io.LimitReader(repeatReader('x'), int64(n-len("10.0.0.0/8 #"))), strings.NewReader("\n"))
	}
	if ps, err := ParseAllowlist("at.txt", line(limits.AllowlistLineBytes)); err != nil || len(ps) != 2 {
		t.Errorf("line at the limit: %v, %v", ps, err)
	}
	_, err := ParseAllowlist("over.txt", line(limits.AllowlistLineBytes+1))
	if !errors.Is(err, snapshot.ErrBadInput) || !strings.Contains(err.Error(), "over.txt:2:") || !strings.Contains(err.Error(), "AllowlistLineBytes") {
		t.Errorf("line over the limit: %v", err)
	}
}
