package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const tenantData = "../../collect/tenant/testdata/"

// TestTenantExportErrors: the classic unjoined EmailAddresses export and a
// missing file are usage errors naming what to fix, with nothing written.
func TestTenantExportErrors(t *testing.T) {
	for name, tc := range map[string]struct {
		args []string
		want []string
	}{
		"unjoined": {[]string{"--recipients", tenantData + "unjoined-recipients.csv"},
			[]string{"unjoined-recipients.csv:3", "column EmailAddresses", "-join ';'"}},
		"missing": {[]string{"--target-recipients", "no-such.csv"}, []string{"--target-recipients", "no-such.csv"}},
	} {
		t.Run(name, func(t *testing.T) {
			out := t.TempDir()
			code, _, stderr := runCLI(t, nil, append([]string{"scan", "--quiet", "--offline", "--out", out, "--format", "json"}, tc.args...)...)
			for _, w := range tc.want {
				if code != ExitUsage || !strings.Contains(stderr, w) {
					t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr, w)
				}
			}
			if _, err := os.Stat(filepath.Join(out, "report.json")); err == nil {
				t.Error("a usage error must write nothing")
			}
		})
	}
}

// TestTenantExportsScan: the source and target exports alone are a scan's
// sources; the report lists them and says how many rows matched nothing.
func TestTenantExportsScan(t *testing.T) {
	out := t.TempDir()
	code, _, stderr := runCLI(t, nil, "scan", "--quiet", "--offline", "--out", out, "--format", "json",
		"--recipients", tenantData+"source-recipients.csv", "--mailboxes", tenantData+"source-mailboxes.csv",
		"--users", tenantData+"source-users.csv", "--target-recipients", tenantData+"target-recipients.csv",
		"--migrating-domain", "contoso.com")
	// Until rules judge the tenant-to-tenant records, nothing is judged
	// and the scan is incomplete (exit 3): never "ready" on nothing.
	if code != 0 && code != 1 && code != ExitIncomplete {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(filepath.Join(out, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"source-recipients.csv, ", "target-recipients.csv", "1 of 4 row(s) matched no object"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("report.json lacks %q", want)
		}
	}
}
