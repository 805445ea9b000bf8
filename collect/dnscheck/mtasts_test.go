package dnscheck_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/preflight-scan/preflight/checks"
	"github.com/preflight-scan/preflight/collect/dnscheck"
	"github.com/preflight-scan/preflight/engine"
	"github.com/preflight-scan/preflight/internal/dialer"
	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/resolver"
	"github.com/preflight-scan/preflight/rules"
	"github.com/preflight-scan/preflight/snapshot"
)

// testCA makes a CA and a server certificate for names, valid for a day
// around now.
func testCA(t testing.TB, names ...string) (*x509.CertPool, tls.Certificate) {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	ca := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "preflight test CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, _ := x509.ParseCertificate(caDER)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	leaf := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: names[0]}, DNSNames: names,
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour), KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, leaf, caCert, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(caCert)
	return pool, tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// policyServer serves MTA-STS policies by Host over HTTPS on loopback.
func policyServer(t testing.TB, policies map[string]string, names ...string) (*x509.CertPool, string) {
	t.Helper()
	pool, cert := testCA(t, names...)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, _ := strings.Cut(r.Host, ":")
		p, ok := policies[host]
		if !ok || r.URL.Path != "/.well-known/mta-sts.txt" {
			http.NotFound(w, r)
			return
		}
		if strings.HasPrefix(p, "redirect:") {
			http.Redirect(w, r, strings.TrimPrefix(p, "redirect:"), http.StatusFound)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte(p))
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the bad-certificate case logs a handshake error
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	return pool, port
}

func stsZone(domain, txt, addr string) map[string][]suiteEntry {
	z := map[string][]suiteEntry{
		"_mta-sts." + domain:   {{TXT: strList{txt}}},
		"_smtp._tls." + domain: {{TXT: strList{"v=TLSRPTv1; rua=mailto:tls@" + domain}}},
	}
	if addr != "" {
		z["mta-sts."+domain] = []suiteEntry{{A: strList{addr}}}
	}
	return z
}

// runRule collects domains through the DNS server srv and the fetcher and
// evaluates DNS-009.
func runRule(t *testing.T, srv string, f *dnscheck.PolicyFetcher, phase string, domains ...string) *model.Report {
	t.Helper()
	cl, err := resolver.New(resolver.Config{Servers: []string{srv}, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cl.Close() }()
	var ds []dnscheck.Domain
	for _, d := range domains {
		ds = append(ds, dnscheck.Domain{Name: d, SeenIn: []string{"test"}})
	}
	dc := &dnscheck.Collector{Resolver: resolver.NewCache(cl), Name: "dns", Concurrency: 2, Domains: ds, MTASTS: f}
	rs, err := rules.Load()
	if err != nil {
		t.Fatal(err)
	}
	run, err := engine.New(engine.Options{Rules: rs, Registry: checks.Default(), Only: []string{"DNS-009"},
		Env: checks.Env{Profile: rules.DefaultProfile, Phase: phase, Now: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}})
	if err != nil {
		t.Fatal(err)
	}
	src, err := dc.Collect(context.Background(), run)
	if err != nil {
		t.Fatal(err)
	}
	_ = run.Put(&snapshot.Record{Source: &src})
	return run.Finish(engine.Meta{})
}

func TestMTASTSOverHTTPS(t *testing.T) {
	enforce := "version: STSv1\r\nmode: enforce\r\nmx: mail.enforce.test\r\nmax_age: 604800\r\n"
	testingPolicy := "version: STSv1\nmode: testing\nmx: mail.testing.test\nmax_age: 86400\n"
	ok := "version: STSv1\nmode: enforce\nmx: *.mail.protection.outlook.com\nmax_age: 86400\n"
	pool, port := policyServer(t, map[string]string{
		"mta-sts.enforce.test": enforce, "mta-sts.testing.test": testingPolicy, "mta-sts.ok.test": ok,
		"mta-sts.redirect.test": "redirect:https://mta-sts.ok.test/.well-known/mta-sts.txt",
	}, "mta-sts.enforce.test", "mta-sts.testing.test", "mta-sts.ok.test", "mta-sts.redirect.test", "mta-sts.nopolicy.test")
	zone := map[string][]suiteEntry{}
	for _, d := range []string{"enforce.test", "testing.test", "ok.test", "redirect.test", "nopolicy.test"} {
		for k, v := range stsZone(d, "v=STSv1; id=2026110101", "127.0.0.1") {
			zone[k] = v
		}
	}
	// The certificate does not name mta-sts.badcert.test; mta-sts.far.test
	// is off loopback.
	for k, v := range stsZone("badcert.test", "v=STSv1; id=1", "127.0.0.1") {
		zone[k] = v
	}
	for k, v := range stsZone("far.test", "v=STSv1; id=1", "192.0.2.1") {
		zone[k] = v
	}
	srv := startSuiteDNS(t, suiteDoc{ZoneData: zone})
	f := &dnscheck.PolicyFetcher{Dialer: &dialer.Dialer{LoopbackOnly: true}, RootCAs: pool, Port: port, Timeout: 5 * time.Second}

	rep := runRule(t, srv, f, "pre-cutover", "enforce.test", "testing.test", "ok.test")
	expect(t, rep, "DNS-009", "fail", "enforce.test", "testing.test")
	for _, fd := range rep.Findings {
		switch fd.Object.ID {
		case "enforce.test":
			if fd.Severity != "high" || !strings.Contains(fd.Message, `"mx: *.mail.protection.outlook.com"`) || !strings.Contains(fd.Message, "max_age 604800 s") || !strings.Contains(fd.Message, "TLS-RPT reports go to mailto:tls@enforce.test") {
				t.Errorf("enforce: %s %s", fd.Severity, fd.Message)
			}
		case "testing.test":
			if fd.Severity != "info" || !strings.Contains(fd.Message, "testing mode") {
				t.Errorf("testing: %s %s", fd.Severity, fd.Message)
			}
		}
	}
	post := runRule(t, srv, f, "post-cutover", "enforce.test")
	if len(post.Findings) != 1 || !strings.Contains(post.Findings[0].Message, "refuse to deliver to the new MX") {
		t.Errorf("post-cutover: %+v", post.Findings)
	}
	testingOnly := runRule(t, srv, f, "pre-cutover", "testing.test", "ok.test")
	expect(t, testingOnly, "DNS-009", "pass", "testing.test")

	// Failures to fetch are errors, never findings; a redirect is not
	// followed (RFC 8461 §3.3); the guard refuses a non-loopback address.
	for _, tc := range []struct{ domain, why string }{
		{"badcert.test", "certificate"},
		{"far.test", "loopback"},
		{"redirect.test", "302"},
	} {
		rep := runRule(t, srv, f, "pre-cutover", tc.domain)
		expect(t, rep, "DNS-009", "error")
		if c := check(rep, "DNS-009"); !strings.Contains(c.Error, tc.why) {
			t.Errorf("%s: error %q should say %q", tc.domain, c.Error, tc.why)
		}
	}
	// A 404 is a fact: the record is published without a policy.
	rep = runRule(t, srv, f, "pre-cutover", "nopolicy.test")
	expect(t, rep, "DNS-009", "fail", "nopolicy.test")
}
