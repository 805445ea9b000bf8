package dnscheck

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/preflight-scan/preflight/internal/dialer"
	"github.com/preflight-scan/preflight/mailauth/mtasts"
	"github.com/preflight-scan/preflight/resolver"
	"github.com/preflight-scan/preflight/snapshot"
)

// maxPolicyBytes bounds a policy body (RFC 8461 §3.3 lets senders bound
// it; 64 KiB is far above any real policy).
const maxPolicyBytes = 64 << 10

// PolicyFetcher fetches MTA-STS policies over HTTPS with certificate
// verification. It connects to the addresses the collector resolved for
// mta-sts.<domain> through Dialer, so the loopback guard holds, and sends
// that name as SNI and Host.
type PolicyFetcher struct {
	// Dialer opens the connections (nil: no guard).
	Dialer *dialer.Dialer
	// RootCAs verifies the server (nil: the system roots).
	RootCAs *x509.CertPool
	// Port is the HTTPS port (default "443"; tests use another).
	Port string
	// Timeout bounds one fetch (default 10s).
	Timeout time.Duration
}

// Fetch gets the policy of domain from one of addrs. A 404 is a fact
// (LookupNoData: no policy published); anything else but a 200 is a
// failure.
func (f *PolicyFetcher) Fetch(ctx context.Context, domain string, addrs []string) resolver.Answer {
	host := mtasts.PolicyHost(domain)
	port := f.Port
	if port == "" {
		port = "443"
	}
	to := f.Timeout
	if to <= 0 {
		to = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, to)
	defer cancel()
	d := f.Dialer.WithTimeout(to)
	tr := d.Transport(&tls.Config{ServerName: host, RootCAs: f.RootCAs, MinVersion: tls.VersionTLS12})
	defer tr.CloseIdleConnections()
	var lastErr error
	for _, a := range addrs {
		target := net.JoinHostPort(a, port)
		tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
			return d.DialContext(ctx, network, target)
		}
		ans, err := f.get(ctx, tr, domain, target)
		if err == nil {
			return ans
		}
		lastErr = err
		if errors.Is(err, dialer.ErrNotLoopback) {
			break
		}
	}
	if lastErr == nil {
		lastErr = errors.New("no address to connect to")
	}
	return resolver.Answer{Outcome: snapshot.LookupError, Err: lastErr.Error(), Server: host}
}

func (f *PolicyFetcher) get(ctx context.Context, tr *http.Transport, domain, target string) (resolver.Answer, error) {
	cl := &http.Client{
		Transport: tr,
		// RFC 8461 §3.3: redirects must not be followed.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, mtasts.PolicyURL(domain), nil)
	if err != nil {
		return resolver.Answer{}, fmt.Errorf("mta-sts policy: %w", err)
	}
	resp, err := cl.Do(req)
	if err != nil {
		return resolver.Answer{}, fmt.Errorf("fetch %s via %s: %w", mtasts.PolicyURL(domain), target, err)
	}
	defer func() { _ = resp.Body.Close() }()
	srv := mtasts.PolicyHost(domain) + " (" + target + ")"
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return resolver.Answer{Outcome: snapshot.LookupNoData, Err: "HTTP 404: no policy at " + mtasts.PolicyURL(domain), Server: srv}, nil
	case resp.StatusCode != http.StatusOK:
		return resolver.Answer{}, fmt.Errorf("fetch %s: HTTP %s (a policy is served with 200 and no redirect, RFC 8461 §3.3)", mtasts.PolicyURL(domain), resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxPolicyBytes+1))
	if err != nil {
		return resolver.Answer{}, fmt.Errorf("read %s: %w", mtasts.PolicyURL(domain), err)
	}
	if len(body) > maxPolicyBytes {
		return resolver.Answer{}, fmt.Errorf("%s is larger than %d bytes", mtasts.PolicyURL(domain), maxPolicyBytes)
	}
	a := resolver.Answer{Outcome: snapshot.LookupFound, Records: []string{string(body)}, Server: srv}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(strings.ToLower(ct), "text/plain") {
		a.Err = fmt.Sprintf("Content-Type %q, not text/plain (RFC 8461 §3.3)", ct)
	}
	return a, nil
}

// mtaSTSFollowUp resolves and fetches the policy when the domain publishes
// an MTA-STS record, and records the answer as an MTA-STS pseudo record.
func (c *Collector) mtaSTSFollowUp(ctx context.Context, name string, ask func(string, string) resolver.Answer, record func(string, string, resolver.Answer, bool)) {
	a := ask(mtasts.TXTName(name), "TXT")
	if a.Failed() || len(mtasts.SelectRecords(a.Records)) == 0 || c.MTASTS == nil {
		return
	}
	host := mtasts.PolicyHost(name)
	var addrs []string
	outcome := snapshot.LookupNXDomain
	for _, t := range []string{"A", "AAAA"} {
		r := ask(host, t)
		if r.Failed() {
			record(mtasts.PolicyURL(name), mtasts.PolicyType, resolver.Answer{Outcome: r.Outcome, Err: fmt.Sprintf("%s %s lookup failed: %s", t, host, r.Err), Server: r.Server}, false)
			return
		}
		if r.Outcome == snapshot.LookupNoData {
			outcome = snapshot.LookupNoData
		}
		addrs = append(addrs, r.Records...)
	}
	if len(addrs) == 0 {
		record(mtasts.PolicyURL(name), mtasts.PolicyType, resolver.Answer{Outcome: outcome, Err: host + " has no address"}, false)
		return
	}
	record(mtasts.PolicyURL(name), mtasts.PolicyType, c.MTASTS.Fetch(ctx, name, addrs), false)
}
