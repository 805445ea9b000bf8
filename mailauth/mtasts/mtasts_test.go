package mtasts

import (
	"strings"
	"testing"
)

func TestParsePolicy(t *testing.T) {
	for body, want := range map[string]string{
		"version: STSv1\r\nmode: enforce\r\nmx: mail.contoso.com\r\nmx: *.contoso.net\r\nmax_age: 604800\r\n": "",
		"version: STSv1\nmode: none\nmax_age: 86400\n":                                                        "",
		"version: STSv1\nmode: testing\nmx: a.contoso.com\nmax_age: 0":                                        "",
		"version: STSv2\nmode: enforce\nmx: a.contoso.com\nmax_age: 1":                                        "version",
		"version: STSv1\nmode: strict\nmx: a.contoso.com\nmax_age: 1":                                         "mode: strict",
		"version: STSv1\nmx: a.contoso.com\nmax_age: 1":                                                       "mode: is missing",
		"version: STSv1\nmode: enforce\nmax_age: 1":                                                           "no pattern",
		"version: STSv1\nmode: enforce\nmx: a.contoso.com\nmax_age: 31557601":                                 "max_age",
		"version: STSv1\nmode: enforce\nmx: a.contoso.com":                                                    "max_age: is missing",
		"version: STSv1\nmode: enforce\nmx: *.*.contoso.com\nmax_age: 1":                                      "not a host name",
		"version: STSv1\nmode: enforce\nmode: testing\nmx: a.b.com\nmax_age: 1":                               "twice",
		"version: STSv1\nmode enforce\nmx: a.b.com\nmax_age: 1":                                               "not \"key: value\"",
	} {
		got := strings.Join(ParsePolicy(body).Problems, "; ")
		switch {
		case want == "" && got != "":
			t.Errorf("%q: unexpected %s", body, got)
		case want != "" && !strings.Contains(got, want):
			t.Errorf("%q: problems %q, want %q", body, got, want)
		}
	}
	p := ParsePolicy("version: STSv1\nmode: enforce\nmx: MAIL.contoso.com.\nmax_age: 600\n")
	if p.Mode != "enforce" || p.MaxAge != 600 || len(p.MX) != 1 || p.MX[0] != "mail.contoso.com" {
		t.Errorf("parsed %+v", p)
	}
}

func TestMatches(t *testing.T) {
	for _, c := range []struct {
		pattern, host string
		want          bool
	}{
		{"*.mail.protection.outlook.com", "contoso-com.mail.protection.outlook.com", true},
		{"*.mail.protection.outlook.com", "a.b.mail.protection.outlook.com", false},
		{"*.mail.protection.outlook.com", "mail.protection.outlook.com", false},
		{"mail.contoso.com", "MAIL.contoso.com.", true},
		{"mail.contoso.com", "mx.contoso.com", false},
	} {
		if got := Matches(c.pattern, c.host); got != c.want {
			t.Errorf("Matches(%q, %q) = %v", c.pattern, c.host, got)
		}
	}
}

func TestRecords(t *testing.T) {
	if rs := SelectRecords([]string{"v=STSv1; id=20260101", "v=spf1 -all", "v=STSv10; id=1"}); len(rs) != 1 {
		t.Errorf("select %q", rs)
	}
	for rec, want := range map[string]string{"v=STSv1; id=abc123": "", "v=STSv1;": "missing", "v=STSv1; id=a-b": "letters and digits", "v=STSv1; id=" + strings.Repeat("a", 33): "1 to 32"} {
		got := strings.Join(ParseRecord(rec).Problems, "; ")
		if want == "" && got != "" || want != "" && !strings.Contains(got, want) {
			t.Errorf("%q: %q, want %q", rec, got, want)
		}
	}
	r := ParseTLSRPT("v=TLSRPTv1; rua=mailto:tls@contoso.com,https://report.contoso.com/tls")
	if len(r.RUA) != 2 || len(r.Problems) != 0 {
		t.Errorf("tlsrpt %+v", r)
	}
	if r := ParseTLSRPT("v=TLSRPTv1; rua=ftp://x"); len(r.Problems) != 1 {
		t.Errorf("tlsrpt %+v", r)
	}
	if len(SelectTLSRPT([]string{"v=TLSRPTv1;rua=mailto:a@b.c", "v=DMARC1"})) != 1 {
		t.Error("select tlsrpt")
	}
}

func FuzzParsePolicy(f *testing.F) {
	f.Add("version: STSv1\r\nmode: enforce\r\nmx: *.contoso.com\r\nmax_age: 604800\r\n")
	f.Add("version: STSv1\nmode: none\nmax_age: 0\n")
	f.Fuzz(func(t *testing.T, body string) {
		p := ParsePolicy(body)
		if p.Valid() && (p.MaxAge < 0 || p.MaxAge > MaxAgeLimit) {
			t.Fatalf("max_age %d accepted", p.MaxAge)
		}
		if p.Valid() && p.Mode != "enforce" && p.Mode != "testing" && p.Mode != "none" {
			t.Fatalf("mode %q accepted", p.Mode)
		}
		for _, m := range p.MX {
			_ = Matches(m, "contoso-com.mail.protection.outlook.com")
		}
		_ = ParseRecord("v=STSv1; " + body)
		_ = ParseTLSRPT("v=TLSRPTv1; " + body)
	})
}
