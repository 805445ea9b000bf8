package imap

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"
	"unicode/utf8"

	goimap "github.com/emersion/go-imap"

	"github.com/preflight-scan/preflight/internal/limits"
)

// guardConn bounds what an IMAP server can make the client hold, before
// the client library sees a byte: it follows the response stream, and a
// literal announced larger than maxLiteral ({N} or {N+} at the end of a
// line) or a line longer than maxLine fails the connection. go-imap v1
// allocates a literal's announced size up front, so a server announcing
// {4000000000} would otherwise cost 4 GB; here it costs a failed source.
//
// A chunk holding a violation is withheld whole, so the client never sees
// the line end that would make it allocate.
type guardConn struct {
	net.Conn
	maxLiteral, maxLine, maxAtom int64

	mu  sync.Mutex
	err error
	st  guardState

	// The responses are parsed here first, with the library's own
	// parser, and passed on only when whole and well formed: go-imap
	// v1's reader goroutine panics on some malformed responses ("* 1
	// FETCH" without its list, "* EXPUNGE" without a number), and a
	// panic there would kill the process.
	vet     *vetReader
	parser  *goimap.Reader
	out     []byte
	pending error

	// hold, when set, is a deadline the library cannot lift: client.New
	// asks CAPABILITY with no timeout of its own (it clears the
	// connection's deadline), and a server that never answers would hang
	// the scan.
	hold time.Time
}

// holdDeadline makes t the latest deadline the connection accepts (zero:
// none imposed) and sets it.
func (g *guardConn) holdDeadline(t time.Time) {
	g.mu.Lock()
	g.hold = t
	g.mu.Unlock()
	_ = g.Conn.SetDeadline(t)
}

// SetDeadline sets the deadline, never later than the held one.
func (g *guardConn) SetDeadline(t time.Time) error {
	return g.Conn.SetDeadline(g.bound(t))
}

// SetReadDeadline sets the read deadline, never later than the held one.
func (g *guardConn) SetReadDeadline(t time.Time) error {
	return g.Conn.SetReadDeadline(g.bound(t))
}

func (g *guardConn) bound(t time.Time) time.Time {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.hold.IsZero() && (t.IsZero() || t.After(g.hold)) {
		return g.hold
	}
	return t
}

// guardState is the position of the parser in the response stream.
type guardState struct {
	mode    int   // one of the mode constants
	n       int64 // literal length being read, or literal bytes left
	over    bool  // the announced length is over the limit
	lineLen int64 // bytes of the current line outside literals
	atomLen int64 // bytes since the last space, parenthesis or line end
}

const (
	inLine    = iota // ordinary line text
	inBrace          // after "{", reading digits
	inPlus           // after "{N+"
	inClosed         // after "}", a CR or LF must follow for a literal
	inCR             // after "}\r"
	inLiteral        // skipping n literal bytes
)

func newGuardConn(c net.Conn) *guardConn {
	return &guardConn{Conn: c, maxLiteral: limits.IMAPLiteralBytes, maxLine: limits.IMAPLineBytes, maxAtom: limits.IMAPAtomBytes}
}

// fail records the first violation and closes the connection.
func (g *guardConn) fail(err error) error {
	g.mu.Lock()
	if g.err == nil {
		g.err = err
	}
	err = g.err
	g.mu.Unlock()
	_ = g.Close()
	return err
}

// Err returns the limit the server exceeded, or nil.
func (g *guardConn) Err() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.err
}

// Read passes on the next well-formed response of the server.
func (g *guardConn) Read(p []byte) (int, error) {
	if err := g.Err(); err != nil {
		return 0, err
	}
	if len(g.out) == 0 {
		if g.pending != nil {
			return 0, g.pending
		}
		if err := g.next(); err != nil {
			return 0, err
		}
	}
	n := copy(p, g.out)
	g.out = g.out[n:]
	return n, nil
}

// next parses one response into g.out.
func (g *guardConn) next() error {
	if g.vet == nil {
		g.vet = &vetReader{br: bufio.NewReaderSize(scanReader{g}, 4096)}
		g.parser = goimap.NewReader(g.vet)
	}
	g.vet.rec = g.vet.rec[:0]
	resp, err := goimap.ReadResp(g.parser)
	if err != nil {
		if errors.Is(err, limits.ErrTooLarge) {
			return g.fail(err)
		}
		if goimap.IsParseError(err) {
			return g.fail(fmt.Errorf("the server sent a malformed response: %w", err))
		}
		// A read error: pass on what came before it, then the error.
		g.out = append(g.out[:0], g.vet.rec...)
		g.pending = err
		if len(g.out) == 0 {
			return err
		}
		return nil
	}
	if err := vetResponse(resp); err != nil {
		return g.fail(err)
	}
	g.out = append(g.out[:0], g.vet.rec...)
	return nil
}

// vetResponse refuses the responses go-imap's unilateral handler would
// index out of range on.
func vetResponse(resp goimap.Resp) error {
	name, fields, ok := goimap.ParseNamedResp(resp)
	if !ok {
		return nil
	}
	switch name {
	case "EXPUNGE", "EXISTS", "RECENT":
		if len(fields) < 1 {
			return fmt.Errorf("the server sent a malformed %s response", name)
		}
	case "FETCH":
		if len(fields) < 2 {
			return errors.New("the server sent a malformed FETCH response")
		}
	}
	return nil
}

// scanReader reads the server's bytes through the guard's limits.
type scanReader struct{ g *guardConn }

func (s scanReader) Read(p []byte) (int, error) {
	n, err := s.g.Conn.Read(p)
	if n > 0 {
		if verr := s.g.scan(p[:n]); verr != nil {
			return 0, s.g.fail(verr)
		}
	}
	return n, err
}

// vetReader is the parser's input: it records the bytes the parser
// consumes (not those buffered ahead), so that exactly one response is
// passed on at a time. Runes are decoded as bufio.Reader does.
type vetReader struct {
	br      *bufio.Reader
	rec     []byte
	back    []byte // pushed back by UnreadRune
	lastLen int
}

func (v *vetReader) readByte() (byte, error) {
	if len(v.back) > 0 {
		b := v.back[0]
		v.back = v.back[1:]
		return b, nil
	}
	return v.br.ReadByte()
}

// ReadRune reads one rune, an invalid byte as utf8.RuneError of size 1.
func (v *vetReader) ReadRune() (rune, int, error) {
	b0, err := v.readByte()
	if err != nil {
		return 0, 0, err
	}
	buf := []byte{b0}
	need := 1
	switch {
	case b0 >= 0xF0:
		need = 4
	case b0 >= 0xE0:
		need = 3
	case b0 >= 0xC0:
		need = 2
	}
	for len(buf) < need {
		c, err := v.readByte()
		if err != nil {
			break
		}
		if c&0xC0 != 0x80 {
			v.back = append([]byte{c}, v.back...)
			break
		}
		buf = append(buf, c)
	}
	r, size := utf8.DecodeRune(buf)
	if size < len(buf) {
		v.back = append(append([]byte(nil), buf[size:]...), v.back...)
		buf = buf[:size]
	}
	v.rec = append(v.rec, buf...)
	v.lastLen = len(buf)
	return r, size, nil
}

// UnreadRune pushes back the last rune read.
func (v *vetReader) UnreadRune() error {
	if v.lastLen == 0 {
		return errors.New("imap guard: UnreadRune without ReadRune")
	}
	n := len(v.rec) - v.lastLen
	v.back = append(append([]byte(nil), v.rec[n:]...), v.back...)
	v.rec = v.rec[:n]
	v.lastLen = 0
	return nil
}

// ReadString reads up to and including delim.
func (v *vetReader) ReadString(delim byte) (string, error) {
	v.lastLen = 0
	start := len(v.rec)
	for {
		b, err := v.readByte()
		if err != nil {
			return string(v.rec[start:]), err
		}
		v.rec = append(v.rec, b)
		if b == delim {
			return string(v.rec[start:]), nil
		}
	}
}

// Read reads bytes (literals).
func (v *vetReader) Read(p []byte) (int, error) {
	v.lastLen = 0
	if len(v.back) > 0 {
		n := copy(p, v.back)
		v.back = v.back[n:]
		v.rec = append(v.rec, p[:n]...)
		return n, nil
	}
	n, err := v.br.Read(p)
	v.rec = append(v.rec, p[:n]...)
	return n, err
}

// scan advances the parser over b and returns the first violation.
func (g *guardConn) scan(b []byte) error {
	s := &g.st
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch s.mode {
		case inLiteral:
			k := int64(len(b) - i)
			if k > s.n {
				k = s.n
			}
			s.n -= k
			i += int(k) - 1
			if s.n == 0 {
				s.mode, s.lineLen, s.atomLen = inLine, 0, 0
			}
			continue
		case inBrace:
			switch {
			case c >= '0' && c <= '9':
				if !s.over {
					s.n = s.n*10 + int64(c-'0')
					if s.n > g.maxLiteral {
						s.over = true
					}
				}
			case c == '+':
				s.mode = inPlus
			case c == '}':
				s.mode = inClosed
			default:
				s.mode = inLine
				i-- // look at c again as line text
				continue
			}
		case inPlus:
			if c == '}' {
				s.mode = inClosed
			} else {
				s.mode = inLine
				i--
				continue
			}
		case inClosed, inCR:
			switch {
			case c == '\r' && s.mode == inClosed:
				s.mode = inCR
			case c == '\n':
				if s.over {
					return fmt.Errorf("the server announced a literal larger than %s (limits.IMAPLiteralBytes): %w", limits.Size(g.maxLiteral), &limits.Error{What: "IMAP literal", Limit: g.maxLiteral, Name: "IMAPLiteralBytes"})
				}
				s.lineLen, s.atomLen = 0, 0
				if s.n == 0 {
					s.mode = inLine
				} else {
					s.mode = inLiteral
				}
				continue
			default:
				s.mode = inLine
				i--
				continue
			}
		case inLine:
			switch c {
			case '{':
				s.mode, s.n, s.over = inBrace, 0, false
			case '\n':
				s.lineLen, s.atomLen = 0, 0
				continue
			}
		}
		s.lineLen++
		if s.lineLen > g.maxLine {
			return &limits.Error{What: "IMAP response line", Limit: g.maxLine, Name: "IMAPLineBytes"}
		}
		switch c {
		case ' ', '(', ')', '\r', '\n':
			s.atomLen = 0
		default:
			s.atomLen++
			if g.maxAtom > 0 && s.atomLen > g.maxAtom {
				return &limits.Error{What: "IMAP response token (a run without a space)", Limit: g.maxAtom, Name: "IMAPAtomBytes"}
			}
		}
	}
	return nil
}
