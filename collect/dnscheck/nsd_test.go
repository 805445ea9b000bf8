package dnscheck_test

// Integration tests against a real authoritative DNS server: NSD on a
// loopback port, serving testdata/dns (scripts/nsd.sh). They run the
// collectors and the rules end to end and check, per rule, the domains
// that must be flagged and the near misses that must not. Skipped when nsd
// is not installed.

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/preflight-scan/preflight/checks"
	"github.com/preflight-scan/preflight/collect/dnsbl"
	"github.com/preflight-scan/preflight/collect/dnscheck"
	"github.com/preflight-scan/preflight/engine"
	"github.com/preflight-scan/preflight/internal/dialer"
	"github.com/preflight-scan/preflight/internal/golden"
	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/resolver"
	"github.com/preflight-scan/preflight/rules"
	"github.com/preflight-scan/preflight/snapshot"
)

func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// freePort returns a loopback port free for both UDP and TCP.
func freePort(t testing.TB) int {
	t.Helper()
	for i := 0; i < 20; i++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		p := l.Addr().(*net.TCPAddr).Port
		u, err := net.ListenPacket("udp", "127.0.0.1:"+strconv.Itoa(p))
		_ = l.Close() // only probing whether the port is free
		if err == nil {
			_ = u.Close()
			return p
		}
	}
	t.Fatal("no free loopback port")
	return 0
}

// shared is the one NSD of this test binary, started by the first test
// that needs it and stopped by TestMain.
var shared struct {
	once sync.Once
	addr string
	work string
	err  error
	skip string
}

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if shared.work != "" {
		_ = exec.Command("sh", filepath.Join(repoRoot(), "scripts", "nsd.sh"), "stop", shared.work).Run()
		_ = os.RemoveAll(shared.work)
	}
	os.Exit(code)
}

// startNSD returns the address (127.0.0.1:PORT) of NSD serving
// testdata/dns, starting it on first use; it skips the test when nsd is
// not installed or PREFLIGHT_NO_INTEGRATION is set.
func startNSD(t testing.TB) string {
	t.Helper()
	if os.Getenv("PREFLIGHT_NO_INTEGRATION") != "" {
		t.Skip("PREFLIGHT_NO_INTEGRATION set: integration test against nsd skipped")
	}
	shared.once.Do(func() {
		if _, err := exec.LookPath("nsd"); err != nil {
			if _, err := os.Stat("/usr/sbin/nsd"); err != nil {
				shared.skip = "nsd not installed (apt-get install nsd): integration test skipped"
				return
			}
		}
		root := repoRoot()
		work, err := os.MkdirTemp("", "preflight-nsd")
		if err != nil {
			shared.err = err
			return
		}
		shared.work = work
		port := freePort(t)
		out, err := exec.Command("sh", filepath.Join(root, "scripts", "nsd.sh"), "start", work, strconv.Itoa(port), filepath.Join(root, "testdata", "dns")).CombinedOutput()
		if err != nil {
			shared.err = fmt.Errorf("start nsd: %w\n%s", err, out)
			return
		}
		shared.addr = "127.0.0.1:" + strconv.Itoa(port)
	})
	if shared.skip != "" {
		t.Skip(shared.skip)
	}
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.addr
}

type scan struct {
	profile, phase string
	domains        []string
	ipZones        []string
	domZones       []string
	egress         []string
	server         string
	timeout        time.Duration
	noAuth         bool
	tenant         string
	mtasts         *dnscheck.PolicyFetcher
}

// run collects from the server and evaluates every DNS and blocklist rule.
func (s scan) run(t testing.TB) *model.Report {
	t.Helper()
	to := s.timeout
	if to == 0 {
		to = 2 * time.Second
	}
	cl, err := resolver.New(resolver.Config{Servers: []string{s.server}, Timeout: to})
	if err != nil {
		t.Fatal(err)
	}
	res := resolver.NewCache(cl)
	var ds []dnscheck.Domain
	for _, d := range s.domains {
		ds = append(ds, dnscheck.Domain{Name: d, SeenIn: []string{"command line"}})
	}
	dc := &dnscheck.Collector{Resolver: res, Name: "dns", Domains: ds, Concurrency: 4, MTASTS: s.mtasts}
	if _, port, err := net.SplitHostPort(s.server); err == nil && !s.noAuth {
		// The test zones' name servers are ns.<zone> at 127.0.0.1, on the
		// test server's port.
		dc.DirectPort = port
		dc.Direct = func(srv string) resolver.Resolver {
			c, err := resolver.New(resolver.Config{Servers: []string{srv}, Timeout: to, NoRecursion: true})
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
	}
	var zs []dnsbl.Zone
	for _, z := range s.ipZones {
		zs = append(zs, dnsbl.Zone{Name: z, Kind: "ip"})
	}
	for _, z := range s.domZones {
		zs = append(zs, dnsbl.Zone{Name: z, Kind: "domain"})
	}
	bc := &dnsbl.Collector{Resolver: res, Name: "bl", Zones: zs, Subjects: func() []dnsbl.Subject {
		var ss []dnsbl.Subject
		for _, x := range dc.Subjects() {
			ss = append(ss, dnsbl.Subject{Value: x.Addr.String(), Kind: "ip", Reason: x.Reason})
		}
		for _, e := range s.egress {
			ss = append(ss, dnsbl.Subject{Value: e, Kind: "ip", Reason: "--egress-ip"})
		}
		for _, d := range s.domains {
			ss = append(ss, dnsbl.Subject{Value: d, Kind: "domain", Reason: "mail domain"})
		}
		return ss
	}}
	rs, err := rules.Load()
	if err != nil {
		t.Fatal(err)
	}
	profile, phase := s.profile, s.phase
	if profile == "" {
		profile = rules.DefaultProfile
	}
	if phase == "" {
		phase = "pre-cutover"
	}
	var only []string
	for _, r := range rs {
		if r.Category == "dns" || r.Category == "blacklist" {
			only = append(only, r.ID)
		}
	}
	run, err := engine.New(engine.Options{Rules: rs, Registry: checks.Default(), Only: only,
		Env: checks.Env{Profile: profile, Phase: phase, Tenant: s.tenant, Now: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}})
	if err != nil {
		t.Fatal(err)
	}
	cs := []snapshot.Collector{dc}
	if len(zs) > 0 {
		cs = append(cs, bc)
	}
	for _, c := range cs {
		src, err := c.Collect(context.Background(), run)
		if err != nil {
			t.Fatal(err)
		}
		_ = run.Put(&snapshot.Record{Source: &src})
	}
	return run.Finish(engine.Meta{})
}

// flagged returns, per rule, the sorted objects with findings.
func flagged(rep *model.Report) map[string][]string {
	out := map[string][]string{}
	for _, f := range rep.Findings {
		out[f.RuleID] = append(out[f.RuleID], f.Object.ID)
	}
	for k := range out {
		sort.Strings(out[k])
	}
	return out
}

func check(rep *model.Report, id string) model.Check {
	for _, c := range rep.Checks {
		if c.RuleID == id {
			return c
		}
	}
	return model.Check{}
}

func expect(t *testing.T, rep *model.Report, id string, status model.Status, objects ...string) {
	t.Helper()
	c := check(rep, id)
	if c.Status != status {
		t.Errorf("%s: status %s, want %s (error %q)", id, c.Status, status, c.Error)
	}
	got := flagged(rep)[id]
	sort.Strings(objects)
	if strings.Join(got, ",") != strings.Join(objects, ",") {
		var msgs []string
		for _, f := range rep.Findings {
			if f.RuleID == id {
				msgs = append(msgs, f.Object.ID+": "+f.Message)
			}
		}
		t.Errorf("%s: flagged %v, want %v\n%s", id, got, objects, strings.Join(msgs, "\n"))
	}
}

func TestNSDExchangeOnline(t *testing.T) {
	srv := startNSD(t)
	domains := []string{"good.test", "bad.test", "near.test", "void.test", "multi.test", "syntax.test"}
	rep := scan{server: srv, domains: domains}.run(t)
	expect(t, rep, "DNS-001", "fail", "void.test")
	expect(t, rep, "DNS-002", "fail", "bad.test")
	expect(t, rep, "DNS-003", "fail", "bad.test", "multi.test", "syntax.test", "syntax.test", "void.test")
	expect(t, rep, "DNS-004", "fail", "bad.test", "multi.test", "syntax.test", "void.test")
	expect(t, rep, "DNS-005", "fail", "bad.test", "multi.test", "syntax.test", "void.test")
	expect(t, rep, "DNS-006", "pass", "bad.test", "multi.test", "syntax.test", "void.test")
	expect(t, rep, "DNS-007", "fail", "bad.test", "multi.test", "syntax.test", "void.test")
	for _, f := range rep.Findings {
		if f.RuleID == "DNS-003" && f.Object.ID == "bad.test" && !strings.Contains(f.Message, "11 DNS lookups") {
			t.Errorf("bad.test SPF: %s (want 11 lookups)", f.Message)
		}
		if f.RuleID == "DNS-003" && f.Object.ID == "void.test" && !strings.Contains(f.Message, "3 void lookups") {
			t.Errorf("void.test SPF: %s (want 3 void lookups)", f.Message)
		}
	}

	checkGolden(t, rep, "exchange-online-pre-cutover.txt")

	post := scan{server: srv, domains: domains, phase: "post-cutover"}.run(t)
	expect(t, post, "DNS-001", "fail", "bad.test", "void.test")
	// After the cutover the MX TTL no longer matters: DNS-002 judges no
	// domain, so it is not assessed rather than passed.
	expect(t, post, "DNS-002", "skipped")
}

// TestNSDMailAuth covers DMARC (organisational fallback, external report
// destinations), DKIM (DNS-008, both CNAME forms) and MTA-STS (DNS-009,
// the policy served over HTTPS on loopback with a test CA).
func TestNSDMailAuth(t *testing.T) {
	srv := startNSD(t)
	pool, port := policyServer(t, map[string]string{
		"mta-sts.sts.test":     "version: STSv1\r\nmode: enforce\r\nmx: mail.sts.test\r\nmax_age: 1209600\r\n",
		"mta-sts.ststest.test": "version: STSv1\nmode: testing\nmx: mail.ststest.test\nmax_age: 86400\n",
	}, "mta-sts.sts.test", "mta-sts.ststest.test")
	f := &dnscheck.PolicyFetcher{Dialer: &dialer.Dialer{LoopbackOnly: true}, RootCAs: pool, Port: port, Timeout: 5 * time.Second}
	domains := []string{"dkim.test", "newdkim.test", "sts.test", "ststest.test", "mail.good.test"}
	rep := scan{server: srv, domains: domains, tenant: "fabrikam", mtasts: f}.run(t)
	expect(t, rep, "DNS-007", "fail", "newdkim.test")
	expect(t, rep, "DNS-008", "pass", "mail.good.test", "sts.test", "ststest.test")
	expect(t, rep, "DNS-009", "fail", "sts.test", "ststest.test")
	for _, fd := range rep.Findings {
		want := map[string]string{
			"DNS-007 newdkim.test": "sends reports to bad.test, which does not accept them",
			"DNS-008 sts.test":     "k1._domainkey",
			"DNS-009 sts.test":     "max_age 1209600 s (14.0 days",
			"DNS-009 ststest.test": "testing mode",
		}[fd.RuleID+" "+fd.Object.ID]
		if want != "" && !strings.Contains(fd.Message, want) {
			t.Errorf("%s %s: %q should say %q", fd.RuleID, fd.Object.ID, fd.Message, want)
		}
	}
	checkGolden(t, rep, "mailauth-pre-cutover.txt")

	// After the cutover, CNAMEs of another tenant are findings.
	post := scan{server: srv, domains: domains, tenant: "contoso", phase: "post-cutover", mtasts: f}.run(t)
	expect(t, post, "DNS-008", "fail", domains...)
	expect(t, post, "DNS-009", "fail", "sts.test", "ststest.test")
}

func TestNSDOtherProfiles(t *testing.T) {
	srv := startNSD(t)
	bpos := scan{server: srv, domains: []string{"bpos.test", "good.test"}, profile: "bpos-2010", phase: "post-cutover"}.run(t)
	expect(t, bpos, "DNS-001", "fail", "good.test")
	expect(t, bpos, "DNS-003", "fail", "good.test")
	expect(t, bpos, "DNS-004", "fail", "good.test")
	expect(t, bpos, "DNS-005", "not-applicable")

	o11 := scan{server: srv, domains: []string{"good.test", "near.test"}, profile: "office365-2011"}.run(t)
	expect(t, o11, "DNS-005", "fail", "near.test", "near.test", "near.test")
}

func TestNSDFailuresAreErrorsNotFindings(t *testing.T) {
	srv := startNSD(t)
	// refused.test is not served (REFUSED); broken.test failed to load
	// (SERVFAIL).
	rep := scan{server: srv, domains: []string{"refused.test", "broken.test"}}.run(t)
	for _, id := range []string{"DNS-001", "DNS-002", "DNS-003", "DNS-004", "DNS-005", "DNS-006", "DNS-007"} {
		expect(t, rep, id, "error")
		c := check(rep, id)
		if !strings.Contains(c.Error, "refused") || !strings.Contains(c.Error, "servfail") {
			t.Errorf("%s: error %q should name both failures", id, c.Error)
		}
	}
	if rep.Summary.Verdict != model.VerdictIncomplete {
		t.Errorf("verdict %s, want incomplete", rep.Summary.Verdict)
	}
	// A source where nothing was answered is itself failed.
	for _, s := range rep.Sources {
		if s.Name == "dns" && s.Status != snapshot.StatusError {
			t.Errorf("dns source status %s, want error (no lookup answered)", s.Status)
		}
	}
}

// silentUDP listens on a loopback UDP port and never answers.
func silentUDP(t *testing.T) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pc.Close() })
	go func() {
		buf := make([]byte, 4096)
		for {
			if _, _, err := pc.ReadFrom(buf); err != nil {
				return
			}
		}
	}()
	return pc.LocalAddr().String()
}

func TestTimeoutIsNotMissing(t *testing.T) {
	srv := silentUDP(t)
	rep := scan{server: srv, domains: []string{"good.test"}, timeout: 200 * time.Millisecond}.run(t)
	for _, id := range []string{"DNS-001", "DNS-003", "DNS-007"} {
		expect(t, rep, id, "error")
		if c := check(rep, id); !strings.Contains(c.Error, "timeout") {
			t.Errorf("%s: error %q should say timeout", id, c.Error)
		}
	}
}

func TestNSDBlocklists(t *testing.T) {
	srv := startNSD(t)
	// mail.bad.test (192.0.2.10 and 2001:db8::25) is listed; good.test's
	// MX address and the egress address are not.
	rep := scan{server: srv, domains: []string{"bad.test", "good.test"}, egress: []string{"192.0.2.99"},
		ipZones: []string{"dnsbl.test"}, domZones: []string{"dbl.test"}}.run(t)
	expect(t, rep, "BL-001", "fail", "192.0.2.10", "2001:db8::25")
	expect(t, rep, "BL-002", "fail", "bad.test")

	clean := scan{server: srv, domains: []string{"good.test"}, egress: []string{"192.0.2.99"},
		ipZones: []string{"dnsbl.test"}, domZones: []string{"dbl.test"}}.run(t)
	expect(t, clean, "BL-001", "pass")
	expect(t, clean, "BL-002", "pass")

	for _, z := range []struct{ zone, why string }{
		{"refusing.test", "127.255.255.254"},
		{"world.test", "lists everything"},
		{"dead.test", "does not list the RFC 5782 test entry"},
		{"refused-zone.test", "refused"},
	} {
		rep := scan{server: srv, domains: []string{"bad.test"}, ipZones: []string{z.zone}, domZones: []string{z.zone}}.run(t)
		for _, id := range []string{"BL-001", "BL-002"} {
			expect(t, rep, id, "error")
			if c := check(rep, id); !strings.Contains(c.Error, z.why) {
				t.Errorf("%s on %s: error %q should say %q", id, z.zone, c.Error, z.why)
			}
		}
	}
}

// checkGolden compares the findings (rule, severity, object, message) and
// the check statuses with a golden file under testdata/dns/golden;
// -update rewrites it.
func checkGolden(t *testing.T, rep *model.Report, name string) {
	t.Helper()
	var lines []string
	for _, c := range rep.Checks {
		lines = append(lines, fmt.Sprintf("check %s %s", c.RuleID, c.Status))
	}
	for _, f := range rep.Findings {
		lines = append(lines, fmt.Sprintf("finding %s %s %s: %s", f.RuleID, f.Severity, f.Object.ID, f.Message))
	}
	sort.Strings(lines)
	got := strings.Join(lines, "\n") + "\n"
	golden.Check(t, filepath.Join("..", "..", "testdata", "dns", "golden", name), []byte(got))
}
