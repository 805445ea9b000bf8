// Package urlhost checks the host and port of a server URL (ldaps://,
// imaps://) beyond what net/url accepts: an IPv6 address must be in
// brackets (url.Parse reads "ldaps://::1" as host ":" and port 1), a
// bracketed host must be an IPv6 address, and the port must be a number
// from 1 to 65535.
package urlhost

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

// Check refuses a URL whose host or port is malformed.
func Check(u *url.URL) error {
	host := u.Host
	if strings.HasPrefix(host, "[") {
		end := strings.IndexByte(host, ']')
		if end < 0 {
			return errors.New("missing ] after the IPv6 address")
		}
		a, err := netip.ParseAddr(host[1:end])
		if err != nil || !a.Is6() {
			return errors.New("only an IPv6 address goes in brackets")
		}
		rest := host[end+1:]
		if rest != "" && !strings.HasPrefix(rest, ":") {
			return errors.New("text after the bracketed address")
		}
	} else {
		if strings.Count(host, ":") > 1 {
			return fmt.Errorf("put IPv6 addresses in brackets: %s://[%s]", u.Scheme, host)
		}
		if strings.ContainsAny(u.Hostname(), ":%[] ") {
			return errors.New("the host name holds characters a host name cannot")
		}
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("bad port %q (want 1-65535)", p)
		}
	}
	return nil
}
