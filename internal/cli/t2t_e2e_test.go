package cli

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/preflight-scan/preflight/internal/atomicfile"
	"github.com/preflight-scan/preflight/internal/golden"
	"github.com/preflight-scan/preflight/report"
)

// t2tData holds a source and a target tenant's exports as Export-Csv
// writes them (UTF-8 with a byte order mark, a #TYPE line, every field
// quoted, CRLF): contoso.com moves from fabrikam to northwind.
const t2tData = "../../testdata/t2t/"

func t2tGolden(name string) string {
	return filepath.Join("..", "..", "testdata", "golden", "t2t-"+name)
}

func scanT2T(t *testing.T, out string, extra ...string) {
	t.Helper()
	args := append([]string{"scan", "--offline", "--quiet", "--out", out,
		"--recipients", t2tData + "source-recipients.csv", "--mailboxes", t2tData + "source-mailboxes.csv",
		"--users", t2tData + "source-users.csv", "--target-recipients", t2tData + "target-recipients.csv",
		"--migrating-domain", "contoso.com", "--bandwidth-mbps", "1", "--cutover-date", "2026-12-12",
		"--format", "json,pdf,html,addresses,batches"}, extra...)
	if code, _, stderr := runCLI(t, nil, args...); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
}

// TestTenantToTenantEndToEnd runs a source and a target export set
// through scan and checks what a consultant uses: the T2T findings of
// report.json, addresses.csv (the back-out backup), migration-batches.csv
// (waves of 3 per Mbit/s, the CEO with the assistant who sends on their
// behalf) and the PDF's tenant-to-tenant section. Goldens under
// testdata/golden/t2t-*; -update accepts a change.
func TestTenantToTenantEndToEnd(t *testing.T) {
	out := t.TempDir()
	snap := filepath.Join(t.TempDir(), "t2t.jsonl.gz")
	scanT2T(t, out, "--save-snapshot", snap)

	rep, err := report.ReadFile(filepath.Join(out, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var findings bytes.Buffer
	for _, f := range rep.Findings {
		if strings.HasPrefix(f.RuleID, "T2T-") {
			fmt.Fprintf(&findings, "%s %s %s %s: %s\n", f.RuleID, f.Severity, f.Object.Kind, f.Object.ID, f.Message)
		}
	}
	for _, c := range rep.Checks {
		if strings.HasPrefix(c.RuleID, "T2T-") {
			fmt.Fprintf(&findings, "check %s %s evaluated %d findings %d\n", c.RuleID, c.Status, c.Evaluated, c.Findings)
		}
	}
	golden.Check(t, t2tGolden("findings.txt"), findings.Bytes())
	if rep.Summary.Verdict != "blocked" {
		t.Errorf("verdict %s, want blocked (the bob@contoso.com collision is critical)", rep.Summary.Verdict)
	}

	files := map[string][]byte{}
	for _, name := range []string{"addresses.csv", "migration-batches.csv"} {
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(filepath.Join(out, name))
		if err != nil || fi.Mode().Perm() != atomicfile.Mode {
			t.Errorf("%s: mode %v, want %v", name, fi.Mode().Perm(), atomicfile.Mode)
		}
		files[name] = b
		golden.Check(t, t2tGolden(name), b)
	}
	addr := string(files["addresses.csv"])
	for _, want := range []string{
		// every proxy, the X500 with its spaces, in one ;-joined column
		"SMTP:chris@contoso.com;X500:/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=2f6e1c0a9b7d4e3f8a1b2c3d4e5f6a7b-chris;smtp:chris@fabrikam.onmicrosoft.com",
		"source-recipients.csv:10,GroupMailbox,Sales Team,,sales,sales@contoso.com", "Zoë Ångström",
		"target-recipients.csv:6,MailContact,Contoso Info Desk,,infodesk,info@contoso.com,info@contoso.com",
	} {
		if !strings.Contains(addr, want) {
			t.Errorf("addresses.csv lacks %q", want)
		}
	}
	batches := string(files["migration-batches.csv"])
	if !strings.Contains(batches, "2,chris@contoso.com,chris@northwind.onmicrosoft.com") || !strings.Contains(batches, "2,zoe@contoso.com,zoe@northwind.onmicrosoft.com") {
		t.Errorf("the CEO and the assistant who sends on their behalf must share a wave:\n%s", batches)
	}

	// The saved snapshot gives the same files under evaluate.
	again := t.TempDir()
	if code, _, stderr := runCLI(t, nil, "evaluate", snap, "--quiet", "--out", again, "--migrating-domain", "contoso.com",
		"--bandwidth-mbps", "1", "--cutover-date", "2026-12-12", "--format", "addresses,batches"); code != ExitOK {
		t.Fatalf("evaluate: exit %d: %s", code, stderr)
	}
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(again, name))
		if err != nil {
			t.Fatal(err)
		}
		if d := golden.Diff("scan", "evaluate", want, got, golden.MaxDiffLines); d != "" {
			t.Errorf("%s differs between scan and evaluate of its snapshot:\n%s", name, d)
		}
	}

	html, err := os.ReadFile(filepath.Join(out, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`id="tenant"`, "Domain-removal readiness", "Target contacts and mail users to delete", "add smtp:bob@fabrikam.onmicrosoft.com"} {
		if !bytes.Contains(html, []byte(want)) {
			t.Errorf("report.html lacks %q", want)
		}
	}

	t.Run("pdf", func(t *testing.T) {
		if _, err := exec.LookPath("pdftotext"); err != nil {
			t.Skip("the PDF text check needs pdftotext (apt-get install poppler-utils)")
		}
		text, err := exec.Command("pdftotext", "-layout", filepath.Join(out, "report.pdf"), "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		s := string(text)
		start, end := strings.Index(s, "Tenant to tenant"), strings.Index(s, "Migration estimate")
		if start < 0 || end < start {
			t.Fatalf("no tenant-to-tenant section before the estimate in the PDF text")
		}
		section := s[start:end]
		// The page footer and header carry the scan id and date.
		var keep []string
		for _, l := range strings.Split(section, "\n") {
			if !strings.Contains(l, "preflight ") && !strings.Contains(l, "Migration readiness report") {
				keep = append(keep, strings.TrimRight(l, " \f"))
			}
		}
		golden.Check(t, t2tGolden("pdf.txt"), []byte(strings.TrimSpace(strings.Join(keep, "\n"))+"\n"))
		for _, want := range []string{"contoso.com", "Source objects still holding a migrating domain", "bob@northwind.com", "Contoso Info Desk", "add smtp:bob@fabrikam.onmicrosoft.com"} {
			if !strings.Contains(section, want) {
				t.Errorf("the PDF's tenant section lacks %q", want)
			}
		}
	})
}
