package imap

import (
	"fmt"
	"net"
	"sync"

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
	maxLiteral, maxLine int64

	mu  sync.Mutex
	err error
	st  guardState
}

// guardState is the position of the parser in the response stream.
type guardState struct {
	mode    int   // one of the mode constants
	n       int64 // literal length being read, or literal bytes left
	over    bool  // the announced length is over the limit
	lineLen int64 // bytes of the current line outside literals
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
	return &guardConn{Conn: c, maxLiteral: limits.IMAPLiteralBytes, maxLine: limits.IMAPLineBytes}
}

// Err returns the limit the server exceeded, or nil.
func (g *guardConn) Err() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.err
}

// Read reads from the server and checks the bytes before passing them on.
func (g *guardConn) Read(p []byte) (int, error) {
	if err := g.Err(); err != nil {
		return 0, err
	}
	n, err := g.Conn.Read(p)
	if n > 0 {
		if verr := g.scan(p[:n]); verr != nil {
			g.mu.Lock()
			g.err = verr
			g.mu.Unlock()
			_ = g.Close()
			return 0, verr
		}
	}
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
				s.mode, s.lineLen = inLine, 0
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
				s.lineLen = 0
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
				s.lineLen = 0
				continue
			}
		}
		s.lineLen++
		if s.lineLen > g.maxLine {
			return &limits.Error{What: "IMAP response line", Limit: g.maxLine, Name: "IMAPLineBytes"}
		}
	}
	return nil
}
