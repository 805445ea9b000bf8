package cli

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/preflight-scan/preflight/report"
)

// TestSamplePDFText renders the sample organisation's PDF and reads it
// back with pdftotext: the verdict, every failing rule and a name in
// Cyrillic script must be in it.
func TestSamplePDFText(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) not installed")
	}
	out := t.TempDir()
	if code, _, stderr := runCLI(t, nil, "scan", "--sample", "--quiet", "--out", out, "--format", "json,pdf"); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	text, err := exec.Command("pdftotext", "-layout", filepath.Join(out, "report.pdf"), "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	rep, err := report.ReadFile(filepath.Join(out, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{strings.ToUpper(rep.Summary.Verdict), "Ольга Смирнова"}
	for _, c := range rep.Checks {
		if c.Status == report.CheckFail {
			want = append(want, c.RuleID)
		}
	}
	for _, w := range want {
		if !strings.Contains(string(text), w) {
			t.Errorf("the sample PDF does not contain %q", w)
		}
	}
}
