package netprobe

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/preflight-scan/preflight/netrange"
	"github.com/preflight-scan/preflight/snapshot"
)

func TestParseAllowlist(t *testing.T) {
	in := "# allowed\n\n40.92.0.0/15   # EXO\n 2a01:111:f400::/48\n12.129.199.61\n"
	ps, err := ParseAllowlist("fw.txt", strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range ps {
		got = append(got, p.String())
	}
	if strings.Join(got, " ") != "40.92.0.0/15 2a01:111:f400::/48 12.129.199.61/32" {
		t.Errorf("got %v", got)
	}
	for in, line := range map[string]int{"10.0.0.0/8\n10.0.0.1/8\n": 2, "# x\n\nnot-a-cidr\n": 3, "10.0.0.0/33": 1} {
		_, err := ParseAllowlist("fw.txt", strings.NewReader(in))
		var ie *snapshot.InputError
		if !errors.As(err, &ie) || ie.Line != line || !errors.Is(err, snapshot.ErrBadInput) {
			t.Errorf("%q: err %v, want InputError on line %d", in, err, line)
		}
	}
}

func TestParsePorts(t *testing.T) {
	p, err := ParsePorts("80,443, 3478-3481")
	if err != nil || len(p) != 6 || p[2] != 3478 || p[5] != 3481 {
		t.Errorf("got %v %v", p, err)
	}
	for _, bad := range []string{"0", "80,", "3481-3478", "x", "65536", "1-"} {
		if _, err := ParsePorts(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

const endpointsJSON = `[
 {"id":1,"serviceArea":"Exchange","serviceAreaDisplayName":"Exchange Online","urls":["outlook.office.com","outlook.office365.com"],"ips":["13.107.6.152/31","2603:1006::/40"],"tcpPorts":"80,443","expressRoute":true,"category":"Optimize","required":true},
 {"id":2,"serviceArea":"Exchange","urls":["smtp.office365.com"],"ips":["13.107.6.152/31"],"tcpPorts":"587","category":"Allow","required":true},
 {"id":6,"serviceArea":"Exchange","urls":["*.outlook.office.com","outlook.office365.com"],"tcpPorts":"995","category":"Allow","required":false,"notes":"POP3 migration"},
 {"id":11,"serviceArea":"Skype","ips":["13.107.64.0/18"],"udpPorts":"3478,3479,3480,3481","category":"Optimize","required":true}
]`

func TestParseEndpoints(t *testing.T) {
	eps, err := ParseEndpoints("e.json", strings.NewReader(endpointsJSON))
	if err != nil {
		t.Fatal(err)
	}
	var ts []string
	for _, x := range TargetsFromEndpoints(eps) {
		ts = append(ts, x.Host+":"+itoa(x.Port))
	}
	if strings.Join(ts, " ") != "outlook.office.com:80 outlook.office.com:443 outlook.office365.com:80 outlook.office365.com:443 smtp.office365.com:587" {
		t.Errorf("targets %v", ts)
	}
	var rs []string
	for _, r := range RangesFromEndpoints(eps) {
		rs = append(rs, r.Prefix)
	}
	if strings.Join(rs, " ") != "13.107.6.152/31 2603:1006::/40 13.107.64.0/18" {
		t.Errorf("ranges %v", rs)
	}
	for _, bad := range []string{`{}`, `[{"id":1,"tcpPorts":"80-"}]`, `[{"id":1,"ips":["1.2.3.4/40"]}]`, `[{"id":1,"category":"Fast"}]`} {
		if _, err := ParseEndpoints("e.json", strings.NewReader(bad)); !errors.Is(err, snapshot.ErrBadInput) {
			t.Errorf("%s: err %v", bad, err)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func FuzzParseAllowlist(f *testing.F) {
	f.Add("# c\n10.0.0.0/8\n::1\n")
	f.Add("1.2.3.4/33\n")
	f.Fuzz(func(t *testing.T, s string) {
		ps, err := ParseAllowlist("f", strings.NewReader(s))
		if err != nil {
			if !errors.Is(err, snapshot.ErrBadInput) {
				t.Fatalf("error not bad input: %v", err)
			}
			return
		}
		for _, p := range ps {
			if p.Masked() != p {
				t.Fatalf("unmasked prefix %s", p)
			}
			// Whatever is allowed covers itself.
			if u := netrange.Uncovered(p, ps); len(u) != 0 {
				t.Fatalf("%s not covered by itself: %v", p, u)
			}
		}
	})
}

func FuzzParseEndpoints(f *testing.F) {
	f.Add(endpointsJSON)
	f.Add(`[{"tcpPorts":"1-65535"}]`)
	f.Fuzz(func(t *testing.T, s string) {
		eps, err := ParseEndpoints("f", strings.NewReader(s))
		if err != nil {
			if !errors.Is(err, snapshot.ErrBadInput) {
				t.Fatalf("error not bad input: %v", err)
			}
			return
		}
		_ = TargetsFromEndpoints(eps)
		_ = RangesFromEndpoints(eps)
	})
}

func TestParseTarget(t *testing.T) {
	for in, want := range map[string]string{
		"outlook.office365.com:443": "outlook.office365.com 443 ",
		"tls://127.0.0.1:8443":      "127.0.0.1 8443 implicit",
		"STARTTLS://[::1]:2525":     "::1 2525 starttls",
		"tcp://127.0.0.1:443":       "127.0.0.1 443 none",
	} {
		tg, err := ParseTarget(in)
		if err != nil || tg.Host+" "+strconv.Itoa(tg.Port)+" "+tg.TLS != want || !tg.Required {
			t.Errorf("ParseTarget(%q) = %+v, %v; want %s", in, tg, err, want)
		}
	}
	for _, bad := range []string{"", "host", ":443", "host:0", "host:x", "udp://h:1"} {
		if _, err := ParseTarget(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func FuzzParseTarget(f *testing.F) {
	f.Add("tls://127.0.0.1:443")
	f.Fuzz(func(t *testing.T, s string) {
		tg, err := ParseTarget(s)
		if err == nil && (tg.Port < 1 || tg.Port > 65535 || tg.Host == "") {
			t.Fatalf("%q gave %+v", s, tg)
		}
	})
}
