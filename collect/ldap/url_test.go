package ldap

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseURL(t *testing.T) {
	cases := []struct {
		in       string
		insecure bool
		name     string
		sec      Security
		err      string
	}{
		{"ldaps://dc1.corp.example", false, "ldaps://dc1.corp.example:636", LDAPS, ""},
		{"LDAPS://127.0.0.1:3269/", false, "ldaps://127.0.0.1:3269", LDAPS, ""},
		{"ldap://dc1.corp.example", false, "ldap://dc1.corp.example:389", StartTLS, ""},
		{"ldap://dc1.corp.example:10389", true, "ldap://dc1.corp.example:10389", Plaintext, ""},
		{"ldaps://[::1]:636", false, "ldaps://[::1]:636", LDAPS, ""},
		{"http://dc1", false, "", 0, "scheme must be ldaps:// or ldap://"},
		{"dc1.corp.example", false, "", 0, "scheme must be"},
		{"ldaps://admin:hunter2@dc1", false, "", 0, "credentials do not belong in the URL"},
		{"ldaps://dc1/DC=corp,DC=example", false, "", 0, "only scheme, host and port"},
		{"ldaps://dc1?cn", false, "", 0, "only scheme, host and port"},
		{"ldaps://", false, "", 0, "no host"},
		{"ldaps://dc1:0", false, "", 0, "bad port"},
		{"ldaps://dc1:99999", false, "", 0, "bad port"},
		{"ldaps://dc1:", false, "", 0, "empty port"},
	}
	for _, tc := range cases {
		e, err := ParseURL(tc.in, tc.insecure)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseURL(%q) error %v, want %q", tc.in, err, tc.err)
			}
			if err != nil && strings.Contains(err.Error(), "hunter2") {
				t.Errorf("ParseURL(%q) error shows the password: %v", tc.in, err)
			}
			continue
		}
		if err != nil || e.String() != tc.name || e.Security != tc.sec {
			t.Errorf("ParseURL(%q) = %s %s, %v; want %s %s", tc.in, e, e.Security, err, tc.name, tc.sec)
		}
	}
}

func TestSecretNeverPrints(t *testing.T) {
	s := NewSecret("hunter2")
	cfg := Config{BindUser: "u", Password: s}
	for _, out := range []string{fmt.Sprint(s), fmt.Sprintf("%v %+v %#v %s %q", s, cfg, cfg, s, s)} {
		if strings.Contains(out, "hunter2") {
			t.Errorf("formatted secret shows the password: %s", out)
		}
	}
	if s.Reveal() != "hunter2" {
		t.Error("Reveal lost the password")
	}
}

func TestPasswordFrom(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	env := map[string]string{"PW": "from env\n", "EMPTY": ""}
	getenv := func(k string) string { return env[k] }
	cases := []struct {
		name, env, file, want, err string
	}{
		{"env kept verbatim", "PW", "", "from env\n", ""},
		{"file, one LF trimmed", "", write("lf", "s3cret\n\n"), "s3cret\n", ""},
		{"file, CRLF trimmed", "", write("crlf", "s3cret\r\n"), "s3cret", ""},
		{"file, no newline", "", write("plain", " s3cret "), " s3cret ", ""},
		{"unset env", "NOPE", "", "", "environment variable NOPE is not set or empty"},
		{"empty env", "EMPTY", "", "", "EMPTY is not set or empty"},
		{"missing file", "", filepath.Join(dir, "missing"), "", "(the file given): no such file or directory"},
		// The password typed in place of a variable name or file name is
		// never echoed.
		{"password as variable name", "Tr0ub4dor&3 horse", "", "", "not shown"},
		{"password as file name", "", "Tr0ub4dor&3-horse", "", "(the file given): no such file"},
		{"password file over the limit", "", write("huge", strings.Repeat("x", 64<<10+1)), "", "password file longer than 64 KiB"},
		{"empty file", "", write("empty", "\n"), "", "file is empty"},
		{"both", "PW", write("both", "x"), "", "not both"},
		{"neither", "", "", "", "no bind password source"},
	}
	for _, tc := range cases {
		s, err := PasswordFrom(getenv, tc.env, tc.file)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: err %v, want %q", tc.name, err, tc.err)
			}
			if err != nil && (strings.Contains(err.Error(), "Tr0ub4dor") || (tc.file != "" && strings.Contains(err.Error(), tc.file))) {
				t.Errorf("%s: err %q echoes the value given", tc.name, err)
			}
			continue
		}
		if err != nil || s.Reveal() != tc.want {
			t.Errorf("%s: %q, %v; want %q", tc.name, s.Reveal(), err, tc.want)
		}
	}
	// Errors name the source, never the content.
	p := write("dir-not-file", "")
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(p, 0o700); err != nil {
		t.Fatal(err)
	}
	_, err := PasswordFrom(getenv, "", p)
	if err == nil || strings.Contains(err.Error(), "from env") {
		t.Errorf("directory as password file: %v", err)
	}
	if _, err := PasswordFrom(getenv, "", ""); !errors.Is(err, ErrNoPassword) {
		t.Errorf("neither: %v", err)
	}
}

func TestParseRange(t *testing.T) {
	cases := []struct {
		in   string
		want valueRange
		ok   bool
	}{
		{"member;range=0-1499", valueRange{Base: "member", Lo: 0, Hi: 1499}, true},
		{"member;range=1500-*", valueRange{Base: "member", Lo: 1500, Last: true}, true},
		{"proxyAddresses;Range=0-999", valueRange{Base: "proxyAddresses", Lo: 0, Hi: 999}, true},
		{"member;binary;range=10-19", valueRange{Base: "member", Lo: 10, Hi: 19}, true},
		{"member", valueRange{Base: "member"}, false},
		{"member;range=5-1", valueRange{Base: "member", Lo: 5}, false},
		{"member;range=x-1", valueRange{Base: "member"}, false},
		{"member;range=-1-5", valueRange{Base: "member"}, false},
		{"member;range=7", valueRange{Base: "member"}, false},
		{"member;range=0-9223372036854775807", valueRange{Base: "member"}, false},
	}
	for _, tc := range cases {
		got, ok := parseRange(tc.in)
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("parseRange(%q) = %+v, %v; want %+v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
	if got := nextRangeRequest(valueRange{Base: "member", Lo: 0, Hi: 1499}); got != "member;range=1500-*" {
		t.Errorf("nextRangeRequest = %q", got)
	}
}

func FuzzParseRange(f *testing.F) {
	for _, s := range []string{"member;range=0-1499", "member;range=1500-*", "a;range=", "x;range=9-", ";;range=1-2", "member;range=99999999999999999999-*", "member;range=0-9223372036854775807"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, ok := parseRange(s)
		if !ok {
			return
		}
		if r.Lo < 0 || (!r.Last && r.Hi < r.Lo) {
			t.Fatalf("parseRange(%q) = %+v: a range that does not advance", s, r)
		}
		if next := nextRangeRequest(r); !r.Last {
			n, ok := parseRange(next)
			if !ok || !n.Last || n.Lo != r.Hi+1 {
				t.Fatalf("nextRangeRequest(%+v) = %q does not parse as the following open range", r, next)
			}
		}
	})
}

func FuzzParseURL(f *testing.F) {
	for _, s := range []string{"ldaps://dc1", "ldap://127.0.0.1:389", "ldaps://[::1]:636", "ldaps://u:p@h", "ldap://h/dc=x?a", "ldaps://h:0"} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, s string, insecure bool) {
		e, err := ParseURL(s, insecure)
		if err != nil {
			return
		}
		if e.Host == "" || e.Port < 1 || e.Port > 65535 {
			t.Fatalf("ParseURL(%q) = %+v: accepted without host or port", s, e)
		}
		if e.Security == Plaintext && !insecure {
			t.Fatalf("ParseURL(%q) gave plaintext without the flag", s)
		}
		back, err := ParseURL(e.String(), insecure)
		if err != nil || back != e {
			t.Fatalf("ParseURL(%q).String() = %q does not round-trip: %+v %v", s, e.String(), back, err)
		}
	})
}
