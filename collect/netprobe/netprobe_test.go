package netprobe

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/netip"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/preflight-scan/preflight/internal/dialer"
	"github.com/preflight-scan/preflight/snapshot"
)

// Every listener here binds 127.0.0.1 only.

func listen(t *testing.T) net.Listener {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	return l
}

func portOf(l net.Listener) int { return l.Addr().(*net.TCPAddr).Port }

// serveEach runs h for every accepted connection.
func serveEach(l net.Listener, h func(net.Conn)) {
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go h(c)
		}
	}()
}

// testCA returns a CA and a certificate it issued for 127.0.0.1 and
// "localhost".
func testCA(t *testing.T, cn string) (*x509.CertPool, tls.Certificate) {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caT := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, caT, caT, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	lt := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "localhost"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, KeyUsage: x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, lt, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	return pool, tls.Certificate{Certificate: [][]byte{der, caDER}, PrivateKey: key}
}

func tlsServer(t *testing.T, cert tls.Certificate) int {
	t.Helper()
	l := listen(t)
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}}
	serveEach(l, func(c net.Conn) {
		tc := tls.Server(c, cfg)
		_ = tc.Handshake()
		time.Sleep(100 * time.Millisecond)
		_ = tc.Close()
	})
	return portOf(l)
}

// smtpServer speaks SMTP up to STARTTLS, then TLS with cert; offer=false
// leaves STARTTLS out of the EHLO answer.
func smtpServer(t *testing.T, cert tls.Certificate, offer bool) int {
	t.Helper()
	l := listen(t)
	serveEach(l, func(c net.Conn) {
		defer func() { _ = c.Close() }()
		br := bufio.NewReader(c)
		_, _ = c.Write([]byte("220 test ESMTP\r\n"))
		for {
			line, err := br.ReadString('\n')
			if err != nil {
				return
			}
			switch strings.ToUpper(strings.TrimSpace(line))[:4] {
			case "EHLO":
				if offer {
					_, _ = c.Write([]byte("250-test\r\n250-SIZE 1000\r\n250 STARTTLS\r\n"))
				} else {
					_, _ = c.Write([]byte("250-test\r\n250 SIZE 1000\r\n"))
				}
			case "STAR":
				_, _ = c.Write([]byte("220 go ahead\r\n"))
				tc := tls.Server(c, &tls.Config{Certificates: []tls.Certificate{cert}})
				_ = tc.Handshake()
				time.Sleep(100 * time.Millisecond)
				return
			default:
				_, _ = c.Write([]byte("500 what\r\n"))
			}
		}
	})
	return portOf(l)
}

func closedPort(t *testing.T) int {
	t.Helper()
	l := listen(t)
	p := portOf(l)
	_ = l.Close()
	return p
}

func probe(t *testing.T, c *Collector, port int, mode string) *snapshot.ProbeResult {
	t.Helper()
	return c.Probe(context.Background(), Target{Host: "127.0.0.1", Port: port, TLS: mode, Required: true})
}

func TestProbeOutcomes(t *testing.T) {
	roots, cert := testCA(t, "Test Root")
	_, proxyCert := testCA(t, "Corp Inspection CA")
	c := &Collector{Timeout: 500 * time.Millisecond, Roots: roots}

	open := listen(t)
	serveEach(open, func(c net.Conn) { time.Sleep(200 * time.Millisecond); _ = c.Close() })
	if r := probe(t, c, portOf(open), ""); r.Outcome != snapshot.ProbeOpen {
		t.Errorf("open: %+v", r)
	}
	if r := probe(t, c, closedPort(t), ""); r.Outcome != snapshot.ProbeRefused {
		t.Errorf("closed: %+v", r)
	}

	silent := listen(t)
	serveEach(silent, func(c net.Conn) { time.Sleep(2 * time.Second); _ = c.Close() })
	if r := probe(t, c, portOf(silent), "starttls"); r.Outcome != snapshot.ProbeTimeout || !strings.Contains(r.Error, "STARTTLS") {
		t.Errorf("silent SMTP: %+v", r)
	}
	if r := probe(t, c, portOf(silent), "implicit"); r.Outcome != snapshot.ProbeTimeout {
		t.Errorf("silent TLS: %+v", r)
	}

	reset := listen(t)
	serveEach(reset, func(c net.Conn) {
		_ = c.(*net.TCPConn).SetLinger(0)
		_ = c.Close()
	})
	if r := probe(t, c, portOf(reset), "implicit"); r.Outcome != snapshot.ProbeReset {
		t.Errorf("reset: %+v", r)
	}

	good := tlsServer(t, cert)
	if r := probe(t, c, good, "implicit"); r.Outcome != snapshot.ProbeOpen || !r.ChainTrusted || !strings.Contains(r.Issuer, "Test Root") {
		t.Errorf("trusted TLS: %+v", r)
	}
	resigned := tlsServer(t, proxyCert)
	if r := probe(t, c, resigned, "implicit"); r.Outcome != snapshot.ProbeOpen || r.ChainTrusted || !strings.Contains(r.Issuer, "Corp Inspection CA") {
		t.Errorf("re-signed TLS: %+v", r)
	}
	// The system roots do not trust a test CA either.
	sys := &Collector{Timeout: 500 * time.Millisecond}
	if r := probe(t, sys, good, "implicit"); r.ChainTrusted {
		t.Errorf("system roots trusted a test CA: %+v", r)
	}

	if r := probe(t, c, smtpServer(t, cert, true), "starttls"); r.Outcome != snapshot.ProbeOpen || !r.ChainTrusted {
		t.Errorf("STARTTLS: %+v", r)
	}
	if r := probe(t, c, smtpServer(t, cert, false), "starttls"); r.Outcome != snapshot.ProbeTLSError || !strings.Contains(r.Error, "STARTTLS") {
		t.Errorf("no STARTTLS offered: %+v", r)
	}
	plain := listen(t)
	serveEach(plain, func(c net.Conn) { _, _ = c.Write([]byte("HTTP/1.0 400 no\r\n\r\n")); _ = c.Close() })
	if r := probe(t, c, portOf(plain), "implicit"); r.Outcome != snapshot.ProbeTLSError {
		t.Errorf("not TLS: %+v", r)
	}
	// Names resolve through a loopback port where nothing listens: no
	// query leaves the host.
	dead := closedPort(t)
	c.Dialer = &dialer.Dialer{Resolver: &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "tcp", "127.0.0.1:"+strconv.Itoa(dead))
	}}}
	if r := c.Probe(context.Background(), Target{Host: "name.invalid", Port: 443}); r.Outcome != snapshot.ProbeDNSError {
		t.Errorf("unresolvable: %+v", r)
	}
}

// TestProbeFiltered emulates a filtering firewall on loopback: Linux drops
// the SYNs that reach a listener whose accept queue is full, so a connect
// gets no answer at all and must be reported as timed out (filtered), not
// refused or reset.
func TestProbeFiltered(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("emulating a filter needs Linux's full accept queue behaviour")
	}
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = syscall.Close(fd) }()
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	// Backlog 0: the queue holds one connection, and nothing accepts.
	if err := syscall.Listen(fd, 0); err != nil {
		t.Fatal(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	port := sa.(*syscall.SockaddrInet4).Port
	// Fill the queue until a connect goes unanswered.
	var fill []net.Conn
	defer func() {
		for _, c := range fill {
			_ = c.Close()
		}
	}()
	full := false
	for i := 0; i < 16 && !full; i++ {
		c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), 200*time.Millisecond)
		var ne net.Error
		switch {
		case err == nil:
			fill = append(fill, c)
		case errors.As(err, &ne) && ne.Timeout():
			full = true
		default:
			t.Fatalf("filling the accept queue: %v", err)
		}
	}
	if !full {
		t.Fatalf("the kernel answered %d connects to a listener that accepts nothing", len(fill))
	}
	c := &Collector{Timeout: 300 * time.Millisecond}
	for _, mode := range []string{"", "implicit", "starttls"} {
		r := probe(t, c, port, mode)
		if r.Outcome != snapshot.ProbeTimeout || !strings.HasPrefix(r.Error, "connect: timed out") || r.RTTMS != 0 {
			t.Errorf("mode %q: want a connect timeout, got %+v", mode, r)
		}
	}
}

// TestClassifyTimeouts checks that every way a step can time out (the
// dialer's own timeout, an expired deadline, the context's deadline) is
// reported as a timeout of that step.
func TestClassifyTimeouts(t *testing.T) {
	ctx, cancel := context.WithDeadline(context.Background(), time.Unix(0, 0))
	defer cancel()
	var d net.Dialer
	_, ctxErr := d.DialContext(ctx, "tcp", "127.0.0.1:1")
	for name, err := range map[string]error{
		"dial timeout":     &net.OpError{Op: "dial", Net: "tcp", Err: os.ErrDeadlineExceeded},
		"read deadline":    fmt.Errorf("greeting: %w", &net.OpError{Op: "read", Net: "tcp", Err: os.ErrDeadlineExceeded}),
		"context deadline": context.DeadlineExceeded,
		"expired dial ctx": ctxErr,
	} {
		outcome, reason := classify(err, "connect")
		if outcome != snapshot.ProbeTimeout || !strings.HasPrefix(reason, "connect: timed out") {
			t.Errorf("%s (%v): %s, %q", name, err, outcome, reason)
		}
	}
}

func TestCollectRecords(t *testing.T) {
	allow := []netip.Prefix{netip.MustParsePrefix("40.107.0.0/17")}
	c := &Collector{
		Targets:   []Target{{Host: "127.0.0.1", Port: closedPort(t), Required: true}},
		Allowlist: allow, AllowlistName: "fw.txt",
		Ranges:    []snapshot.RangeRequirement{{Prefix: "40.107.0.0/16", Service: "set 9"}},
		EgressIPs: []netip.Addr{netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("192.0.2.2")},
		Timeout:   300 * time.Millisecond,
	}
	var recs []snapshot.Record
	src, err := c.Collect(context.Background(), snapshot.SinkFunc(func(r *snapshot.Record) error { recs = append(recs, *r); return nil }))
	if err != nil || src.Status != snapshot.StatusOK || src.Objects != int64(len(recs)) {
		t.Fatalf("src %+v err %v", src, err)
	}
	var facts []string
	for _, r := range recs {
		switch {
		case r.Fact != nil:
			facts = append(facts, r.Fact.Name+"="+r.Fact.Value)
		case r.Range != nil:
			if strings.Join(r.Range.Uncovered, ",") != "40.107.128.0/17" {
				t.Errorf("range uncovered %v", r.Range.Uncovered)
			}
		case r.Probe != nil:
			if r.Probe.Outcome != snapshot.ProbeRefused {
				t.Errorf("probe %+v", r.Probe)
			}
		}
	}
	if strings.Join(facts, " ") != "egress_ips=2 firewall_allowlist=fw.txt firewall_allow=40.107.0.0/17" {
		t.Errorf("facts %v", facts)
	}
	w := errors.New("disk full")
	if _, err := c.Collect(context.Background(), snapshot.SinkFunc(func(*snapshot.Record) error { return w })); !errors.Is(err, w) {
		t.Errorf("sink error not returned: %v", err)
	}
}
