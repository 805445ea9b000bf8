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
