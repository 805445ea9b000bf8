package cli

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/preflight-scan/preflight/internal/golden"
	"github.com/preflight-scan/preflight/report"
	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/report/pdf"
)

// TestSamplePDF renders the sample organisation's PDF and compares it with
// the golden files testdata/golden/sample.pdf.sha256 (its bytes, with the
// scan id fixed) and sample.pdf.txt (its text as pdftotext -layout reads
// it, which shows what changed when the bytes do); the verdict, every
// failing rule and a name in Cyrillic script must be in the text. Run with
// -update to accept a change.
func TestSamplePDF(t *testing.T) {
	out := t.TempDir()
	if code, _, stderr := runCLI(t, nil, "scan", "--sample", "--quiet", "--out", out, "--format", "json,pdf"); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rep, err := report.ReadFile(filepath.Join(out, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	written, err := os.ReadFile(filepath.Join(out, "report.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	render := func(rep *model.Report) []byte {
		t.Helper()
		var buf bytes.Buffer
		if err := pdf.Write(rep, &buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	// The scan's PDF is the rendering of its report.json, so fixing the
	// one thing that differs between runs, the scan id, gives stable bytes.
	if !bytes.Equal(written, render(rep)) {
		t.Fatal("report.pdf is not the rendering of report.json")
	}
	rep.Scan.ID = "5a3d1e0c00000000000000000000000f"
	b := render(rep)
	sum := sha256.Sum256(b)
	golden.Check(t, filepath.Join("..", "..", "testdata", "golden", "sample.pdf.sha256"), []byte(hex.EncodeToString(sum[:])+"\n"))

	t.Run("text", func(t *testing.T) {
		if _, err := exec.LookPath("pdftotext"); err != nil {
			t.Skip("the text golden needs pdftotext (apt-get install poppler-utils); the byte hash was still checked")
		}
		p := filepath.Join(t.TempDir(), "sample.pdf")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		text, err := exec.Command("pdftotext", "-layout", p, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		golden.Check(t, filepath.Join("..", "..", "testdata", "golden", "sample.pdf.txt"), text)
		want := []string{strings.ToUpper(string(rep.Summary.Verdict)), "Ольга Смирнова"}
		for _, c := range rep.Checks {
			if c.Status == model.StatusFail {
				want = append(want, c.RuleID)
			}
		}
		for _, w := range want {
			if !bytes.Contains(text, []byte(w)) {
				t.Errorf("the sample PDF does not contain %q", w)
			}
		}
	})
}
