package urlhost

import (
	"net/url"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	for raw, want := range map[string]string{
		"ldaps://::1":             "put IPv6 addresses in brackets: ldaps://[::1]",
		"ldaps://::1:636":         "put IPv6 addresses in brackets",
		"ldaps://[::1]:636":       "",
		"ldaps://[::1]":           "",
		"ldaps://[127.0.0.1]":     "only an IPv6 address goes in brackets",
		"ldaps://dc1.example:0":   "bad port",
		"ldaps://dc1.example:636": "",
		"imaps://127.0.0.1:993":   "",
	} {
		u, err := url.Parse(raw)
		if err != nil {
			if want == "" {
				t.Errorf("%s: %v", raw, err)
			}
			continue
		}
		err = Check(u)
		switch {
		case want == "" && err != nil:
			t.Errorf("%s: %v", raw, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("%s: %v, want %q", raw, err, want)
		}
	}
}
