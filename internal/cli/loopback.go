package cli

import (
	"fmt"
	"net"
	"net/netip"
	"os"
)

// loopbackEnv names the environment variable that confines every network
// source to loopback. The test suite and CI set it, so that no test can
// send a DNS query or a probe off the machine by accident; a scan that
// would is refused (resolvers) or has the probe fail (targets).
const loopbackEnv = "PREFLIGHT_LOOPBACK_ONLY"

func loopbackOnly() bool { return os.Getenv(loopbackEnv) != "" }

// requireLoopback refuses a non-loopback address when loopbackEnv is set.
func requireLoopback(a netip.Addr) error {
	if loopbackOnly() && !a.IsLoopback() {
		return fmt.Errorf("%s is set and %s is not a loopback address", loopbackEnv, a)
	}
	return nil
}

// requireLoopbackServer checks a HOST:PORT server address.
func requireLoopbackServer(hostport string) error {
	if !loopbackOnly() {
		return nil
	}
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		host = hostport
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("%s is set and %s is not a loopback address", loopbackEnv, hostport)
	}
	return requireLoopback(a.Unmap())
}
