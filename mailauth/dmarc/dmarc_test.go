package dmarc

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	for rec, want := range map[string]string{
		"v=DMARC1; p=reject":             "",
		"v=DMARC1;p=quarantine;pct=100;": "",
		"v=DMARC1; p=none; sp=reject; adkim=s; aspf=r; fo=0:1:d:s; rf=afrf; ri=3600; rua=mailto:a@contoso.com,mailto:b@x.example!10m; ruf=mailto:f@contoso.com": "",
		"v=DMARC1":                                         "p= is missing",
		"v=DMARC1; sp=reject":                              "p= is missing",
		"v=DMARC1; p=block":                                "p=block",
		"v=DMARC1; p=reject; sp=maybe":                     "sp=maybe",
		"v=DMARC1; p=reject; adkim=x":                      "adkim=x",
		"v=DMARC1; p=reject; aspf=relaxed":                 "aspf=relaxed",
		"v=DMARC1; p=reject; pct=101":                      "pct=101",
		"v=DMARC1; p=reject; pct=-1":                       "pct=-1",
		"v=DMARC1; p=reject; fo=0:2":                       "fo=0:2",
		"v=DMARC1; p=reject; rf=iodef":                     "rf=iodef",
		"v=DMARC1; p=reject; ri=soon":                      "ri=soon",
		"v=DMARC1; p=reject; ri=0":                         "ri=0",
		"v=DMARC1; p=reject; rua=d@contoso.com":            "not a mailto: URI",
		"v=DMARC1; p=reject; rua=mailto:nobody":            "no e-mail address",
		"v=DMARC1; p=reject; rua=mailto:a@contoso.com!big": "bad size",
		"v=DMARC1; p=reject; p=none":                       "given twice",
		"v=DMARC1; p=reject; junk":                         "not a tag=value",
	} {
		got := strings.Join(Parse(rec).Problems, "; ")
		switch {
		case want == "" && got != "":
			t.Errorf("%q: unexpected %s", rec, got)
		case want != "" && !strings.Contains(got, want):
			t.Errorf("%q: problems %q, want %q", rec, got, want)
		case want != "" && !strings.Contains(got, "RFC 7489 §"):
			t.Errorf("%q: %q names no section", rec, got)
		}
	}
}

func TestSelectAndOrg(t *testing.T) {
	recs, mis := Select([]string{"v=DMARC1; p=reject", "p=none; v=DMARC1", "v=spf1 -all", `v=DMARC1\;p=none`})
	if len(recs) != 2 || len(mis) != 1 {
		t.Errorf("select: %q %q", recs, mis)
	}
	for d, want := range map[string]string{
		"mail.contoso.com": "contoso.com", "contoso.com": "contoso.com", "a.b.contoso.co.uk": "contoso.co.uk", "sub.good.test": "good.test",
	} {
		if got := OrgDomain(d); got != want {
			t.Errorf("OrgDomain(%s) = %s, want %s", d, got, want)
		}
	}
	r := Parse("v=DMARC1; p=reject; rua=mailto:a@reports.example.net,mailto:b@mail.contoso.com; ruf=mailto:c@REPORTS.example.net")
	if got := r.Destinations("contoso.com"); len(got) != 1 || got[0] != "reports.example.net" {
		t.Errorf("destinations %v", got)
	}
	if ReportAuthName("contoso.com", "reports.example.net") != "contoso.com._report._dmarc.reports.example.net" {
		t.Error("report auth name")
	}
	if !Authorises([]string{"v=DMARC1"}) || Authorises([]string{"v=spf1"}) {
		t.Error("authorises")
	}
}

func FuzzParse(f *testing.F) {
	f.Add("v=DMARC1; p=reject; rua=mailto:a@b.example!10m; fo=1:d")
	f.Add("v=DMARC1;;p=none;sp=;pct=")
	f.Fuzz(func(t *testing.T, rec string) {
		r := Parse(rec)
		if r.P != "" && r.P != "none" && r.P != "quarantine" && r.P != "reject" {
			t.Fatalf("policy %q accepted", r.P)
		}
		for _, u := range append(r.RUA, r.RUF...) {
			if !strings.Contains(u.Addr, "@") {
				t.Fatalf("uri %+v accepted", u)
			}
		}
		_, _ = Select([]string{rec})
		_ = r.Destinations("contoso.com")
	})
}
