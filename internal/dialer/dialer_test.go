package dialer

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
)

// countingResolver fails the test's expectations if it is ever asked.
func countingResolver(n *atomic.Int32) *net.Resolver {
	return &net.Resolver{PreferGo: true, Dial: func(context.Context, string, string) (net.Conn, error) {
		n.Add(1)
		return nil, errors.New("no DNS in tests")
	}}
}

func TestGuardRefusesNamesBeforeResolution(t *testing.T) {
	var asked atomic.Int32
	d := &Dialer{LoopbackOnly: true, Resolver: countingResolver(&asked)}
	for _, addr := range []string{"dc1.corp.example.com:636", "10.0.0.1:389", "[2001:db8::1]:993", "[::ffff:8.8.8.8]:53"} {
		_, err := d.DialContext(context.Background(), "tcp", addr)
		if !errors.Is(err, ErrNotLoopback) {
			t.Errorf("DialContext(%s) = %v, want refused as not loopback", addr, err)
		}
	}
	if _, err := d.LookupHost(context.Background(), "mail.example.com"); !errors.Is(err, ErrNotLoopback) {
		t.Errorf("LookupHost of a name = %v, want refused", err)
	}
	if _, err := d.Transport(nil).RoundTrip(mustRequest(t, "https://mta-sts.example.com/.well-known/mta-sts.txt")); !errors.Is(err, ErrNotLoopback) {
		t.Errorf("HTTPS to a name = %v, want refused", err)
	}
	if asked.Load() != 0 {
		t.Errorf("the resolver was asked %d times; the guard must refuse before any resolution", asked.Load())
	}
}

func TestGuardAllowsLoopback(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = l.Close() }()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			_ = c.Close()
		}
	}()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	d := &Dialer{LoopbackOnly: true}
	for _, host := range []string{"127.0.0.1", "localhost", "LOCALHOST."} {
		c, err := d.DialContext(context.Background(), "tcp", net.JoinHostPort(host, port))
		if err != nil {
			t.Errorf("dial %s: %v", host, err)
			continue
		}
		_ = c.Close()
	}
}

func TestNewReadsTheEnvironment(t *testing.T) {
	if !New(func(k string) string { return map[string]string{LoopbackEnv: "1"}[k] }).LoopbackOnly {
		t.Error("guard off with the variable set")
	}
	if New(func(string) string { return "" }).LoopbackOnly || New(nil).LoopbackOnly {
		t.Error("guard on without the variable")
	}
}

func mustRequest(t *testing.T, u string) *http.Request {
	t.Helper()
	r, err := http.NewRequestWithContext(context.Background(), http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
