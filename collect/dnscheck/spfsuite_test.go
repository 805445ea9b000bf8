package dnscheck_test

// The openspf conformance suites (testdata/spf-suite, RFC 7208 and
// RFC 4408, BSD licence beside them) run against the static SPF check
// DNS-003: each suite's zone data is served by an in-process DNS server on
// a loopback port, the DNS collector scans the scenario's domain through
// it and the engine evaluates DNS-003. A static checker has no sender
// address, so each expected result maps onto what it must say:
// permerror → a finding naming the defect; temperror → the check errors;
// pass, fail, softfail, neutral, none → no defect of the record. The
// scenarios that depend on the sender (or on explanation text) are listed
// with the reason in testdata/spf-suite/NOT-APPLICABLE.md.

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"
	"go.yaml.in/yaml/v3"

	"github.com/preflight-scan/preflight/checks"
	"github.com/preflight-scan/preflight/collect/dnscheck"
	"github.com/preflight-scan/preflight/engine"
	"github.com/preflight-scan/preflight/mailauth/spf"
	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/resolver"
	"github.com/preflight-scan/preflight/rules"
	"github.com/preflight-scan/preflight/snapshot"
)

type suiteDoc struct {
	Description string                  `yaml:"description"`
	Tests       map[string]suiteTest    `yaml:"tests"`
	ZoneData    map[string][]suiteEntry `yaml:"zonedata"`
}

type suiteTest struct {
	Helo     string  `yaml:"helo"`
	Host     string  `yaml:"host"`
	MailFrom string  `yaml:"mailfrom"`
	Result   strList `yaml:"result"`
	Spec     strList `yaml:"spec"`
}

// suiteEntry is one record of zone data; only one field is set.
type suiteEntry struct {
	A         strList  `yaml:"A"`
	AAAA      strList  `yaml:"AAAA"`
	MX        []any    `yaml:"MX"`
	SPF       strList  `yaml:"SPF"`
	TXT       strList  `yaml:"TXT"`
	PTR       strList  `yaml:"PTR"`
	CNAME     strList  `yaml:"CNAME"`
	TIMEOUT   bool     `yaml:"TIMEOUT"`
	SERVFAIL  bool     `yaml:"SERVFAIL"`
	CNAMELOOP bool     `yaml:"CNAMELOOP"`
	Other     []string `yaml:"-"`
}

// strList takes a scalar or a sequence of strings.
type strList []string

func (s *strList) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.SequenceNode {
		var l []string
		if err := n.Decode(&l); err != nil {
			return err
		}
		*s = l
		return nil
	}
	var one string
	if err := n.Decode(&one); err != nil {
		return err
	}
	*s = []string{one}
	return nil
}

// suiteZone answers like a recursive resolver over a suite's zone data.
type suiteZone struct {
	names map[string][]suiteEntry
}

func (z *suiteZone) serve(w dns.ResponseWriter, req *dns.Msg) {
	m := new(dns.Msg)
	m.SetReply(req)
	m.RecursionAvailable = true
	if len(req.Question) != 1 {
		m.Rcode = dns.RcodeFormatError
		_ = w.WriteMsg(m)
		return
	}
	q := req.Question[0]
	name := strings.ToLower(q.Name)
	for hops := 0; ; hops++ {
		entries, ok := z.names[strings.TrimSuffix(spf.UnescapeTXT(name), ".")]
		if !ok {
			if hops == 0 {
				m.Rcode = dns.RcodeNameError
			}
			break
		}
		var cname string
		hasTXT := false
		for _, e := range entries {
			hasTXT = hasTXT || hasTXTData(e)
		}
		for _, e := range entries {
			switch {
			case e.TIMEOUT && !(hasTXT && q.Qtype == dns.TypeTXT):
				// A name with TXT data and TIMEOUT times out for the
				// obsolete type SPF only ("spftimeout"): TXT answers.
				return // no answer at all
			case e.SERVFAIL, e.CNAMELOOP:
				m.Rcode = dns.RcodeServerFailure
				m.Answer = nil
				_ = w.WriteMsg(m)
				return
			case len(e.CNAME) > 0:
				cname = dns.Fqdn(e.CNAME[0])
			}
		}
		if cname != "" && q.Qtype != dns.TypeCNAME {
			if hops > 8 {
				m.Rcode = dns.RcodeServerFailure
				m.Answer = nil
				break
			}
			m.Answer = append(m.Answer, &dns.CNAME{Hdr: hdr(name, dns.TypeCNAME), Target: cname})
			name = strings.ToLower(cname)
			continue
		}
		m.Answer = append(m.Answer, z.records(name, q.Qtype, entries)...)
		break
	}
	_ = w.WriteMsg(m)
}

func hdr(name string, t uint16) dns.RR_Header {
	return dns.RR_Header{Name: name, Rrtype: t, Class: dns.ClassINET, Ttl: 300}
}

func (z *suiteZone) records(name string, qt uint16, entries []suiteEntry) []dns.RR {
	var out []dns.RR
	hasTXT := false
	for _, e := range entries {
		hasTXT = hasTXT || hasTXTData(e)
	}
	for _, e := range entries {
		switch qt {
		case dns.TypeA:
			for _, a := range e.A {
				out = append(out, &dns.A{Hdr: hdr(name, qt), A: net.ParseIP(a)})
			}
		case dns.TypeAAAA:
			for _, a := range e.AAAA {
				out = append(out, &dns.AAAA{Hdr: hdr(name, qt), AAAA: net.ParseIP(a)})
			}
		case dns.TypeMX:
			if len(e.MX) == 2 {
				p, _ := e.MX[0].(int)
				h, _ := e.MX[1].(string)
				out = append(out, &dns.MX{Hdr: hdr(name, qt), Preference: uint16(p), Mx: dns.Fqdn(h)})
			}
		case dns.TypeTXT:
			// Old scenarios publish type SPF only: served as TXT, strings
			// of one record (as the suite's own drivers do).
			src := e.TXT
			if !hasTXTData(e) {
				src = nil
			}
			if !hasTXT {
				src = e.SPF
			}
			if len(src) > 0 {
				var ss []string
				for _, s := range src {
					ss = append(ss, splitTXT(spf.EscapeTXT(s))...)
				}
				out = append(out, &dns.TXT{Hdr: hdr(name, qt), Txt: ss})
			}
		}
	}
	return out
}

// hasTXTData reports whether the entry is TXT data ("TXT: NONE" marks a
// name whose TXT lookup fails as the other entries say).
func hasTXTData(e suiteEntry) bool {
	return len(e.TXT) > 0 && !(len(e.TXT) == 1 && e.TXT[0] == "NONE")
}

// splitTXT cuts a presentation-form string into strings of at most 255
// octets without splitting an escape.
func splitTXT(s string) []string {
	var out []string
	for len(s) > 0 {
		n, octets := 0, 0
		for n < len(s) && octets < 255 {
			if s[n] == '\\' && n+3 < len(s) && s[n+1] >= '0' && s[n+1] <= '9' {
				n += 4
			} else if s[n] == '\\' {
				n += 2
			} else {
				n++
			}
			octets++
		}
		out = append(out, s[:n])
		s = s[n:]
	}
	return out
}

func startSuiteDNS(t *testing.T, doc suiteDoc) string {
	t.Helper()
	z := &suiteZone{names: map[string][]suiteEntry{}}
	for n, es := range doc.ZoneData {
		k := strings.ToLower(strings.TrimSuffix(n, "."))
		z.names[k] = append(z.names[k], es...)
	}
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &dns.Server{PacketConn: pc, Handler: dns.HandlerFunc(z.serve)}
	started := make(chan struct{})
	srv.NotifyStartedFunc = func() { close(started) }
	go func() { _ = srv.ActivateAndServe() }()
	<-started
	t.Cleanup(func() { _ = srv.Shutdown() })
	return pc.LocalAddr().String()
}

func loadSuite(t *testing.T, file string) []suiteDoc {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	var docs []suiteDoc
	dec := yaml.NewDecoder(f)
	for {
		var d suiteDoc
		err := dec.Decode(&d)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		docs = append(docs, d)
	}
	return docs
}

// notApplicable reads NOT-APPLICABLE.md: lines "- `file` `test`: reason".
func notApplicable(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := sc.Text()
		if !strings.HasPrefix(l, "- `") {
			continue
		}
		parts := strings.SplitN(l, "`", 5)
		if len(parts) < 5 {
			t.Fatalf("%s: malformed line %q", path, l)
		}
		reason := strings.TrimSpace(strings.TrimPrefix(parts[4], ":"))
		if reason == "" {
			t.Fatalf("%s: %q gives no reason", path, l)
		}
		out[parts[1]+" "+parts[3]] = reason
	}
	return out
}

// staticVerdict is what DNS-003 said about a domain: "error", "defect"
// (a finding about the record) or "clean" (none, or only a missing
// record or include).
type staticVerdict struct {
	kind string
	text string
}

func runStatic(t *testing.T, srv string, rs []*rules.Rule, domain string) staticVerdict {
	t.Helper()
	cl, err := resolver.New(resolver.Config{Servers: []string{srv}, Timeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cl.Close() }()
	dc := &dnscheck.Collector{Resolver: resolver.NewCache(cl), Name: "dns", Concurrency: 1,
		Domains: []dnscheck.Domain{{Name: domain, SeenIn: []string{"suite"}}}}
	run, err := engine.New(engine.Options{Rules: rs, Registry: checks.Default(), Only: []string{"DNS-003"},
		Env: checks.Env{Profile: rules.DefaultProfile, Phase: "pre-cutover", Now: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}})
	if err != nil {
		t.Fatal(err)
	}
	src, err := dc.Collect(context.Background(), run)
	if err != nil {
		t.Fatal(err)
	}
	_ = run.Put(&snapshot.Record{Source: &src})
	rep := run.Finish(engine.Meta{})
	c := check(rep, "DNS-003")
	if c.Status == model.StatusError {
		return staticVerdict{"error", c.Error}
	}
	var msgs []string
	for _, f := range rep.Findings {
		if f.RuleID != "DNS-003" {
			continue
		}
		if strings.Contains(f.Message, "(no TXT starting with v=spf1)") || strings.Contains(f.Message, "does not include") {
			continue
		}
		msgs = append(msgs, f.Message)
	}
	if len(msgs) > 0 {
		return staticVerdict{"defect", strings.Join(msgs, " | ")}
	}
	return staticVerdict{"clean", fmt.Sprintf("status %s", c.Status)}
}

// agrees maps the expected results onto the static verdict.
func agrees(results []string, v staticVerdict) bool {
	for _, r := range results {
		switch r {
		case "permerror":
			if v.kind == "defect" {
				return true
			}
		case "temperror":
			if v.kind == "error" {
				return true
			}
		default:
			if v.kind == "clean" {
				return true
			}
		}
	}
	return false
}

func scenarioDomain(tc suiteTest) string {
	if tc.MailFrom != "" {
		if i := strings.LastIndexByte(tc.MailFrom, '@'); i >= 0 {
			return tc.MailFrom[i+1:]
		}
		return tc.MailFrom
	}
	return tc.Helo
}

func TestSPFConformanceSuites(t *testing.T) {
	dir := filepath.Join(repoRoot(), "testdata", "spf-suite")
	na := notApplicable(t, filepath.Join(dir, "NOT-APPLICABLE.md"))
	rs, err := rules.Load()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var agree, disagree, skipped int
	var mu sync.Mutex
	var bad []string
	for _, file := range []string{"rfc7208-tests.yml", "rfc4408-tests.yml"} {
		for _, doc := range loadSuite(t, filepath.Join(dir, file)) {
			srv := startSuiteDNS(t, doc)
			names := make([]string, 0, len(doc.Tests))
			for n := range doc.Tests {
				names = append(names, n)
			}
			sort.Strings(names)
			for _, name := range names {
				tc := doc.Tests[name]
				key := file + " " + name
				seen[key] = true
				if _, ok := na[key]; ok {
					skipped++
					continue
				}
				v := runStatic(t, srv, rs, scenarioDomain(tc))
				mu.Lock()
				if agrees(tc.Result, v) {
					agree++
					if v.kind == "defect" && !strings.Contains(v.text, "RFC 7208 §") {
						bad = append(bad, fmt.Sprintf("%s %s: the finding names no RFC 7208 section: %s", file, name, v.text))
					}
				} else {
					disagree++
					bad = append(bad, fmt.Sprintf("%s %s (%s, spec %s): want %v, static check says %s: %s",
						file, name, scenarioDomain(tc), strings.Join(tc.Spec, ","), []string(tc.Result), v.kind, v.text))
				}
				mu.Unlock()
			}
		}
	}
	for k := range na {
		if !seen[k] {
			t.Errorf("NOT-APPLICABLE.md names %q, which is in no suite", k)
		}
	}
	t.Logf("SPF conformance: %d scenarios, %d agree, %d disagree, %d not applicable", agree+disagree+skipped, agree, disagree, skipped)
	for _, b := range bad {
		t.Error(b)
	}
}
