package ldap

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"

	goldap "github.com/go-ldap/ldap/v3"

	"github.com/preflight-scan/preflight/collect/ldap/ldapwire"
)

// The bulk search of a domain runs on a connection of its own, read by
// the collector rather than by go-ldap: a reader goroutine reads each
// page's messages off the socket as raw bytes and sends the request for
// page n+1 the moment page n's SearchResultDone (with its cookie) has
// arrived; the scan goroutine meanwhile decodes page n in place
// (ldapwire), builds its records and completes ranged attributes on the
// other, go-ldap, connection. The server builds page n+1 while the client
// works on page n. Memory is bounded by two page buffers: the reader does
// not read page n+2 until page n has been handed back.

// wireDialer opens a secured (TLS or, when asked, plaintext) connection
// that is not yet bound, for the bulk search.
type wireDialer func(ctx context.Context, e Endpoint) (net.Conn, error)

// page is the raw messages of one page of results.
type page struct {
	buf  []byte
	ends []int // end offset in buf of each message
	err  error // a failure reading the page: the page is incomplete
}

// pager reads the pages of one paged subtree search.
type pager struct {
	conn    net.Conn
	rd      *ldapwire.Reader
	req     ldapwire.SearchRequest
	id      int64
	timeout time.Duration

	free chan *page
	full chan *page
	quit chan struct{}
	wg   sync.WaitGroup
	wbuf []byte
}

// wireBind sends a simple bind on a bulk connection and waits for the
// answer.
func wireBind(conn net.Conn, rd *ldapwire.Reader, user string, password []byte, timeout time.Duration) error {
	_ = conn.SetDeadline(time.Now().Add(timeout))
	defer func() { _ = conn.SetDeadline(time.Time{}) }()
	if _, err := conn.Write(ldapwire.AppendBindRequest(nil, 1, user, password)); err != nil {
		return &bindError{user: user, err: goldap.NewError(goldap.ErrorNetwork, err)}
	}
	b, err := rd.Append(nil)
	if err != nil {
		return &bindError{user: user, err: goldap.NewError(goldap.ErrorNetwork, wireReadError(err))}
	}
	var m ldapwire.Message
	if err := m.Decode(b); err != nil {
		return &bindError{user: user, err: goldap.NewError(goldap.ErrorNetwork, errors.New("bind response: protocol error: "+err.Error()))}
	}
	if m.Op != ldapwire.OpBindResponse || m.ID != 1 {
		return &bindError{user: user, err: serverEnded(&m)}
	}
	if m.Result.Code != 0 {
		return &bindError{user: user, err: resultError(&m.Result)}
	}
	return nil
}

// resultError is the go-ldap error of a non-success LDAPResult, so that
// bulk and go-ldap failures read the same.
func resultError(r *ldapwire.Result) error {
	return goldap.NewError(uint16(min(max(r.Code, 0), 0xffff)), errors.New(string(r.Diagnostic)))
}

// serverEnded explains a message that is not the answer to the request:
// a notice of disconnection (unsolicited, message ID 0), or a protocol
// error.
func serverEnded(m *ldapwire.Message) error {
	if m.ID == 0 && m.Op == ldapwire.OpExtendedResponse {
		msg := "the server ended the session"
		if d := oneLine(string(m.Result.Diagnostic)); d != "" {
			msg += ": " + d
		}
		return goldap.NewError(goldap.ErrorNetwork, errors.New(msg))
	}
	return goldap.NewError(goldap.ErrorNetwork, fmt.Errorf("protocol error: unexpected operation %d with message ID %d", m.Op, m.ID))
}

// wireReadError names a read failure the way a user understands it.
func wireReadError(err error) error {
	switch {
	case errors.Is(err, ldapwire.ErrTooLarge), errors.Is(err, ldapwire.ErrMalformed), errors.Is(err, ldapwire.ErrTruncated):
		// One layer of text: explain reports the innermost cause.
		return errors.New("protocol error: " + err.Error())
	case isEOF(err):
		return errors.New("the server closed the connection")
	}
	return err
}

// newPager starts the reader of a paged search on a bound connection.
func newPager(conn net.Conn, rd *ldapwire.Reader, req ldapwire.SearchRequest, timeout time.Duration) *pager {
	p := &pager{conn: conn, rd: rd, req: req, id: 2, timeout: timeout,
		free: make(chan *page, 2), full: make(chan *page, 2), quit: make(chan struct{})}
	p.free <- &page{}
	p.free <- &page{}
	p.wg.Add(1)
	go p.run()
	return p
}

// send writes the search request for the next page.
func (p *pager) send() error {
	p.wbuf = ldapwire.AppendSearchRequest(p.wbuf[:0], p.id, &p.req)
	_ = p.conn.SetWriteDeadline(time.Now().Add(p.timeout))
	_, err := p.conn.Write(p.wbuf)
	return err
}

// run is the reader goroutine.
func (p *pager) run() {
	defer p.wg.Done()
	defer close(p.full)
	var done ldapwire.Message
	err := p.send()
	for {
		var pg *page
		select {
		case pg = <-p.free:
		case <-p.quit:
			return
		}
		pg.buf, pg.ends, pg.err = pg.buf[:0], pg.ends[:0], nil
		if err != nil {
			pg.err = goldap.NewError(goldap.ErrorNetwork, err)
			p.deliver(pg)
			return
		}
		var more bool
		more, err = p.readPage(pg, &done)
		if err != nil {
			pg.err = err
		}
		if !p.deliver(pg) || !more || err != nil {
			return
		}
	}
}

// deliver hands a page to the scan goroutine.
func (p *pager) deliver(pg *page) bool {
	select {
	case p.full <- pg:
		return true
	case <-p.quit:
		return false
	}
}

// readPage reads the messages of one page into pg up to its
// SearchResultDone and, when the server gave a cookie, sends the request
// for the next page at once. more reports that request.
func (p *pager) readPage(pg *page, done *ldapwire.Message) (more bool, err error) {
	_ = p.conn.SetReadDeadline(time.Now().Add(p.timeout))
	for {
		at := len(pg.buf)
		pg.buf, err = p.rd.Append(pg.buf)
		if err != nil {
			return false, goldap.NewError(goldap.ErrorNetwork, wireReadError(err))
		}
		msg := pg.buf[at:]
		id, op, err := ldapwire.Peek(msg)
		if err != nil {
			return false, goldap.NewError(goldap.ErrorNetwork, wireReadError(err))
		}
		pg.ends = append(pg.ends, len(pg.buf))
		if id != p.id || (op != ldapwire.OpSearchResultEntry && op != ldapwire.OpSearchResultReference && op != ldapwire.OpSearchResultDone) {
			if err := done.Decode(msg); err != nil {
				return false, goldap.NewError(goldap.ErrorNetwork, wireReadError(err))
			}
			return false, serverEnded(done)
		}
		if op != ldapwire.OpSearchResultDone {
			continue
		}
		if err := done.Decode(msg); err != nil {
			return false, goldap.NewError(goldap.ErrorNetwork, wireReadError(err))
		}
		if done.Result.Code != 0 {
			return false, nil // the scan goroutine reports it
		}
		c := done.Control(ldapwire.PagedResultsOID)
		if c == nil {
			return false, nil
		}
		cookie, err := ldapwire.PagedCookie(c.Value)
		if err != nil {
			return false, goldap.NewError(goldap.ErrorNetwork, wireReadError(err))
		}
		if len(cookie) == 0 {
			return false, nil
		}
		p.req.Cookie = append(p.req.Cookie[:0], cookie...)
		p.id++
		if err := p.send(); err != nil {
			return false, goldap.NewError(goldap.ErrorNetwork, err)
		}
		return true, nil
	}
}

// next returns the next page, or nil after the last.
func (p *pager) next() *page {
	return <-p.full
}

// release hands a decoded page's buffer back to the reader.
func (p *pager) release(pg *page) {
	p.free <- pg
}

// stop ends the reader and waits for it; the caller closes the
// connection first when the reader may be blocked on it.
func (p *pager) stop() {
	close(p.quit)
	p.wg.Wait()
}

func isEOF(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}
