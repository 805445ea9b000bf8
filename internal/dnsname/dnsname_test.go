package dnsname

import (
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	long := strings.Repeat("a", 63)
	for name, want := range map[string]string{
		"contoso.com":                       "",
		"mail-1.contoso.co.uk":              "",
		"xn--bcher-kva.example":             "",
		long + ".com":                       "",
		"a" + long + ".com":                 "above the limit of 63",
		strings.Repeat(long+".", 4) + "com": "above the limit of 253",
		"":                                  "empty",
		"contoso":                           "no top-level domain",
		"contoso..com":                      "empty label",
		".contoso.com":                      "empty label",
		"-contoso.com":                      "hyphen",
		"contoso-.com":                      "hyphen",
		"con_toso.com":                      "only letters",
		"con toso.com":                      "only letters",
		"bücher.de":                         "xn--",
		"example.123":                       "all digits",
		"192.0.2.1":                         "all digits",
		"example.c0m":                       "",
	} {
		err := Check(name)
		switch {
		case want == "" && err != nil:
			t.Errorf("%q: %v", name, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("%q: error %v, want %q", name, err, want)
		}
	}
}

func FuzzCheck(f *testing.F) {
	f.Add("contoso.com")
	f.Add("a..b")
	f.Fuzz(func(t *testing.T, s string) {
		if Check(s) == nil && (len(s) > MaxLength || strings.Contains(s, "..")) {
			t.Fatalf("%q accepted", s)
		}
	})
}
