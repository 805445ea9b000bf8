package ldap

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync"

	goldap "github.com/go-ldap/ldap/v3"
)

// The go-ldap connection: dial and bind, and the redialer that binds again
// when the server has dropped an idle connection.

// connect dials and binds.
func (s *scan) connect(ctx context.Context, ep Endpoint) (searcher, error) {
	conn, err := s.c.dial(ctx, ep)
	if err != nil {
		return nil, err
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	defer stop()
	if err := conn.Bind(s.c.cfg.BindUser, s.c.cfg.Password.Reveal()); err != nil {
		_ = conn.Close() // the bind error is the one to report
		return nil, &bindError{user: s.c.cfg.BindUser, err: err}
	}
	return conn, nil
}

// control dials and binds the go-ldap connection of ep, wrapped so that
// a connection the server dropped (Active Directory closes connections
// idle for MaxConnIdleTime, 15 minutes, which the range-retrieval
// connection can be during a long bulk read) is dialled and bound again
// on the next request.
func (s *scan) control(ctx context.Context, ep Endpoint) (*redialer, error) {
	conn, err := s.connect(ctx, ep)
	if err != nil {
		return nil, err
	}
	return &redialer{conn: conn, redial: func() (searcher, error) {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return s.connect(ctx, ep)
	}}, nil
}

// redialer is a go-ldap connection that reconnects once when a request
// finds it closed.
type redialer struct {
	mu     sync.Mutex
	conn   searcher
	closed bool
	redial func() (searcher, error)
}

// Bind binds the current connection.
func (r *redialer) Bind(user, password string) error { return r.current().Bind(user, password) }

// Close closes the connection for good.
func (r *redialer) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closed = true
	return r.conn.Close()
}

func (r *redialer) current() searcher {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.conn
}

// Search runs req, and once more on a fresh connection when the first
// attempt found the connection lost (not timed out: a server that does
// not answer is not asked again).
func (r *redialer) Search(req *goldap.SearchRequest) (*goldap.SearchResult, error) {
	old := r.current()
	res, err := old.Search(req)
	if err == nil || !connectionLost(err) {
		return res, err
	}
	fresh, derr := r.redial()
	if derr != nil {
		return res, err
	}
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		_ = fresh.Close()
		return res, err
	}
	r.conn = fresh
	r.mu.Unlock()
	_ = old.Close() // already lost
	return fresh.Search(req)
}

// connectionLost reports an error of a connection that is gone, as
// opposed to a server's answer or a timeout.
func connectionLost(err error) bool {
	var le *goldap.Error
	if !errors.As(err, &le) || le.ResultCode != goldap.ErrorNetwork {
		return false
	}
	return !strings.Contains(err.Error(), "timed out") && !errors.Is(err, os.ErrDeadlineExceeded)
}

// bindError is a refused bind.
type bindError struct {
	user string
	err  error
}

func (e *bindError) Error() string {
	var le *goldap.Error
	if errors.As(e.err, &le) && le.ResultCode == goldap.LDAPResultInvalidCredentials {
		return "bind as " + e.user + ": invalid credentials" + diagnostic(le)
	}
	return "bind as " + e.user + ": " + describeLDAP(e.err)
}

func (e *bindError) Unwrap() error { return e.err }
