package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBadValuesExit2BeforeAnyWork: every bad number, duration and output
// path is refused up front with one clear line, exit 2, and nothing
// written. Before, --bandwidth-mbps NaN scanned, wrote report.pdf with
// "NaN Mbit/s" and exited 4; --save-snapshot DIR and diff --out MISSING
// exited 4 after the work; ldaps://::1 parsed as host ":" port 1.
func TestBadValuesExit2BeforeAnyWork(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	cfg := filepath.Join(dir, "nan.yaml")
	if err := os.WriteFile(cfg, []byte("bandwidth-mbps: -3\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	zero := filepath.Join(dir, "zero.yaml")
	if err := os.WriteFile(zero, []byte("timeout: 0s\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	sample := []string{"scan", "--sample", "--offline", "--quiet", "--out", out, "--format", "json,pdf"}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{append(sample, "--bandwidth-mbps", "NaN"), "--bandwidth-mbps NaN: want a finite number"},
		{append(sample, "--bandwidth-mbps", "+Inf"), "--bandwidth-mbps +Inf: want a finite number"},
		{append(sample, "--bandwidth-mbps", "-3"), "--bandwidth-mbps -3: want a finite number, 0 or more"},
		{append(sample, "--timeout", "0s"), "--timeout 0s: want a positive duration"},
		{append(sample, "--timeout", "-5s"), "--timeout -5s: want a positive duration"},
		{append(sample, "--config", cfg), "--bandwidth-mbps -3"},
		{append(sample, "--config", zero), "--timeout 0s"},
		{[]string{"scan", "--domain", "example.com", "--resolver", "127.0.0.1:1", "--dns-timeout", "0s", "--out", out}, "--dns-timeout 0s"},
		{[]string{"scan", "--domain", "example.com", "--resolver", "127.0.0.1:1", "--dns-concurrency", "0", "--out", out}, "--dns-concurrency 0: want a whole number from 1"},
		{[]string{"scan", "--domain", "example.com", "--resolver", "127.0.0.1:1", "--probe-timeout", "-1s", "--out", out}, "--probe-timeout -1s"},
		{append(sample, "--save-snapshot", dir), "is a directory"},
		{append(sample, "--save-snapshot", filepath.Join(dir, "missing", "s.gz")), "does not exist"},
		{[]string{"scan", "--ldap-url", "ldaps://::1", "--bind-user", "u@x", "--bind-password-env", "PW", "--out", out}, "put IPv6 addresses in brackets"},
		{[]string{"scan", "--imap-url", "imaps://::1", "--imap-accounts", cfg, "--out", out}, "put IPv6 addresses in brackets"},
		{[]string{"diff", "--out", filepath.Join(dir, "missing"), cfg, cfg}, "no such directory"},
	} {
		code, _, stderr := runCLI(t, map[string]string{"PW": "x"}, tc.args...)
		if code != ExitUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args[1:], code, stderr, tc.want)
		}
		if n := strings.Count(stderr, "\n"); n != 1 {
			t.Errorf("%v: %d lines on stderr", tc.args[1:], n)
		}
		if entries, _ := os.ReadDir(out); len(entries) > 0 {
			t.Errorf("%v: wrote %v", tc.args[1:], entries)
			_ = os.RemoveAll(out)
		}
	}
}

// TestSecretFlagValuesNeverEchoed: a password given where the name of its
// variable or file belongs is not printed back.
func TestSecretFlagValuesNeverEchoed(t *testing.T) {
	const pw = "S3cr3t!horse battery"
	dir := t.TempDir()
	accounts := filepath.Join(dir, "accounts.csv")
	if err := os.WriteFile(accounts, []byte("user,password_env\nalice,"+pw+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"scan", "--ldap-url", "ldaps://127.0.0.1", "--bind-user", "u@x", "--bind-password-env", pw},
		{"scan", "--ldap-url", "ldaps://127.0.0.1", "--bind-user", "u@x", "--bind-password-file", pw},
		{"scan", "--imap-url", "imaps://127.0.0.1", "--imap-accounts", accounts, "--imap-admin-user", "admin", "--imap-password-env", pw},
		{"scan", "--imap-url", "imaps://127.0.0.1", "--imap-accounts", accounts, "--imap-admin-user", "admin", "--imap-password-file", pw},
		{"scan", "--imap-url", "imaps://127.0.0.1", "--imap-accounts", accounts},
	} {
		code, stdout, stderr := runCLI(t, nil, append(args, "--out", dir, "--quiet")...)
		if code != ExitUsage {
			t.Errorf("%v: exit %d (%s), want 2", args, code, stderr)
		}
		if strings.Contains(stderr+stdout, "S3cr3t") {
			t.Errorf("%v: the password is echoed: %s", args, stderr)
		}
	}
}

// TestHostileFilesGiveOneCleanLine: a binary file, a CSV header carrying
// a terminal escape sequence, and an LDIF export given to --config each
// give exit 2 and one line on stderr, clipped, with no raw control
// character (before: lines of garbage, a raw OSC sequence, 10,529 lines).
func TestHostileFilesGiveOneCleanLine(t *testing.T) {
	dir := t.TempDir()
	bin := make([]byte, 4096)
	for i := range bin {
		bin[i] = byte(i*7 + i/13)
	}
	var ldif strings.Builder
	for i := range 3000 {
		ldif.WriteString("dn: cn=u" + strings.Repeat("x", i%7) + ",dc=x\ncn: u\n\n")
	}
	files := map[string][]byte{
		"bin.csv":   bin,
		"osc.csv":   []byte("\x1b]0;owned\x07Name," + strings.Repeat("Z", 100000) + "\n1,2\n"),
		"some.ldif": []byte(ldif.String()),
	}
	for n, b := range files {
		if err := os.WriteFile(filepath.Join(dir, n), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range [][]string{
		{"--mailbox-stats", filepath.Join(dir, "bin.csv")},
		{"--clients", filepath.Join(dir, "bin.csv")},
		{"--folder-stats", filepath.Join(dir, "osc.csv")},
		{"--config", filepath.Join(dir, "some.ldif"), "--sample"},
		{"--ldif", filepath.Join(dir, "bin.csv")},
	} {
		code, _, stderr := runCLI(t, nil, append([]string{"scan", "--offline", "--quiet", "--out", filepath.Join(dir, "out")}, args...)...)
		if code != ExitUsage {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
		if strings.Count(stderr, "\n") != 1 || len(stderr) > 2*4096 {
			t.Errorf("%v: %d lines, %d bytes on stderr", args, strings.Count(stderr, "\n"), len(stderr))
		}
		for _, r := range strings.TrimSuffix(stderr, "\n") {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
				t.Errorf("%v: raw control %U on stderr", args, r)
				break
			}
		}
	}
}
