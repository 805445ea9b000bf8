package cli

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/preflight-scan/preflight/collect/dnscheck"
	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/snapshot"
)

// selfSignedTLS listens on loopback with a self-signed certificate, as a
// TLS-inspecting proxy would present one.
func selfSignedTLS(t *testing.T) int {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "Corp Inspection CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	l, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() { _ = c.(*tls.Conn).Handshake(); time.Sleep(50 * time.Millisecond); _ = c.Close() }()
		}
	}()
	return l.Addr().(*net.TCPAddr).Port
}

func TestNetworkScanLoopback(t *testing.T) {
	dir := t.TempDir()
	closed, _ := net.Listen("tcp", "127.0.0.1:0")
	closedPort := closed.Addr().(*net.TCPAddr).Port
	_ = closed.Close()
	open, _ := net.Listen("tcp", "127.0.0.1:0")
	defer func() { _ = open.Close() }()
	openPort := open.Addr().(*net.TCPAddr).Port
	tlsPort := selfSignedTLS(t)

	eps := `[{"id":9,"serviceArea":"Exchange","urls":["127.0.0.1"],"ips":["40.107.0.0/16","2a01:111:f403::/48"],"tcpPorts":"` +
		strconv.Itoa(openPort) + `,` + strconv.Itoa(closedPort) + `","category":"Allow","required":true},
	 {"id":6,"serviceArea":"Exchange","urls":["127.0.0.1"],"ips":["10.0.0.0/8"],"tcpPorts":"1","category":"Allow","required":false}]`
	epFile := filepath.Join(dir, "endpoints.json")
	fwFile := filepath.Join(dir, "fw.txt")
	if err := os.WriteFile(epFile, []byte(eps), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(fwFile, []byte("# firewall\n40.107.0.0/17\n2a01:111:f403::/48 # EXO\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	code, _, stderr := runCLI(t, nil, "scan", "--quiet", "--format", "json", "--out", out,
		"--endpoints", epFile, "--firewall-allowlist", fwFile, "--probe", "tls://127.0.0.1:"+strconv.Itoa(tlsPort),
		"--egress-ip", "192.0.2.1", "--dnsbl-zone", "none", "--probe-timeout", "2s")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rep := readReport(t, filepath.Join(out, "report.json"))
	st := map[string]model.Check{}
	for _, c := range rep.Checks {
		st[c.RuleID] = c
	}
	got := map[string][]string{}
	for _, f := range rep.Findings {
		got[f.RuleID] = append(got[f.RuleID], f.Object.ID+" "+f.Message)
	}
	if st["NET-001"].Status != model.StatusFail || len(got["NET-001"]) != 1 || !strings.Contains(got["NET-001"][0], "refused") {
		t.Errorf("NET-001 %s %v", st["NET-001"].Status, got["NET-001"])
	}
	if st["NET-002"].Status != model.StatusFail || len(got["NET-002"]) != 1 || !strings.Contains(got["NET-002"][0], "40.107.128.0/17") {
		t.Errorf("NET-002 %s %v", st["NET-002"].Status, got["NET-002"])
	}
	if st["NET-004"].Status != model.StatusFail || len(got["NET-004"]) != 1 || !strings.Contains(got["NET-004"][0], "Corp Inspection CA") {
		t.Errorf("NET-004 %s %v", st["NET-004"].Status, got["NET-004"])
	}
	if st["NET-003"].Status != model.StatusSkipped {
		t.Errorf("NET-003 %s %q (no directory: not assessed)", st["NET-003"].Status, st["NET-003"].Error)
	}
}

func TestNetworkBadInputExit2(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "fw.txt")
	_ = os.WriteFile(bad, []byte("10.0.0.0/8\n\n10.0.0.1/8\n"), 0o600)
	badEP := filepath.Join(dir, "e.json")
	_ = os.WriteFile(badEP, []byte(`[{"id":1,"tcpPorts":"443-80"}]`), 0o600)
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--firewall-allowlist", bad}, "fw.txt:3"},
		{[]string{"--firewall-allowlist", filepath.Join(dir, "missing")}, "missing"},
		{[]string{"--endpoints", badEP}, "runs backwards"},
		{[]string{"--egress-ip", "300.1.1.1"}, "--egress-ip"},
		{[]string{"--probe", "nope"}, "HOST:PORT"},
		{[]string{"--probe", "ftp://127.0.0.1:21"}, "unknown scheme"},
		{[]string{"--domain", "bad domain"}, "not a domain"},
		{[]string{"--domain", "a" + strings.Repeat("b", 63) + ".com"}, "above the limit of 63"},
		{[]string{"--domain", "example.-com"}, "hyphen"},
		{[]string{"--domain", "mail.example.123"}, "all digits"},
		{[]string{"--domain", "contoso"}, "no top-level domain"},
		{[]string{"--domain", "contoso..com"}, "empty label"},
		{[]string{"--domain", "example.com", "--tenant", "fab_rikam"}, "--tenant"},
		{[]string{"--domain", "example.com", "--tenant", "-fabrikam"}, "prefix of the tenant's initial domain"},
		{[]string{"--domain", strings.Repeat("abcdefghi.", 26) + "com"}, "above the limit of 253"},
		{[]string{"--domain", "example.com", "--resolver", "127.0.0.1:0"}, "bad port"},
		{[]string{"--domain", "example.com", "--dnsbl-zone", "x y"}, "not a DNS zone"},
	} {
		out := filepath.Join(dir, "out")
		code, _, stderr := runCLI(t, nil, append([]string{"scan", "--quiet", "--out", out}, tc.args...)...)
		if code != ExitUsage || !strings.Contains(stderr, tc.msg) {
			t.Errorf("%v: exit %d, stderr %q (want 2 and %q)", tc.args, code, stderr, tc.msg)
		}
		if _, err := os.Stat(filepath.Join(out, "report.json")); err == nil {
			t.Errorf("%v: report written on bad input", tc.args)
		}
	}
}

func TestDomainsFromDirectory(t *testing.T) {
	tally := snapshot.NewTally()
	for _, r := range []*snapshot.Record{
		dirUser("ann", "ann@contoso.com", map[string][]string{"proxyaddresses": {"SMTP:ann@contoso.com", "smtp:ann@fabrikam.com", "smtp:ann@contoso.onmicrosoft.com"}}),
		dirUser("bob", "bob@contoso.com", nil),
		// Malformed domains are DIR-002 findings, never looked up.
		dirUser("eve", "eve@contoso.com", map[string][]string{"proxyaddresses": {"smtp:eve@bad_domain.com", "smtp:eve@mail.example.-com", "smtp:eve@host.123"}}),
	} {
		_ = tally.Put(r)
	}
	conf := filepath.Join(t.TempDir(), "resolv.conf")
	_ = os.WriteFile(conf, []byte("nameserver 127.0.0.1\n"), 0o600)
	o := &networkOptions{DNSTimeout: time.Second, DNSConcurrency: 1, DNSDeadline: time.Minute, ProbeTimeout: time.Second, resolvConf: conf}
	cs, err := networkCollectors(o, &runEnv{}, tally)
	if err != nil {
		t.Fatal(err)
	}
	var ds []string
	for _, c := range cs {
		if dc, ok := c.(*dnscheck.Collector); ok {
			for _, d := range dc.Domains {
				ds = append(ds, d.Name+"="+strings.Join(d.SeenIn, "+"))
			}
			if !strings.Contains(dc.Name, "127.0.0.1:53") {
				t.Errorf("source name %q should name the resolver from resolv.conf", dc.Name)
			}
		}
	}
	if strings.Join(ds, " ") != "contoso.com=UPN suffix+proxy address fabrikam.com=proxy address" {
		t.Errorf("domains %v", ds)
	}
	// --domain replaces discovery.
	o.Domains = listFlag{"Example.ORG."}
	cs, _ = networkCollectors(o, &runEnv{}, tally)
	if dc := cs[0].(*dnscheck.Collector); len(dc.Domains) != 1 || dc.Domains[0].Name != "example.org" || dc.Domains[0].SeenIn[0] != "command line" {
		t.Errorf("--domain: %+v", dc.Domains)
	}
}

// TestProbeDefaultsTargets checks which endpoints --probe-defaults would
// probe, without probing them.
func TestProbeDefaultsTargets(t *testing.T) {
	params, err := readCollectorTables(&runEnv{})
	if err != nil {
		t.Fatal(err)
	}
	o := &networkOptions{ProbeDefaults: true, ProbeTimeout: time.Second}
	c, err := o.netprobe(&runEnv{}, params.net001, []dnscheck.Domain{{Name: "contoso.com"}}, nil, nil)
	if err != nil || c == nil {
		t.Fatal(c, err)
	}
	var got []string
	for _, tg := range c.Targets {
		got = append(got, tg.Host+":"+strconv.Itoa(tg.Port))
	}
	want := "outlook.office365.com:443 smtp.office365.com:587 outlook.office365.com:995 contoso-com.mail.protection.outlook.com:25"
	if strings.Join(got, " ") != want {
		t.Errorf("targets %v, want %s", got, want)
	}
	// Nothing asked: no network collector at all.
	if c, _ := (&networkOptions{}).netprobe(&runEnv{}, params.net001, nil, nil, nil); c != nil {
		t.Errorf("collector without any network input: %+v", c)
	}
}

// --offline with an endpoints file (Microsoft's endpoint web service
// format) and a firewall allow-list evaluates NET-002, which is
// arithmetic over the two files, and probes nothing: NET-001 and NET-004
// are not assessed, saying why, and not one connection is made, not even
// to an endpoint on loopback. The flags that need the network are still
// refused under --offline.
func TestOfflineAllowlistCoverage(t *testing.T) {
	dir := t.TempDir()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = l.Close() }()
	accepted := make(chan struct{}, 16)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			accepted <- struct{}{}
			_ = c.Close()
		}
	}()
	eps, err := os.ReadFile(filepath.Join("testdata", "network", "endpoints-worldwide.json"))
	if err != nil {
		t.Fatal(err)
	}
	// One more required set, on loopback: a probe would connect to it.
	local := `{"id":99,"serviceArea":"Exchange","serviceAreaDisplayName":"Exchange Online","urls":["127.0.0.1"],"ips":["127.0.0.0/8"],"tcpPorts":"` +
		strconv.Itoa(l.Addr().(*net.TCPAddr).Port) + `","expressRoute":false,"category":"Allow","required":true},`
	eps = []byte(strings.Replace(string(eps), "[", "["+local, 1))
	epFile := filepath.Join(dir, "endpoints.json")
	if err := os.WriteFile(epFile, eps, 0o600); err != nil {
		t.Fatal(err)
	}
	fw := filepath.Join("testdata", "network", "firewall-allowlist.txt")
	out := filepath.Join(dir, "out")
	env := map[string]string{"PREFLIGHT_LOOPBACK_ONLY": "1"}
	code, _, stderr := runCLI(t, env, "scan", "--offline", "--quiet", "--format", "json", "--out", out,
		"--endpoints", epFile, "--firewall-allowlist", fw, "--egress-ip", "192.0.2.10")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	select {
	case <-accepted:
		t.Error("--offline connected to an endpoint")
	default:
	}
	rep := readReport(t, filepath.Join(out, "report.json"))
	st := map[string]model.Check{}
	for _, c := range rep.Checks {
		st[c.RuleID] = c
	}
	var got []string
	for _, f := range rep.Findings {
		if f.RuleID == "NET-002" {
			got = append(got, f.Object.ID)
		}
	}
	// The allow-list misses three Exchange Online /32s and /22 of set 1,
	// one EOP /32 of set 9, half of 40.107.0.0/16 and the loopback set.
	want := "127.0.0.0/8 131.253.33.215/32 150.171.32.0/22 204.79.197.215/32 40.107.0.0/16 52.238.78.88/32"
	if n2 := st["NET-002"]; n2.Status != model.StatusFail || strings.Join(got, " ") != want || n2.Evaluated < 60 {
		t.Errorf("NET-002 %s, evaluated %d, findings %v; want fail on %s", n2.Status, n2.Evaluated, got, want)
	}
	for _, id := range []string{"NET-001", "NET-004"} {
		if c := st[id]; c.Status != model.StatusSkipped || !strings.Contains(c.Error, "probes not run: --offline") {
			t.Errorf("%s: %s %q, want not assessed: probes not run: --offline", id, c.Status, c.Error)
		}
	}
	if len(rep.Sources) != 1 || rep.Sources[0].Kind != "file" || !strings.Contains(strings.Join(rep.Sources[0].Notes, " "), "probes not run: --offline") {
		t.Errorf("sources %+v", rep.Sources)
	}
	if rep.Summary.Verdict == model.VerdictReady {
		t.Errorf("verdict ready with uncovered required ranges")
	}

	for _, args := range [][]string{{"--probe", "127.0.0.1:1"}, {"--probe-defaults"}, {"--domain", "example.com"}} {
		code, _, stderr := runCLI(t, env, append([]string{"scan", "--offline", "--quiet", "--out", filepath.Join(dir, "refused"), "--firewall-allowlist", fw}, args...)...)
		if code != ExitUsage || !strings.Contains(stderr, args[0]) || !strings.Contains(stderr, "need the network") {
			t.Errorf("%v: exit %d, %q (want 2: it needs the network)", args, code, stderr)
		}
	}
}
