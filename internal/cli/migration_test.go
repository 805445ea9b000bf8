package cli

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMigrationFormatRefusals: the record formats need records, a
// bandwidth and a target; each refusal says what to give, exit 2, nothing
// written.
func TestMigrationFormatRefusals(t *testing.T) {
	src := []string{"--recipients", tenantData + "source-recipients.csv", "--mailboxes", tenantData + "source-mailboxes.csv"}
	mapping := filepath.Join(t.TempDir(), "map.csv")
	if err := os.WriteFile(mapping, []byte("source,target\nalice@contoso.com,not-an-address\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		args []string
		want string
	}{
		"no bandwidth":  {append([]string{"--format", "batches", "--target-domain", "t.example"}, src...), "needs --bandwidth-mbps"},
		"no target":     {append([]string{"--format", "batches", "--bandwidth-mbps", "2"}, src...), "--target-domain, --batch-mapping or --target-recipients"},
		"bad domain":    {append([]string{"--format", "batches", "--bandwidth-mbps", "2", "--target-domain", "a@b"}, src...), "--target-domain"},
		"bad mapping":   {append([]string{"--format", "batches", "--bandwidth-mbps", "2", "--batch-mapping", mapping}, src...), "map.csv:2"},
		"stdout":        {append([]string{"--format", "addresses", "--out", "-"}, src...), "give --out DIR"},
		"report cannot": {[]string{"report"}, "preflight evaluate SNAPSHOT"},
	} {
		t.Run(name, func(t *testing.T) {
			out := t.TempDir()
			args := append([]string{"scan", "--quiet", "--offline", "--out", out}, tc.args...)
			if tc.args[0] == "report" {
				rep := filepath.Join(out, "report.json")
				if code, _, stderr := runCLI(t, nil, "scan", "--quiet", "--offline", "--out", out, "--format", "json", src[0], src[1]); code == ExitUsage || code == ExitInternal {
					t.Fatalf("scan: exit %d: %s", code, stderr)
				}
				args = []string{"report", rep, "--format", "addresses", "--out", out}
			}
			code, _, stderr := runCLI(t, nil, args...)
			if code != ExitUsage || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr, tc.want)
			}
			for _, f := range []string{"addresses.csv", "migration-batches.csv"} {
				if _, err := os.Stat(filepath.Join(out, f)); err == nil {
					t.Errorf("%s written after a usage error", f)
				}
			}
		})
	}
}

// FuzzBatchMapping: any --batch-mapping file is read or refused with an
// input error (exit 2), never a panic; what is read maps lower-case
// addresses to addresses.
func FuzzBatchMapping(f *testing.F) {
	f.Add([]byte("source,target\r\nalice@contoso.com,alice@northwind.com\r\n"))
	f.Add([]byte("\uFEFF#TYPE x\r\n\"SourceAddress\";\"TargetAddress\"\r\n\"A@B\";\"c@d\"\r\n\"a@b\";\"e@f\"\r\n"))
	f.Add([]byte("source\nx\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "map.csv")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		for _, lenient := range []bool{false, true} {
			m, err := readBatchMapping(p, lenient)
			if err != nil {
				if code := exitCode(err, io.Discard); code != ExitUsage {
					t.Fatalf("error %v exits %d, want %d", err, code, ExitUsage)
				}
				continue
			}
			for k, v := range m {
				if k != strings.ToLower(k) || !strings.Contains(k, "@") || !strings.Contains(v, "@") {
					t.Fatalf("mapping %q → %q", k, v)
				}
			}
		}
	})
}
