package spf

import (
	"strings"
	"testing"
)

// zone is a fake DNS: name/type -> records; a missing name is NXDOMAIN;
// "fail" entries are SERVFAIL.
type zone map[string][]string

func (z zone) lookup(name, qtype string) Response {
	k := name + "/" + qtype
	if v, ok := z[k]; ok {
		if len(v) == 1 && v[0] == "fail" {
			return Response{Outcome: "servfail", Err: "SERVFAIL"}
		}
		if len(v) == 0 {
			return Response{Outcome: "nodata"}
		}
		return Response{Outcome: "found", Records: v}
	}
	return Response{Outcome: "nxdomain"}
}

func TestAnalyse(t *testing.T) {
	z := zone{
		"a.test/TXT":      {"v=spf1 include:b.test a mx ptr exists:%{i}.x.test redirect=c.test"},
		"b.test/TXT":      {"v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 -all"},
		"a.test/A":        {"192.0.2.1"},
		"a.test/MX":       {},
		"c.test/TXT":      {"v=spf1 -all"},
		"loop.test/TXT":   {"v=spf1 include:loop2.test -all"},
		"loop2.test/TXT":  {"v=spf1 include:loop.test -all"},
		"two.test/TXT":    {"v=spf1 -all", "v=spf1 +all", "MS=ms1"},
		"none.test/TXT":   {"MS=ms1"},
		"noinc.test/TXT":  {"v=spf1 include:nospf.test -all"},
		"nospf.test/TXT":  {"hello"},
		"fail.test/TXT":   {"v=spf1 include:broken.test -all"},
		"broken.test/TXT": {"fail"},
		"bad.test/TXT":    {"v=spf1 ip4:1.2.3.4/40 ip6:1.2.3.4 a:/99 foo all:x redirect=a.test redirect=b.test"},
		"Upper.test/TXT":  {"V=SPF1 Include:B.test -ALL"},
	}
	r := Analyse("a.test", z.lookup)
	// include, a, mx, ptr, exists, and no redirect (no "all" here, so redirect counts).
	if r.Record == "" || r.Lookups != 6 || r.Voids != 1 || len(r.Syntax) != 0 || len(r.Failures) != 0 {
		t.Errorf("a.test: %+v", r)
	}
	if !r.HasInclude("b.test") || !r.HasInclude("C.TEST.") || r.HasInclude("x.test") {
		t.Errorf("includes %v", r.Includes)
	}
	if r := Analyse("loop.test", z.lookup); len(r.Syntax) == 0 || !strings.Contains(r.Syntax[0], "loop") {
		t.Errorf("loop: %+v", r)
	}
	if r := Analyse("two.test", z.lookup); r.Count != 2 || r.Record != "" {
		t.Errorf("two: %+v", r)
	}
	if r := Analyse("none.test", z.lookup); r.Count != 0 {
		t.Errorf("none: %+v", r)
	}
	if r := Analyse("missing.test", z.lookup); r.Count != 0 || len(r.Failures) != 0 {
		t.Errorf("missing: %+v", r)
	}
	if r := Analyse("noinc.test", z.lookup); len(r.Syntax) != 1 || !strings.Contains(r.Syntax[0], "no SPF record") {
		t.Errorf("noinc: %+v", r)
	}
	if r := Analyse("fail.test", z.lookup); len(r.Failures) != 1 {
		t.Errorf("fail: %+v", r)
	}
	if r := Analyse("bad.test", z.lookup); len(r.Syntax) != 6 {
		t.Errorf("bad: %d errors %v", len(r.Syntax), r.Syntax)
	}
	if r := Analyse("upper.test", zone{"upper.test/TXT": {"V=SPF1 Include:B.test -ALL"}, "b.test/TXT": {"v=spf1 -all"}}.lookup); r.Lookups != 1 || !r.HasInclude("b.test") || len(r.Syntax) != 0 {
		t.Errorf("case: %+v", r)
	}
}

func TestChainBounded(t *testing.T) {
	// A chain of 100 includes is counted in part and stops being followed.
	z := zone{}
	for i := 0; i < 100; i++ {
		z[name(i)+"/TXT"] = []string{"v=spf1 include:" + name(i+1) + " -all"}
	}
	asked := 0
	r := Analyse(name(0), func(n, q string) Response { asked++; return z.lookup(n, q) })
	if r.Lookups <= MaxLookups || asked > maxFollow+1 {
		t.Errorf("lookups %d, asked %d", r.Lookups, asked)
	}
}

func name(i int) string {
	return "n" + strings.Repeat("x", i%5) + string(rune('a'+i%26)) + string(rune('a'+i/26)) + ".test"
}

func FuzzAnalyse(f *testing.F) {
	f.Add("v=spf1 include:b.test a mx/24 ip4:192.0.2.0/24 ~all", "v=spf1 redirect=a.test")
	f.Add("v=spf1 exists:%{ir}.%{v}._spf.%{d} -all", "v=spf1 a:x.test//64 ?all")
	f.Fuzz(func(t *testing.T, a, b string) {
		z := zone{"a.test/TXT": {a}, "b.test/TXT": {b}, "x.test/A": {"192.0.2.1"}}
		n := 0
		r := Analyse("a.test", func(name, q string) Response { n++; return z.lookup(name, q) })
		if n > maxFollow+1 {
			t.Fatalf("%d lookups made", n)
		}
		if r.Voids > r.Lookups {
			t.Fatalf("voids %d > lookups %d", r.Voids, r.Lookups)
		}
	})
}
