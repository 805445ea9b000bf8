package ldap

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/preflight-scan/preflight/internal/urlhost"
)

// Security is how a connection is protected.
type Security int

// Connection security modes.
const (
	// LDAPS is TLS from the first byte (ldaps://, port 636).
	LDAPS Security = iota
	// StartTLS is plain LDAP upgraded with the StartTLS extended
	// operation before the bind (ldap://, port 389).
	StartTLS
	// Plaintext is LDAP without TLS: the bind password travels in clear.
	// Only with --ldap-insecure-plaintext.
	Plaintext
)

// String names the mode for people.
func (s Security) String() string {
	switch s {
	case LDAPS:
		return "LDAPS"
	case StartTLS:
		return "StartTLS"
	}
	return "plaintext"
}

// Endpoint is a parsed directory server URL.
type Endpoint struct {
	// Scheme is "ldaps" or "ldap".
	Scheme string
	// Host is the host name or IP address, without brackets.
	Host string
	// Port is the TCP port; the scheme's default when the URL has none.
	Port int
	// Security is how the connection is protected.
	Security Security
}

// ParseURL parses ldaps://host[:port] or ldap://host[:port]. An ldap://
// URL means StartTLS unless insecurePlaintext is set. URLs carrying
// credentials, a DN, attributes or a filter are refused: the base DN has
// its own flag and credentials never go in a URL.
func ParseURL(raw string, insecurePlaintext bool) (Endpoint, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return Endpoint{}, fmt.Errorf("ldap URL: %w", err)
	}
	var e Endpoint
	switch strings.ToLower(u.Scheme) {
	case "ldaps":
		e.Scheme, e.Port, e.Security = "ldaps", 636, LDAPS
	case "ldap":
		e.Scheme, e.Port, e.Security = "ldap", 389, StartTLS
		if insecurePlaintext {
			e.Security = Plaintext
		}
	default:
		return Endpoint{}, fmt.Errorf("ldap URL %q: scheme must be ldaps:// or ldap://", redactURL(u))
	}
	if u.User != nil {
		return Endpoint{}, fmt.Errorf("ldap URL %q: credentials do not belong in the URL; use --bind-user and --bind-password-env or --bind-password-file", redactURL(u))
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return Endpoint{}, fmt.Errorf("ldap URL %q: only scheme, host and port are allowed (use --base-dn for the base)", redactURL(u))
	}
	e.Host = u.Hostname()
	if e.Host == "" {
		return Endpoint{}, fmt.Errorf("ldap URL %q: no host", redactURL(u))
	}
	if err := urlhost.Check(u); err != nil {
		return Endpoint{}, fmt.Errorf("ldap URL %q: %w", redactURL(u), err)
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return Endpoint{}, fmt.Errorf("ldap URL %q: bad port %q", redactURL(u), p)
		}
		e.Port = n
	} else if strings.HasSuffix(u.Host, ":") {
		return Endpoint{}, fmt.Errorf("ldap URL %q: empty port", redactURL(u))
	}
	return e, nil
}

// Address is host:port for dialling.
func (e Endpoint) Address() string {
	return net.JoinHostPort(e.Host, strconv.Itoa(e.Port))
}

// String is the URL without credentials, with the port always written:
// "ldaps://127.0.0.1:636". It is the name of the scan's Source.
func (e Endpoint) String() string {
	return e.Scheme + "://" + e.Address()
}

// WithHost returns the endpoint for another server of the forest with the
// same scheme, port and security.
func (e Endpoint) WithHost(host string) Endpoint {
	e.Host = host
	return e
}

// redactURL renders a URL for an error message without its password.
func redactURL(u *url.URL) string {
	return u.Redacted()
}
