package ldap

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"time"

	ber "github.com/go-asn1-ber/asn1-ber"
	goldap "github.com/go-ldap/ldap/v3"

	netdial "github.com/preflight-scan/preflight/internal/dialer"
	"github.com/preflight-scan/preflight/internal/limits"
)

// LoadCAFile reads PEM CA certificates from path. The pool it returns is
// used alone, as OpenLDAP's TLS_CACERT is: when --ldap-ca-file is given,
// the system roots are not consulted, so the scan trusts exactly the CA
// the operator named. A file without any certificate is an error.
func LoadCAFile(path string) (*x509.CertPool, error) {
	b, err := limits.ReadFile(path, limits.CAFileBytes, "CA file", "CAFileBytes")
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("--ldap-ca-file %s: %w", path, err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(b) {
		return nil, fmt.Errorf("--ldap-ca-file %s: no PEM certificate found", path)
	}
	return pool, nil
}

// tlsConfig is the client TLS configuration for host: certificate and
// host name verification always on, TLS 1.2 or newer. A nil roots pool
// means the system roots.
func tlsConfig(host string, roots *x509.CertPool) *tls.Config {
	return &tls.Config{
		ServerName: host,
		RootCAs:    roots,
		MinVersion: tls.VersionTLS12,
	}
}

// searcher is the part of an LDAP connection the collector uses: bind and
// search only, never a modification. *goldap.Conn implements it; tests use
// fakes.
type searcher interface {
	Bind(username, password string) error
	Search(req *goldap.SearchRequest) (*goldap.SearchResult, error)
	Close() error
}

// dialer opens an authenticated-ready (TLS set up, not yet bound)
// connection to an endpoint.
type dialer func(ctx context.Context, e Endpoint) (searcher, error)

// netConn dials e through nd (which enforces the loopback guard; nil
// dials without it) with a timeout, then sets up TLS (LDAPS) or the
// StartTLS operation with certificate verification: a connection ready
// for the bind. The forest's other domain controllers (crossRef and
// referral hosts) are dialled through it too.
func netConn(ctx context.Context, nd *netdial.Dialer, roots *x509.CertPool, timeout time.Duration, e Endpoint) (net.Conn, error) {
	dctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	raw, err := nd.WithTimeout(timeout).DialContext(dctx, "tcp", e.Address())
	if err != nil {
		return nil, &connectError{addr: e.Address(), err: err}
	}
	c, err := secure(dctx, raw, e, roots)
	if err != nil {
		_ = raw.Close() // the handshake error is the one to report
		return nil, err
	}
	return c, nil
}

// netDialer returns the real dialer of the go-ldap connection (bind,
// discovery, range retrieval).
func netDialer(nd *netdial.Dialer, roots *x509.CertPool, timeout time.Duration) dialer {
	return func(ctx context.Context, e Endpoint) (searcher, error) {
		c, err := netConn(ctx, nd, roots, timeout, e)
		if err != nil {
			return nil, err
		}
		conn := goldap.NewConn(c, e.Security != Plaintext)
		conn.Start()
		conn.SetTimeout(timeout)
		return conn, nil
	}
}

// netWireDialer returns the real dialer of the bulk search's connection.
func netWireDialer(nd *netdial.Dialer, roots *x509.CertPool, timeout time.Duration) wireDialer {
	return func(ctx context.Context, e Endpoint) (net.Conn, error) {
		return netConn(ctx, nd, roots, timeout, e)
	}
}

// secure runs the TLS handshake (LDAPS) or StartTLS and the handshake on
// raw, bounded by ctx. The StartTLS request is written by hand rather than
// with goldap.Conn.StartTLS so the handshake error keeps its type (the
// library flattens it to text) and honours the deadline.
func secure(ctx context.Context, raw net.Conn, e Endpoint, roots *x509.CertPool) (net.Conn, error) {
	if dl, ok := ctx.Deadline(); ok {
		_ = raw.SetDeadline(dl)
		defer func() { _ = raw.SetDeadline(time.Time{}) }()
	}
	stop := context.AfterFunc(ctx, func() { _ = raw.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	switch e.Security {
	case Plaintext:
		return raw, nil
	case StartTLS:
		if err := startTLS(raw); err != nil {
			return nil, err
		}
	}
	tc := tls.Client(raw, tlsConfig(e.Host, roots))
	if err := tc.HandshakeContext(ctx); err != nil {
		return nil, &tlsError{addr: e.Address(), err: err}
	}
	return tc, nil
}

// startTLSOID is the StartTLS extended operation (RFC 4511 4.14).
const startTLSOID = "1.3.6.1.4.1.1466.20037"

// startTLS sends the StartTLS extended request on a fresh connection and
// waits for its success.
func startTLS(c net.Conn) error {
	pkt := ber.Encode(ber.ClassUniversal, ber.TypeConstructed, ber.TagSequence, nil, "LDAP Request")
	pkt.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagInteger, int64(1), "MessageID"))
	req := ber.Encode(ber.ClassApplication, ber.TypeConstructed, goldap.ApplicationExtendedRequest, nil, "Start TLS")
	req.AppendChild(ber.NewString(ber.ClassContext, ber.TypePrimitive, 0, startTLSOID, "TLS Extended Command"))
	pkt.AppendChild(req)
	if _, err := c.Write(pkt.Bytes()); err != nil {
		return &connectError{addr: c.RemoteAddr().String(), err: fmt.Errorf("send StartTLS: %w", err)}
	}
	resp, err := ber.ReadPacket(c)
	if err != nil {
		return &connectError{addr: c.RemoteAddr().String(), err: fmt.Errorf("read StartTLS response: %w", err)}
	}
	if err := goldap.GetLDAPError(resp); err != nil {
		return fmt.Errorf("StartTLS refused by server: %w", err)
	}
	return nil
}

// connectError is a failure to reach or talk to a server before the bind.
type connectError struct {
	addr string
	err  error
}

func (e *connectError) Error() string { return "connect to " + e.addr + ": " + e.err.Error() }
func (e *connectError) Unwrap() error { return e.err }

// tlsError is a failed TLS handshake.
type tlsError struct {
	addr string
	err  error
}

func (e *tlsError) Error() string {
	var ve *tls.CertificateVerificationError
	if errors.As(e.err, &ve) {
		return "TLS to " + e.addr + ": certificate verify failed: " + ve.Err.Error()
	}
	var ua x509.UnknownAuthorityError
	var he x509.HostnameError
	var ci x509.CertificateInvalidError
	if errors.As(e.err, &ua) || errors.As(e.err, &he) || errors.As(e.err, &ci) {
		return "TLS to " + e.addr + ": certificate verify failed: " + e.err.Error()
	}
	return "TLS to " + e.addr + ": handshake failed: " + e.err.Error()
}

func (e *tlsError) Unwrap() error { return e.err }
