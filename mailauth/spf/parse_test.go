package spf

import (
	"strings"
	"testing"
)

// The defects of issue 10, each named with its term, and near misses that
// the ABNF of RFC 7208 §12 allows.
func TestParseTerms(t *testing.T) {
	for _, c := range []struct {
		rec  string
		want string // "" when valid
	}{
		{"v=spf1 a:example.com:8080", "no top label"},
		{"v=spf1 a:111.222.33.44", "no top label"},
		{"v=spf1 mx:abc.123", "no top label"},
		{"v=spf1 a:example.-com", "no top label"},
		{"v=spf1 exists:mail.example.com/24", "exists takes no CIDR"},
		{"v=spf1 include:host/24", "include takes no CIDR"},
		{"v=spf1 include:host.example.com/24", "include takes no CIDR"},
		{"v=spf1 a:", "empty domain after a:"},
		{"v=spf1 mx:", "empty domain after mx:"},
		{"v=spf1 ptr:", "empty domain after ptr:"},
		{"v=spf1 ip4:1.2.3.4/032", "leading zero"},
		{"v=spf1 ip4:1.2.3.4/33", "above 32"},
		{"v=spf1 ip6:::1/129", "above 128"},
		{"v=spf1 a/24//0128", "leading zero"},
		{"v=spf1 ip4:01.2.3.4", "not an IPv4"},
		{"v=spf1 exists:%{c}.example.com", "explanation text"},
		{"v=spf1 exists:%{r}.example.com", "explanation text"},
		{"v=spf1 -all exp=%{t}.example.com", "explanation text"},
		{"v=spf1 exists:%{d0}.example.com", "nonzero"},
		{"v=spf1 exists:%{x}.example.com", "unknown macro letter"},
		{"v=spf1 exists:%a.example.com", "no macro"},
		{"v=spf1 a\x0d-all", "byte 0x0D"},
		{"v=spf1 a:exa\x00mple.com", "byte 0x00"},
		{"v=spf1 redirect=", "needs a domain"},
		{"v=spf1 -redirect=a.example.com", "no qualifier"},
		{"v=spf1 redirect=a.example.com redirect=b.example.com", "given twice"},
		{"v=spf1 foo", "unknown mechanism"},
		{"v=spf1 all:x", "all takes no argument"},
		{"v=spf1 moo.cow-far_out=man:dog/cat -all", ""},
		{"v=spf1 default=pass", ""},
		{"v=spf1 default=+", ""},
		{"v=spf1 a:foo:bar/baz.example.com", ""},
		{"v=spf1 a:example.com. mx/24//64 ip6:2001:db8::/32 ip4:192.0.2.0/0", ""},
		{"v=spf1 exists:%{ir}.%{l1r+-}._spf.%{d} -all", ""},
		{"v=spf1 a:macro%%percent%_%_space%-url-space.example.com", ""},
		{"v=spf1 -all exp=explain.%{d}", ""},
		{"v=spf1 include=foo.example.com", ""},
	} {
		_, errs := Parse(c.rec)
		got := strings.Join(errs, "; ")
		switch {
		case c.want == "" && got != "":
			t.Errorf("%q: unexpected %s", c.rec, got)
		case c.want != "" && !strings.Contains(got, c.want):
			t.Errorf("%q: errors %q, want %q", c.rec, got, c.want)
		case c.want != "" && (!strings.Contains(got, "RFC 7208 §") || !strings.Contains(got, "term ")):
			t.Errorf("%q: %q should name the term and the RFC section", c.rec, got)
		}
	}
}

func TestWalkLimits(t *testing.T) {
	mx := []string{}
	for i := 0; i < 11; i++ {
		mx = append(mx, "10 mx"+string(rune('a'+i))+".test")
	}
	z := zone{
		"many.test/TXT":  {"v=spf1 mx -all"},
		"many.test/MX":   mx,
		"ten.test/TXT":   {"v=spf1 mx -all"},
		"ten.test/MX":    mx[:10],
		"long.test/TXT":  {"v=spf1 a:" + strings.Repeat("x", 64) + ".example.com -all"},
		"esc.test/TXT":   {`v=spf1 a:exa\000mple.com -all`},
		"ctl.test/TXT":   {`v=spf1 ip4:192.0.2.1\013 -all`},
		"after.test/TXT": {"v=spf1 -all include:gone.test"},
	}
	if r := Analyse("many.test", z.lookup); len(r.Syntax) != 1 || !strings.Contains(r.Syntax[0], "11 names") {
		t.Errorf("11 MX names: %v", r.Syntax)
	}
	if r := Analyse("ten.test", z.lookup); len(r.Syntax) != 0 {
		t.Errorf("10 MX names: %v", r.Syntax)
	}
	if r := Analyse("long.test", z.lookup); len(r.Failures) != 0 || len(r.Syntax) != 1 || !strings.Contains(r.Syntax[0], "64 octets") {
		t.Errorf("64-octet label: %+v", r)
	}
	if r := Analyse("esc.test", z.lookup); len(r.Syntax) != 1 || !strings.Contains(r.Syntax[0], "0x00") {
		t.Errorf("NUL: %+v", r)
	}
	if r := Analyse("ctl.test", z.lookup); len(r.Syntax) != 1 || !strings.Contains(r.Syntax[0], "0x0D") {
		t.Errorf("CR: %+v", r)
	}
	if r := Analyse("after.test", z.lookup); r.Lookups != 0 || len(r.Syntax) != 0 {
		t.Errorf("terms after all are not evaluated: %+v", r)
	}
}

func TestUnescapeTXT(t *testing.T) {
	for in, want := range map[string]string{
		`a\013b`: "a\rb", `\"q\"`: `"q"`, `\\`: `\`, `\195\169`: "é", `x\`: `x\`, `\999`: "999",
	} {
		if got := UnescapeTXT(in); got != want {
			t.Errorf("UnescapeTXT(%q) = %q, want %q", in, got, want)
		}
		if want != "999" && want != `x\` && UnescapeTXT(EscapeTXT(want)) != want {
			t.Errorf("round trip of %q", want)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add("v=spf1 include:b.test a mx/24//64 ip4:192.0.2.0/24 ip6:::1 ~all exp=%{d} moo=%{l}")
	f.Add("v=spf1 exists:%{ir}.%{v}._spf.%{d2r-} redirect=x.test")
	f.Fuzz(func(t *testing.T, rec string) {
		terms, errs := Parse(rec)
		for _, e := range errs {
			if !strings.Contains(e, "RFC 7208 §") {
				t.Fatalf("error without section: %s", e)
			}
		}
		for _, tm := range terms {
			if tm.V4 > 32 || tm.V6 > 128 {
				t.Fatalf("prefix out of range in %+v", tm)
			}
		}
		_ = UnescapeTXT(rec)
		_, _ = expandMacros(rec, "a.test", "a.test")
	})
}
