package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/preflight-scan/preflight/report/model"
)

// TestLoopbackGuardCoversEveryConnection: with PREFLIGHT_LOOPBACK_ONLY
// set (TestMain sets it), a directory or IMAP server named by a host name
// is refused before the name is resolved; the source fails with the
// reason and the scan exits 3 with a report. Before the one dialer, the
// LDAP and IMAP URLs went through the system resolver.
func TestLoopbackGuardCoversEveryConnection(t *testing.T) {
	dir := t.TempDir()
	accounts := filepath.Join(dir, "accounts.csv")
	if err := os.WriteFile(accounts, []byte("user,password_env\nalice,PW\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"PW": "secret", "BIND": "secret"}
	for name, args := range map[string][]string{
		"ldap": {"--ldap-url", "ldaps://dc1.corp.example.com", "--bind-user", "scan@corp.example.com", "--bind-password-env", "BIND"},
		"imap": {"--imap-url", "imaps://mail.corp.example.com", "--imap-accounts", accounts},
	} {
		t.Run(name, func(t *testing.T) {
			out := filepath.Join(dir, name)
			code, _, stderr := runCLI(t, env, append([]string{"scan"}, append(args, "--offline", "--quiet", "--out", out, "--format", "json")...)...)
			if code != ExitIncomplete {
				t.Fatalf("exit %d, want 3; stderr: %s", code, stderr)
			}
			b, err := os.ReadFile(filepath.Join(out, "report.json"))
			if err != nil {
				t.Fatal(err)
			}
			var rep model.Report
			if err := json.Unmarshal(b, &rep); err != nil {
				t.Fatal(err)
			}
			found := false
			for _, s := range rep.Sources {
				if strings.Contains(s.Error, "PREFLIGHT_LOOPBACK_ONLY") && strings.Contains(s.Error, "not resolved") {
					found = true
				}
			}
			if !found {
				t.Errorf("no source says the guard refused the host: %+v", rep.Sources)
			}
		})
	}
}

// TestLoopbackGuardCoversProbesAndDNS: with PREFLIGHT_LOOPBACK_ONLY set,
// a probe to a host name is refused before the name is resolved (NET-001
// says so and the scan exits 3), and a DNS or blocklist scan through a
// name server off the machine is refused before any query (exit 2).
func TestLoopbackGuardCoversProbesAndDNS(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "probe")
	code, _, stderr := runCLI(t, nil, "scan", "--probe", "tls://mail.corp.example.com:443", "--dnsbl-zone", "none",
		"--quiet", "--out", out, "--format", "json")
	if code != ExitIncomplete {
		t.Fatalf("probe: exit %d, want 3; stderr: %s", code, stderr)
	}
	rep := readReport(t, filepath.Join(out, "report.json"))
	refused := false
	for _, c := range rep.Checks {
		if c.RuleID == "NET-001" && strings.Contains(c.Error, "PREFLIGHT_LOOPBACK_ONLY") && strings.Contains(c.Error, "not resolved") {
			refused = true
		}
	}
	if !refused {
		t.Errorf("NET-001 does not say the guard refused the probe: %+v", rep.Checks)
	}
	for name, args := range map[string][]string{
		"dns":       {"--domain", "corp.example.com"},
		"blocklist": {"--egress-ip", "192.0.2.1"},
	} {
		out := filepath.Join(dir, name)
		code, _, stderr := runCLI(t, nil, append([]string{"scan", "--resolver", "192.0.2.53", "--quiet", "--out", out, "--format", "json"}, args...)...)
		if code != ExitUsage || !strings.Contains(stderr, "PREFLIGHT_LOOPBACK_ONLY") || !strings.Contains(stderr, "192.0.2.53 is not a loopback address") {
			t.Errorf("%s: exit %d, stderr %q; want 2 and the guard's refusal", name, code, stderr)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%s: %s was created", name, out)
		}
	}
}
