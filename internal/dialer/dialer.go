// Package dialer is the one way preflight opens a network connection.
// Every collector that talks to a server (LDAP and the forest's other
// domain controllers, IMAP, the network probes, DNS and the blocklists,
// HTTPS fetches) dials through a *Dialer, so that the loopback guard
// (PREFLIGHT_LOOPBACK_ONLY) is enforced in one place, before any name is
// resolved: with the guard on, only loopback IP literals and "localhost"
// are dialled, and a host name is refused without a DNS query.
package dialer

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"
)

// LoopbackEnv names the environment variable that confines every
// connection to loopback. The test suite and CI set it, so that no test
// can reach a host off the machine by accident.
const LoopbackEnv = "PREFLIGHT_LOOPBACK_ONLY"

// ErrNotLoopback is returned (wrapped) for a destination the guard
// refuses.
var ErrNotLoopback = errors.New("not a loopback address")

// Dialer opens TCP and UDP connections. The zero value dials anything
// with the system resolver; New reads the guard from the environment.
type Dialer struct {
	// LoopbackOnly refuses every destination that is not a loopback IP
	// address or "localhost", before any name resolution.
	LoopbackOnly bool
	// Timeout bounds each connection attempt (0: no timeout of its own).
	Timeout time.Duration
	// Resolver resolves host names when the guard is off; nil means the
	// system resolver.
	Resolver *net.Resolver
}

// New returns a dialer with the guard set when getenv(LoopbackEnv) is
// not empty. A nil getenv reads nothing (guard off).
func New(getenv func(string) string) *Dialer {
	d := &Dialer{}
	if getenv != nil && getenv(LoopbackEnv) != "" {
		d.LoopbackOnly = true
	}
	return d
}

// WithTimeout returns a copy of d with another connection timeout. A nil
// d is the zero dialer.
func (d *Dialer) WithTimeout(t time.Duration) *Dialer {
	c := Dialer{}
	if d != nil {
		c = *d
	}
	c.Timeout = t
	return &c
}

// CheckHost refuses host when the guard is on and host is not a loopback
// IP literal or localhost. It never resolves a name.
func (d *Dialer) CheckHost(host string) error {
	if d == nil || !d.LoopbackOnly {
		return nil
	}
	if isLocalhost(host) {
		return nil
	}
	a, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(host, "["), "]"))
	if err != nil {
		return &GuardError{Host: host, Name: true}
	}
	return d.CheckAddr(a)
}

// GuardError is a destination the loopback guard refused. It matches
// ErrNotLoopback with errors.Is.
type GuardError struct {
	// Host is the refused host name or address.
	Host string
	// Name is set when Host is a name (refused without resolving it).
	Name bool
}

// Error says what was refused and why.
func (e *GuardError) Error() string {
	if e.Name {
		return fmt.Sprintf("%s is set and %s is a host name, which is not resolved (only loopback addresses are dialled)", LoopbackEnv, clipHost(e.Host))
	}
	return fmt.Sprintf("%s is set and %s is not a loopback address", LoopbackEnv, e.Host)
}

// Is matches ErrNotLoopback.
func (e *GuardError) Is(target error) bool { return target == ErrNotLoopback }

// CheckAddr refuses an address when the guard is on and it is not
// loopback.
func (d *Dialer) CheckAddr(a netip.Addr) error {
	if d == nil || !d.LoopbackOnly || a.Unmap().IsLoopback() {
		return nil
	}
	return &GuardError{Host: a.String()}
}

// CheckServer refuses a HOST:PORT (or HOST) destination the guard does
// not allow.
func (d *Dialer) CheckServer(hostport string) error {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		host = hostport
	}
	return d.CheckHost(host)
}

// isLocalhost reports whether host is "localhost" or a name under it
// (RFC 6761: always loopback, never sent to DNS).
func isLocalhost(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	return h == "localhost" || strings.HasSuffix(h, ".localhost")
}

// clipHost keeps a refused host short in the message.
func clipHost(h string) string {
	const most = 255
	if len(h) > most {
		h = h[:most] + "..."
	}
	return fmt.Sprintf("%q", h)
}

// DialContext connects to address ("host:port") on network ("tcp",
// "tcp4", "tcp6", "udp", ...). With the guard on, the host is checked
// first and localhost is dialled as 127.0.0.1 without resolution.
func (d *Dialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", address, err)
	}
	if err := d.CheckHost(host); err != nil {
		return nil, err // says what was refused; no "dial" prefix to cut
	}
	nd := net.Dialer{}
	if d != nil {
		nd.Timeout = d.Timeout
		nd.Resolver = d.Resolver
		if d.LoopbackOnly && isLocalhost(host) {
			address = net.JoinHostPort("127.0.0.1", port)
		}
	}
	return nd.DialContext(ctx, network, address)
}

// LookupHost resolves host to its addresses after the guard: with the
// guard on a name is refused without a query; an IP literal is returned
// as it is.
func (d *Dialer) LookupHost(ctx context.Context, host string) ([]string, error) {
	if err := d.CheckHost(host); err != nil {
		return nil, err
	}
	if a, err := netip.ParseAddr(host); err == nil {
		return []string{a.String()}, nil
	}
	if d != nil && d.LoopbackOnly && isLocalhost(host) {
		return []string{"127.0.0.1"}, nil
	}
	r := net.DefaultResolver
	if d != nil && d.Resolver != nil {
		r = d.Resolver
	}
	return r.LookupHost(ctx, host)
}

// Transport returns an HTTP transport whose every connection, proxied or
// not, goes through d. Proxies from the environment are not used: a
// proxy would resolve and connect on the scanner's behalf, out of the
// guard's sight.
func (d *Dialer) Transport(tlsConfig *tls.Config) *http.Transport {
	return &http.Transport{
		Proxy:                  nil,
		DialContext:            d.DialContext,
		TLSClientConfig:        tlsConfig,
		TLSHandshakeTimeout:    d.timeoutOr(10 * time.Second),
		ResponseHeaderTimeout:  d.timeoutOr(30 * time.Second),
		MaxResponseHeaderBytes: 64 << 10,
		ForceAttemptHTTP2:      true,
	}
}

func (d *Dialer) timeoutOr(def time.Duration) time.Duration {
	if d != nil && d.Timeout > 0 {
		return d.Timeout
	}
	return def
}
