package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/preflight-scan/preflight/report/model"
)

const mbxTestdata = "../../collect/mailbox/testdata/"

// A CSV export with a header and no rows is no evidence: its area is not
// assessed, the report says "no mailboxes in FILE" (worded per input),
// the checks of the area are skipped with that reason, and a scan that
// judged nothing else is incomplete (exit 3), never ready.
func TestHeaderOnlyCSVIsNotEvidence(t *testing.T) {
	dir := t.TempDir()
	file := func(name, content string) string {
		p := filepath.Join(dir, name)
		writeFile(t, p, content)
		return p
	}
	recipients := "\ufeff#TYPE Selected.Microsoft.Exchange.Data.Directory.Management.ReducedRecipient\r\n\"Identity\",\"Name\",\"DisplayName\",\"Alias\",\"RecipientType\",\"RecipientTypeDetails\",\"PrimarySmtpAddress\",\"ExternalEmailAddress\",\"EmailAddresses\"\r\n"
	for _, tc := range []struct {
		name, flag, path, area, want string
	}{
		{"usage report as Microsoft documents it", "--mailbox-usage", mbxTestdata + "mailbox-usage-header-only.csv", "mailbox", "no mailboxes in "},
		{"Get-MailboxStatistics", "--mailbox-stats", mbxTestdata + "mailbox-stats-header-only.csv", "mailbox", "no mailboxes in "},
		{"Get-MailboxFolderStatistics", "--folder-stats", file("folders.csv", "\ufeff\"RunspaceId\";\"Name\";\"FolderPath\";\"FolderType\";\"ItemsInFolder\";\"FolderSize\";\"ItemsInFolderAndSubfolders\";\"FolderAndSubfolderSize\";\"Identity\"\r\n"), "mailbox", "no folders in "},
		{"client inventory", "--clients", file("clients.csv", "\ufeff\"Computer Name\",\"Application Name\",\"Version\",\"Publisher\",\"Installed On\"\r\n"), "clients", "no clients in "},
		{"source recipients", "--recipients", file("recipients.csv", recipients), "mailbox", "no recipients in "},
		{"source mailboxes", "--mailboxes", file("mailboxes.csv", "\"ExchangeGuid\",\"UserPrincipalName\",\"DisplayName\",\"PrimarySmtpAddress\"\r\n"), "mailbox", "no recipients in "},
		{"source users", "--users", file("users.csv", "\"UserPrincipalName\",\"DisplayName\",\"AccountEnabled\",\"ProxyAddresses\"\r\n"), "mailbox", "no recipients in "},
		{"target recipients", "--target-recipients", file("target.csv", recipients), "mailbox", "no recipients in "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			code, _, stderr := runCLI(t, nil, "scan", "--offline", "--quiet", tc.flag, tc.path, "--out", out, "--format", "json")
			if code != ExitIncomplete {
				t.Fatalf("exit %d (%s), want %d", code, stderr, ExitIncomplete)
			}
			rep := validReport(t, filepath.Join(out, "report.json"))
			if rep.Summary.Verdict != model.VerdictIncomplete {
				t.Errorf("verdict %s, want incomplete", rep.Summary.Verdict)
			}
			want := tc.want + tc.path
			if r := rep.Summary.Coverage.Reasons[tc.area]; !strings.Contains(r, want) {
				t.Errorf("coverage reason for %s %q, want %q", tc.area, r, want)
			}
			for _, a := range rep.Summary.Coverage.Assessed {
				t.Errorf("area %s assessed", a)
			}
			if len(rep.Sources) != 1 || rep.Sources[0].Status != "ok" || rep.Sources[0].Objects != 0 ||
				!strings.Contains(strings.Join(rep.Sources[0].Notes, "; "), "header and no rows") {
				t.Errorf("sources %+v: want one ok source of 0 objects with a note", rep.Sources)
			}
			skipped := 0
			for _, c := range rep.Checks {
				if c.Category != tc.area {
					continue
				}
				if c.Status == model.StatusPass || c.Status == model.StatusFail {
					t.Errorf("%s is %s on a header-only export", c.RuleID, c.Status)
				}
				if c.Status == model.StatusSkipped && strings.Contains(c.Error, want) {
					skipped++
				}
			}
			if skipped == 0 {
				t.Errorf("no check of %s skipped with %q", tc.area, want)
			}
		})
	}
}

// With a directory that was judged, a header-only mailbox export leaves
// the mailbox area not assessed and says why.
func TestHeaderOnlyBesideAJudgedDirectory(t *testing.T) {
	out := t.TempDir()
	stats := mbxTestdata + "mailbox-stats-header-only.csv"
	code, _, stderr := runCLI(t, nil, "scan", "--offline", "--quiet", "--ldif", "../../testdata/sample/directory.ldif", "--mailbox-stats", stats, "--out", out, "--format", "json")
	if code == ExitUsage || code == ExitInternal {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rep := validReport(t, filepath.Join(out, "report.json"))
	cov := rep.Summary.Coverage
	if !strings.Contains(strings.Join(cov.NotAssessed, ","), "mailbox") || cov.Reasons["mailbox"] != "no mailboxes in "+stats {
		t.Errorf("coverage %+v: want mailbox not assessed, \"no mailboxes in %s\"", cov, stats)
	}
	if !strings.Contains(strings.Join(rep.Summary.VerdictReasons, "; "), "no mailboxes in "+stats) {
		t.Errorf("verdict reasons %q do not say the mailbox export was empty", rep.Summary.VerdictReasons)
	}
}

// Windows PowerShell 5.1's Export-Csv -Encoding Default (code page 1252):
// without --csv-encoding the scan stops with the file, the line and the
// flag to use, and leaves the earlier report alone; with it, Jörg and
// Jürg are two mailboxes, spelt right.
func TestCSVEncoding(t *testing.T) {
	stats := mbxTestdata + "mailbox-stats-windows-1252.csv"
	out := t.TempDir()
	earlier := filepath.Join(out, "report.json")
	writeFile(t, earlier, "{}")
	code, _, stderr := runCLI(t, nil, "scan", "--offline", "--quiet", "--mailbox-stats", stats, "--out", out, "--format", "json")
	if code != ExitUsage {
		t.Fatalf("exit %d, want %d", code, ExitUsage)
	}
	for _, want := range []string{"mailbox-stats-windows-1252.csv:3: not valid UTF-8 (byte 0xF6)", "--csv-encoding windows-1252"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr %q lacks %q", stderr, want)
		}
	}
	if strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
		t.Errorf("stderr is not one line: %q", stderr)
	}
	if b, _ := os.ReadFile(earlier); string(b) != "{}" {
		t.Error("the earlier report was overwritten")
	}

	names := func(args ...string) map[string]bool {
		t.Helper()
		out := t.TempDir()
		code, _, stderr := runCLI(t, nil, append([]string{"scan", "--offline", "--quiet", "--out", out, "--format", "json"}, args...)...)
		if code == ExitUsage || code == ExitInternal || code == ExitIncomplete {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		rep := validReport(t, filepath.Join(out, "report.json"))
		got := map[string]bool{}
		for _, f := range rep.Findings {
			if f.RuleID == "MBX-002" {
				got[f.Object.Name] = true
			}
		}
		if n := strings.Join(rep.Sources[0].Notes, "; "); !strings.Contains(n, "read as windows-125") {
			t.Errorf("source notes %q do not say the encoding", n)
		}
		return got
	}
	got := names("--mailbox-stats", stats, "--csv-encoding", "windows-1252")
	if !got["Jörg Müller"] || !got["Jürg Müller"] || len(got) != 2 {
		t.Errorf("mailboxes over quota %v, want Jörg Müller and Jürg Müller", got)
	}
	cfg := filepath.Join(t.TempDir(), "preflight.yaml")
	writeFile(t, cfg, "csv-encoding: cp1251\nmailbox-stats: "+mbxTestdata+"mailbox-stats-windows-1251.csv\n")
	if got := names("--config", cfg); !got["Иван Петров"] || len(got) != 1 {
		t.Errorf("from the configuration file: mailboxes over quota %v, want Иван Петров", got)
	}

	code, _, stderr = runCLI(t, nil, "scan", "--offline", "--quiet", "--mailbox-stats", stats, "--csv-encoding", "ansi", "--out", t.TempDir())
	if code != ExitUsage || !strings.Contains(stderr, `unknown CSV encoding "ansi"`) || !strings.Contains(stderr, "windows-1252") {
		t.Errorf("unknown encoding: exit %d, %q; want 2 listing valid names", code, stderr)
	}
}
