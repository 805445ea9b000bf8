// Package limits holds the size limits of every input preflight reads, in
// one place, so that memory stays bounded whatever a file or a server
// sends. Each limit is far above anything a real export or a real server
// holds; an input over one is refused with an error that names the limit
// (bad input, exit 2, for files; a failed source, exit 3, for servers).
// docs/limits.md lists them with the exit code of each failure class.
package limits

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
)

// The limits. Sizes are bytes.
const (
	// LDIFValueBytes bounds one LDIF value (one logical line, folded
	// lines joined): a certificate or a photo is far smaller.
	LDIFValueBytes = 64 << 20
	// LDIFEntryBytes bounds one LDIF entry, held whole in memory: a
	// group with a million members takes about 70 MB.
	LDIFEntryBytes = 512 << 20

	// CSVHeaderBytes bounds the header line of a CSV export (quoted
	// newlines included): real headers are a few kilobytes.
	CSVHeaderBytes = 1 << 20
	// CSVRecordBytes bounds one CSV row (quoted newlines included).
	CSVRecordBytes = 16 << 20
	// CSVFields bounds the columns of a CSV header.
	CSVFields = 10000

	// SnapshotLineBytes bounds one line (one record) of a snapshot file,
	// decompressed: the record of a group with a million members.
	SnapshotLineBytes = 256 << 20
	// SnapshotValues bounds the values of one snapshot record (array
	// elements and object members, counted as the commas outside
	// strings): decoded, each costs a string header whatever its size, so
	// a line of tiny values would otherwise take several times its own
	// size. Four million is four times the members of the group the line
	// limit is sized for.
	SnapshotValues = 4 << 20

	// EndpointsBytes bounds the Microsoft 365 endpoints JSON file (the
	// real one is about 100 KB).
	EndpointsBytes = 64 << 20
	// AllowlistLineBytes bounds one line of a firewall allow-list.
	AllowlistLineBytes = 1 << 20

	// ConfigBytes bounds the YAML configuration file.
	ConfigBytes = 1 << 20

	// ReportBytes bounds a report.json read back (--baseline, diff,
	// report, the history directory).
	ReportBytes = 1 << 30

	// SecretBytes bounds a password file.
	SecretBytes = 64 << 10
	// CAFileBytes bounds a PEM CA file.
	CAFileBytes = 16 << 20

	// IMAPLiteralBytes bounds one literal ({N}) an IMAP server sends: the
	// scan reads folder names and sizes, never message bodies.
	IMAPLiteralBytes = 16 << 20
	// IMAPLineBytes bounds one response line of an IMAP server (literals
	// not counted).
	IMAPLineBytes = 8 << 20
	// IMAPAtomBytes bounds one unbroken run of an IMAP response line (no
	// space, parenthesis or line end in it): go-imap v1 builds an atom a
	// character at a time by string concatenation, so its cost grows with
	// the square of the atom's length (a 1 MiB atom took three minutes).
	IMAPAtomBytes = 64 << 10
	// ProbeLineBytes bounds one line of an SMTP server's answer to a
	// probe.
	ProbeLineBytes = 64 << 10
)

// ErrTooLarge is matched (errors.Is) by every *Error.
var ErrTooLarge = errors.New("input over a size limit")

// Error is an input over a limit.
type Error struct {
	// What names the input: "CSV header line", "snapshot record".
	What string
	// Limit is the limit in bytes, or a count when Count is set.
	Limit int64
	// Name is the limit's constant, for the documentation.
	Name string
	// Count says Limit counts items (What names them), not bytes.
	Count bool
}

// Error says which input exceeded which limit.
func (e *Error) Error() string {
	s := fmt.Sprintf("%s longer than %s", e.What, Size(e.Limit))
	if e.Count {
		s = fmt.Sprintf("more than %d %s", e.Limit, e.What)
	}
	if e.Name != "" {
		s += fmt.Sprintf(" (limits.%s, see docs/limits.md)", e.Name)
	}
	return s
}

// Is matches ErrTooLarge.
func (e *Error) Is(target error) bool { return target == ErrTooLarge }

// Size renders a limit: "1 MiB", "64 KiB", "100 bytes".
func Size(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// ReadLine returns the next line of br without its line end ("\n" or
// "\r\n"), holding at most limit bytes of it: a longer line is an *Error
// (the rest of the line is not read). io.EOF means no more input; a last
// line without a line end is returned with a nil error.
//
// Memory is bounded by the line, not by how it arrives: a line that fits
// br's buffer is returned in place, without a copy; a longer one is
// gathered in pieces of at most 1 MiB and then copied once into buf, when
// buf has room for it, or into one allocation of the line's exact size.
// Reading a line of n bytes therefore holds at most about 2n bytes (the
// pieces and the line) and allocates about 2n in all, where appending to
// a growing slice held up to 3n and allocated 5n. The slice is valid until
// the next read from br or the next use of buf.
func ReadLine(br *bufio.Reader, buf []byte, limit int, what, name string) ([]byte, error) {
	part, err := br.ReadSlice('\n')
	if err == nil || !errors.Is(err, bufio.ErrBufferFull) {
		if len(part) > limit+2 { // room for the line end
			return nil, &Error{What: what, Limit: int64(limit), Name: name}
		}
		return lineEnd(part, err, limit, what, name)
	}
	const maxPiece = 1 << 20
	var pieces [][]byte
	total := 0
	for {
		total += len(part)
		if total > limit+2 {
			return nil, &Error{What: what, Limit: int64(limit), Name: name}
		}
		for len(part) > 0 {
			if n := len(pieces); n == 0 || len(pieces[n-1]) == cap(pieces[n-1]) {
				pieces = append(pieces, make([]byte, 0, min(max(total, len(part)), maxPiece)))
			}
			last := &pieces[len(pieces)-1]
			k := min(len(part), cap(*last)-len(*last))
			*last = append(*last, part[:k]...)
			part = part[k:]
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			break
		}
		part, err = br.ReadSlice('\n')
	}
	if cap(buf) >= total {
		buf = buf[:0]
	} else {
		buf = make([]byte, 0, total)
	}
	for i, p := range pieces {
		buf = append(buf, p...)
		pieces[i] = nil // collectable as soon as copied
	}
	if errors.Is(err, io.EOF) {
		err = nil // a last line without a line end
	}
	return lineEnd(buf, err, limit, what, name)
}

// lineEnd strips the line end of a line read whole (err nil) or returns a
// last line without one (io.EOF with bytes), checking the limit.
func lineEnd(b []byte, err error, limit int, what, name string) ([]byte, error) {
	switch {
	case err == nil && len(b) > 0 && b[len(b)-1] == '\n':
		b = b[:len(b)-1]
		if n := len(b); n > 0 && b[n-1] == '\r' {
			b = b[:n-1]
		}
	case err == nil, errors.Is(err, io.EOF) && len(b) > 0:
	default:
		return nil, err
	}
	if len(b) > limit {
		return nil, &Error{What: what, Limit: int64(limit), Name: name}
	}
	return b, nil
}

// ReadAll reads r whole when it holds at most limit bytes.
func ReadAll(r io.Reader, limit int64, what, name string) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, &Error{What: what, Limit: limit, Name: name}
	}
	return b, nil
}

// ReadFile reads the file at path whole when it holds at most limit
// bytes. A larger file is refused before it is read.
func ReadFile(path string, limit int64, what, name string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() && fi.Size() > limit {
		return nil, &Error{What: what, Limit: limit, Name: name}
	}
	return ReadAll(f, limit, what, name)
}

// Reader passes reads through until more than Limit bytes have been read
// since the last Reset, then fails with an *Error. Readers that buffer
// ahead (encoding/csv) see the limit a buffer early, which is harmless
// for limits of megabytes.
type Reader struct {
	r     io.Reader
	n     int64
	limit int64
	what  string
	name  string
}

// NewReader returns a Reader of r.
func NewReader(r io.Reader, limit int64, what, name string) *Reader {
	return &Reader{r: r, limit: limit, what: what, name: name}
}

// Reset starts counting again (at the start of a record).
func (l *Reader) Reset() { l.n = 0 }

// Read reads from the underlying reader within the limit.
func (l *Reader) Read(p []byte) (int, error) {
	if l.n > l.limit {
		return 0, &Error{What: l.what, Limit: l.limit, Name: l.name}
	}
	if room := l.limit + 1 - l.n; int64(len(p)) > room {
		p = p[:room]
	}
	n, err := l.r.Read(p)
	l.n += int64(n)
	if over := l.n - l.limit; over > 0 {
		// The byte over the limit is not passed on: the reader above
		// sees the limit now, not only if it asks for more (a JSON
		// decoder holding a complete value does not).
		return n - int(over), &Error{What: l.what, Limit: l.limit, Name: l.name}
	}
	return n, err
}
