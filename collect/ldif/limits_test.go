package ldif

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/preflight-scan/preflight/internal/limits"
	"github.com/preflight-scan/preflight/snapshot"
)

// xs reads n bytes of 'x' without holding them.
type xs struct{ n int }

func (x *xs) Read(p []byte) (int, error) {
	if x.n == 0 {
		return 0, io.EOF
	}
	p = p[:min(len(p), x.n)]
	for i := range p {
		p[i] = 'x'
	}
	x.n -= len(p)
	return len(p), nil
}

// readAll reads every entry of an export.
func readAll(r io.Reader) error {
	lr := NewReader(r, "big.ldif")
	for {
		_, err := lr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// TestValueLimit: a physical line of limits.LDIFValueBytes is read; one
// byte longer is bad input naming the limit, and so is a folded value
// whose continuation lines take it over (each line short).
func TestValueLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 64 MiB value")
	}
	const head = "dn: cn=a,dc=x\n"
	const attr = "description: "
	line := func(n int) io.Reader {
		return io.MultiReader(strings.NewReader(head+attr), &xs{n - len(attr)}, strings.NewReader("\n\n"))
	}
	if err := readAll(line(limits.LDIFValueBytes)); err != nil {
		t.Errorf("line at the limit: %v", err)
	}
	err := readAll(line(limits.LDIFValueBytes + 1))
	if !errors.Is(err, snapshot.ErrBadInput) || !strings.Contains(err.Error(), "limits.LDIFValueBytes") {
		t.Errorf("line over the limit: %v", err)
	}
	// Folded: 1 KiB continuation lines up to one byte over.
	var folded bytes.Buffer
	folded.WriteString(head + attr)
	cont := " " + strings.Repeat("y", 1023) + "\n"
	for n := len(attr); n <= limits.LDIFValueBytes; n += 1023 {
		folded.WriteString(cont)
	}
	folded.WriteString("\n")
	err = readAll(&folded)
	if !errors.Is(err, snapshot.ErrBadInput) || !strings.Contains(err.Error(), "limits.LDIFValueBytes") {
		t.Errorf("folded value over the limit: %v", err)
	}
}
