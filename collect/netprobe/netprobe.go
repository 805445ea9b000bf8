// Package netprobe checks the network from where the migration will run:
// TCP connects (with STARTTLS on 587 and implicit TLS on 443, 993, 995 and
// 465) to the endpoints the service needs, the certificate chain each TLS
// endpoint presents against the system roots, and records the firewall
// allow-list, the required address ranges and the number of public egress
// addresses, so that the checks can judge them from the snapshot.
package netprobe

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/preflight-scan/preflight/internal/clip"
	"github.com/preflight-scan/preflight/internal/dialer"
	"github.com/preflight-scan/preflight/internal/limits"
	"github.com/preflight-scan/preflight/netrange"
	"github.com/preflight-scan/preflight/progress"
	"github.com/preflight-scan/preflight/snapshot"
)

// Target is one host and port to probe.
type Target struct {
	Host     string
	Port     int
	Required bool
	Purpose  string
	// TLS is "implicit", "starttls" or "none"; empty picks by port
	// (TLSModeForPort).
	TLS string
}

// TLSModeForPort returns the TLS mode preflight uses on a port: STARTTLS
// on 587 and 25 is not attempted (25 is plain SMTP); implicit TLS on 443,
// 465, 993 and 995.
func TLSModeForPort(p int) string {
	switch p {
	case 587:
		return "starttls"
	case 443, 465, 993, 995:
		return "implicit"
	}
	return ""
}

// ParseTarget reads HOST:PORT, optionally prefixed with "tcp://" (plain
// connect), "tls://" (implicit TLS) or "starttls://" (SMTP STARTTLS) to
// choose the mode instead of the port.
func ParseTarget(s string) (Target, error) {
	mode := ""
	rest := strings.TrimSpace(s)
	if scheme, r, ok := strings.Cut(rest, "://"); ok {
		switch strings.ToLower(scheme) {
		case "tcp":
			mode = "none"
		case "tls":
			mode = "implicit"
		case "starttls":
			mode = "starttls"
		default:
			return Target{}, fmt.Errorf("probe %q: unknown scheme %q (want tcp, tls or starttls)", s, scheme)
		}
		rest = r
	}
	h, p, err := net.SplitHostPort(rest)
	if err != nil || h == "" {
		return Target{}, fmt.Errorf("probe %q: want HOST:PORT", s)
	}
	n, err := port(p)
	if err != nil {
		return Target{}, fmt.Errorf("probe %q: %w", s, err)
	}
	return Target{Host: h, Port: n, Required: true, Purpose: "--probe", TLS: mode}, nil
}

// Collector probes targets and records the network inputs.
type Collector struct {
	// Name names the source in the report.
	Name    string
	Targets []Target
	// Timeout bounds each connect and each protocol step (default 5s).
	Timeout time.Duration
	// Concurrency bounds the probes in flight (default 8).
	Concurrency int
	// Roots verify presented chains; nil uses the system roots.
	Roots *x509.CertPool
	// Allowlist is the firewall allow-list (nil: none given) and
	// AllowlistName its file name.
	Allowlist     []netip.Prefix
	AllowlistName string
	// Ranges are required ranges from the endpoints file.
	Ranges []snapshot.RangeRequirement
	// EgressIPs are the organisation's public egress addresses.
	EgressIPs []netip.Addr
	// Dialer resolves the probe host names and opens the connections; it
	// enforces the loopback guard before any resolution. Nil dials with
	// the system resolver and no guard.
	Dialer *dialer.Dialer
	// Progress, when set, receives progress lines.
	Progress *progress.Reporter
	// HeloName is sent in EHLO (default "preflight.invalid").
	HeloName string
	// NotProbed, when set, says why nothing is probed ("--offline"): the
	// collector then only reads its inputs (egress addresses, allow-list,
	// required ranges), dials nothing, and records the reason as the fact
	// probes_not_run, so that the probe rules say why they were not
	// assessed.
	NotProbed string
}

// Collect emits facts, ranges and one ProbeResult per target.
func (c *Collector) Collect(ctx context.Context, sink snapshot.Sink) (snapshot.Source, error) {
	start := time.Now()
	src := snapshot.Source{Name: c.Name, Kind: "tcp", Areas: []snapshot.Area{snapshot.AreaNetwork}, Status: snapshot.StatusOK}
	if src.Name == "" {
		src.Name = "network"
	}
	var n int64
	put := func(r *snapshot.Record) error {
		n++
		return sink.Put(r)
	}
	if c.EgressIPs != nil {
		if err := put(&snapshot.Record{Fact: &snapshot.Fact{Area: snapshot.AreaNetwork, Name: "egress_ips", Value: strconv.Itoa(len(c.EgressIPs))}}); err != nil {
			return src, fmt.Errorf("network: write record: %w", err)
		}
	}
	if c.Allowlist != nil {
		if err := put(&snapshot.Record{Fact: &snapshot.Fact{Area: snapshot.AreaNetwork, Name: "firewall_allowlist", Value: c.AllowlistName}}); err != nil {
			return src, fmt.Errorf("network: write record: %w", err)
		}
		for _, p := range c.Allowlist {
			if err := put(&snapshot.Record{Fact: &snapshot.Fact{Area: snapshot.AreaNetwork, Name: "firewall_allow", Value: p.String()}}); err != nil {
				return src, fmt.Errorf("network: write record: %w", err)
			}
		}
	}
	for _, rr := range c.Ranges {
		if c.Allowlist != nil {
			if p, err := netip.ParsePrefix(rr.Prefix); err == nil {
				for _, u := range netrange.Uncovered(p, c.Allowlist) {
					rr.Uncovered = append(rr.Uncovered, u.String())
				}
			}
		}
		if err := put(&snapshot.Record{Range: &rr}); err != nil {
			return src, fmt.Errorf("network: write record: %w", err)
		}
	}

	if c.NotProbed != "" {
		src.Kind = "file"
		if err := put(&snapshot.Record{Fact: &snapshot.Fact{Area: snapshot.AreaNetwork, Name: snapshot.FactProbesNotRun, Value: c.NotProbed}}); err != nil {
			return src, fmt.Errorf("network: write record: %w", err)
		}
		src.Notes = append(src.Notes, fmt.Sprintf("probes not run: %s (%d endpoints not probed)", c.NotProbed, len(c.Targets)))
		src.Objects = n
		src.DurationMS = time.Since(start).Milliseconds()
		c.Progress.Done(src.Name, n, 0, src.Status)
		return src, nil
	}

	conc := c.Concurrency
	if conc <= 0 {
		conc = 8
	}
	results := make([]*snapshot.ProbeResult, len(c.Targets))
	sem := make(chan struct{}, conc)
	var wg sync.WaitGroup
	for i, t := range c.Targets {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			results[i] = c.Probe(ctx, t)
		}()
	}
	wg.Wait()
	failed := 0
	for _, r := range results {
		if r.Outcome != snapshot.ProbeOpen {
			failed++
		}
		if err := put(&snapshot.Record{Probe: r}); err != nil {
			return src, fmt.Errorf("network: write record: %w", err)
		}
	}
	if len(c.Targets) > 0 {
		src.Notes = append(src.Notes, fmt.Sprintf("%d endpoints probed from this host, %d not open", len(c.Targets), failed))
	}
	src.Objects = n
	src.DurationMS = time.Since(start).Milliseconds()
	c.Progress.Done(src.Name, n, 0, src.Status)
	return src, nil
}

func (c *Collector) timeout() time.Duration {
	if c.Timeout <= 0 {
		return 5 * time.Second
	}
	return c.Timeout
}

// Probe connects to one target and, when its mode asks for it, negotiates
// TLS and verifies the chain.
func (c *Collector) Probe(ctx context.Context, t Target) *snapshot.ProbeResult {
	mode := t.TLS
	if mode == "" {
		mode = TLSModeForPort(t.Port)
	}
	if mode == "none" {
		mode = ""
	}
	r := &snapshot.ProbeResult{Host: t.Host, Port: t.Port, TLS: mode, Required: t.Required, Purpose: t.Purpose}
	to := c.timeout()
	// Resolve first, so that a name that does not resolve is told apart
	// from an unreachable address.
	addr := t.Host
	if err := c.Dialer.CheckHost(t.Host); err != nil {
		r.Outcome, r.Error = snapshot.ProbeError, err.Error()
		return r
	}
	if _, err := netip.ParseAddr(t.Host); err != nil {
		lctx, cancel := context.WithTimeout(ctx, to)
		addrs, err := c.Dialer.LookupHost(lctx, t.Host)
		cancel()
		if err != nil || len(addrs) == 0 {
			r.Outcome, r.Error = snapshot.ProbeDNSError, fmt.Sprintf("resolve %s: %v", t.Host, err)
			return r
		}
		addr = addrs[0]
	}
	r.Address = net.JoinHostPort(addr, strconv.Itoa(t.Port))
	began := time.Now()
	conn, err := c.Dialer.WithTimeout(to).DialContext(ctx, "tcp", r.Address)
	if err != nil {
		if errors.Is(err, dialer.ErrNotLoopback) {
			r.Outcome, r.Error = snapshot.ProbeError, err.Error()
			return r
		}
		r.Outcome, r.Error = classify(err, "connect")
		return r
	}
	defer func() { _ = conn.Close() }() // a probe: nothing was written that a close could lose
	r.RTTMS = time.Since(began).Milliseconds()
	switch mode {
	case "":
		r.Outcome = snapshot.ProbeOpen
		return r
	case "starttls":
		if err := c.startTLS(conn, to); err != nil {
			r.Outcome, r.Error = classify(err, "STARTTLS")
			return r
		}
	}
	_ = conn.SetDeadline(time.Now().Add(to))
	tc := tls.Client(conn, &tls.Config{ServerName: t.Host, InsecureSkipVerify: true, MinVersion: tls.VersionTLS12}) // #nosec G402 -- verified below against Roots
	if err := tc.HandshakeContext(ctx); err != nil {
		r.Outcome, r.Error = classify(err, "TLS handshake")
		if r.Outcome == snapshot.ProbeError {
			r.Outcome = snapshot.ProbeTLSError
		}
		return r
	}
	cs := tc.ConnectionState()
	r.Outcome = snapshot.ProbeOpen
	if len(cs.PeerCertificates) == 0 {
		r.Error = "no certificate presented"
		return r
	}
	leaf := cs.PeerCertificates[0]
	r.Issuer = leaf.Issuer.String()
	inter := x509.NewCertPool()
	for _, ic := range cs.PeerCertificates[1:] {
		inter.AddCert(ic)
	}
	opts := x509.VerifyOptions{Roots: c.Roots, Intermediates: inter}
	if _, err := netip.ParseAddr(t.Host); err != nil {
		opts.DNSName = t.Host
	}
	if _, err := leaf.Verify(opts); err != nil {
		r.Error = "certificate not trusted by the system roots: " + err.Error()
	} else {
		r.ChainTrusted = true
	}
	return r
}

// startTLS speaks SMTP up to a successful STARTTLS, with a deadline on
// every step.
func (c *Collector) startTLS(conn net.Conn, to time.Duration) error {
	br := bufio.NewReader(conn)
	step := func(send string, want string) (string, error) {
		_ = conn.SetDeadline(time.Now().Add(to))
		if send != "" {
			if _, err := io.WriteString(conn, send+"\r\n"); err != nil {
				return "", err
			}
		}
		var all strings.Builder
		for {
			lb, err := limits.ReadLine(br, nil, limits.ProbeLineBytes, "SMTP reply line", "ProbeLineBytes")
			line := string(lb)
			if err == nil {
				line += "\n"
			}
			if err != nil {
				if all.Len() == 0 && line == "" {
					return "", err
				}
				return all.String(), err
			}
			all.WriteString(line)
			if all.Len() > 16*limits.ProbeLineBytes {
				return "", &limits.Error{What: "SMTP reply", Limit: 16 * limits.ProbeLineBytes, Name: "ProbeLineBytes (x16)"}
			}
			if len(line) < 4 || line[3] != '-' {
				break
			}
		}
		resp := all.String()
		if !strings.HasPrefix(resp, want) {
			return resp, fmt.Errorf("SMTP: want %s, got %s", want, clip.Quote(strings.TrimSpace(firstLine(resp))))
		}
		return resp, nil
	}
	if _, err := step("", "220"); err != nil {
		return fmt.Errorf("greeting: %w", err)
	}
	helo := c.HeloName
	if helo == "" {
		helo = "preflight.invalid"
	}
	resp, err := step("EHLO "+helo, "250")
	if err != nil {
		return fmt.Errorf("EHLO: %w", err)
	}
	if !strings.Contains(strings.ToUpper(resp), "STARTTLS") {
		return errNoStartTLS
	}
	if _, err := step("STARTTLS", "220"); err != nil {
		return fmt.Errorf("STARTTLS: %w", err)
	}
	return nil
}

var errNoStartTLS = errors.New("server does not offer STARTTLS")

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// classify maps a network error to a probe outcome and a reason.
func classify(err error, step string) (string, string) {
	var ne net.Error
	var rec tls.RecordHeaderError
	var ae tls.AlertError
	var ce *tls.CertificateVerificationError
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return snapshot.ProbeRefused, step + ": connection refused (nothing listens, or a firewall rejects)"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return snapshot.ProbeReset, step + ": connection reset"
	case errors.As(err, &ne) && ne.Timeout(), errors.Is(err, context.DeadlineExceeded):
		return snapshot.ProbeTimeout, step + ": timed out (filtered or blocked from this network, or the server does not speak)"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		if step == "TLS handshake" {
			return snapshot.ProbeTLSError, step + ": connection closed during the handshake"
		}
		return snapshot.ProbeReset, step + ": connection closed by the server"
	case errors.As(err, &rec), errors.As(err, &ae), errors.As(err, &ce), errors.Is(err, errNoStartTLS):
		return snapshot.ProbeTLSError, step + ": " + err.Error()
	case strings.Contains(err.Error(), "SMTP:"):
		return snapshot.ProbeTLSError, step + ": " + err.Error()
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return snapshot.ProbeError, step + ": " + err.Error()
	}
	if step == "TLS handshake" {
		return snapshot.ProbeTLSError, step + ": " + err.Error()
	}
	return snapshot.ProbeError, step + ": " + err.Error()
}

// ReadFile opens path for the parsers, wrapping a failure as bad input.
func ReadFile(path string) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &snapshot.InputError{File: path, Msg: err.Error()}
	}
	return f, nil
}
