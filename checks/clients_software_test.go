package checks

import (
	"testing"
	"time"
)

func TestHostKey(t *testing.T) {
	for in, want := range map[string]string{
		"PC01": "pc01", "pc01.corp.example.com": "pc01", "PC01.corp.example.com.": "pc01", `CORP\PC01`: "pc01",
		`\\PC01`: "pc01", "pc01$": "pc01", " PC01 ": "pc01", "10.0.0.5": "10.0.0.5",
	} {
		if got := HostKey(in); got != want {
			t.Errorf("HostKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestVersionCompare(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"12.0.6425.1000", "12.0.6425", 1}, {"12.0.6425", "12.0.6425.0", 0}, {"12.0.6423.1000", "12.0.6425", -1},
		{"12.2.9", "12.2.10", -1}, {"14.1.0 (110310)", "14.1.0", 0}, {"11.0.8169.0", "11.0.8169", 0}, {"5.50.4807.2300", "6", -1},
	} {
		a, _ := ParseVersion(tc.a)
		b, _ := ParseVersion(tc.b)
		if got := a.Compare(b); got != tc.want {
			t.Errorf("%s vs %s = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestIdentify(t *testing.T) {
	for name, want := range map[string]string{
		"Microsoft Office Professional Plus 2007": "office/windows", "Microsoft Office Outlook 2003": "office/windows",
		"Microsoft Office 2008 for Mac": "office/mac", "Microsoft Office for Mac 2011": "office/mac",
		"Microsoft Office Visio Professional 2007": "/windows", "Microsoft Office Communicator 2007 R2": "communicator/windows",
		"Windows Internet Explorer 8": "ie/windows", "Mozilla Firefox (3.6.28 x86 en-US)": "firefox/windows",
		"Microsoft Office Outlook Connector": "/windows", "Outlook Express": "/windows", "Microsoft Entourage 2008": "entourage/mac",
		"Microsoft Office 2007 Service Pack 2 (SP2)": "/windows", "Adobe Reader": "/windows",
	} {
		f, p := Identify(name)
		if got := f + "/" + p; got != want {
			t.Errorf("Identify(%q) = %s, want %s", name, got, want)
		}
	}
}

func TestVerdictByNameYear(t *testing.T) {
	prm := softwareParams{Minimums: []minimum{
		{Product: "Office 2007", Family: "office", From: "12", Below: "13", Min: "12.0.6425"},
		{Product: "Outlook 2003 and older", Family: "office", From: "0", Below: "12"},
	}}
	if err := prm.compile(); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if m, _, unknown := prm.verdict("Microsoft Office Outlook 2003", "", now); m == nil || unknown != true || m.Product != "Outlook 2003 and older" {
		t.Errorf("Outlook 2003 without version: %+v %v", m, unknown)
	}
	if m, _, unknown := prm.verdict("Microsoft Office Standard 2007", "", now); m == nil || !unknown {
		t.Errorf("Office 2007 without version must be reported as not confirmable: %+v", m)
	}
	if m, _, _ := prm.verdict("Microsoft Office Standard 2010", "", now); m != nil {
		t.Errorf("Office 2010 flagged: %+v", m)
	}
	if m, _, _ := prm.verdict("Some Tool", "1.0", now); m != nil {
		t.Errorf("unrelated product flagged")
	}
}
