package pdf

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/preflight-scan/preflight/internal/golden"
	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/report/reporttest"
)

var keep = flag.String("keep", "", "also write the rendered PDFs into this directory (to look at them)")

func render(t *testing.T, rep *model.Report) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(rep, &buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func fixtures() map[string]*model.Report {
	minimal := reporttest.Report()
	minimal.Findings = []model.Finding{}
	minimal.Checks = []model.Check{}
	minimal.Sources = nil
	minimal.History = nil
	minimal.Summary.Estimate = nil
	minimal.Summary.Verdict = model.VerdictReady
	minimal.Summary.VerdictReasons = []string{"no critical or high findings in the areas assessed"}
	minimal.Summary.Score = 100
	minimal.Summary.Counts = model.Counts{BySeverity: map[model.Severity]int{}, ByCategory: map[string]int{}}
	minimal.Scan.Organisation = ""
	return map[string]*model.Report{
		"fixture":  reporttest.Report(),
		"baseline": reporttest.WithBaseline(),
		"minimal":  minimal,
	}
}

// TestGolden renders each fixture twice and compares the bytes, then
// compares them with the golden files under testdata/: NAME.pdf.sha256
// holds the bytes' hash and NAME.pdf.txt the text pdftotext -layout reads,
// which shows what changed when the hash does. go test -update rewrites
// both.
func TestGolden(t *testing.T) {
	for name, rep := range fixtures() {
		t.Run(name, func(t *testing.T) {
			a, b := render(t, rep), render(t, rep)
			if !bytes.Equal(a, b) {
				t.Fatal("two renders of the same report differ")
			}
			if *keep != "" {
				if err := os.WriteFile(filepath.Join(*keep, name+".pdf"), a, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			sum := sha256.Sum256(a)
			golden.Check(t, filepath.Join("testdata", name+".pdf.sha256"), []byte(hex.EncodeToString(sum[:])+"\n"))
			t.Run("text", func(t *testing.T) {
				if _, err := exec.LookPath("pdftotext"); err != nil {
					t.Skip("the text golden needs pdftotext (apt-get install poppler-utils); the byte hash was still checked")
				}
				text := poppler(t, "pdftotext", "-layout", writeFile(t, a), "-")
				golden.Check(t, filepath.Join("testdata", name+".pdf.txt"), []byte(text))
			})
		})
	}
}

// TestScanTimeChangesOnlyDates checks that the PDF's dates come from the
// scan, not from the clock.
func TestDatesFromScan(t *testing.T) {
	rep := reporttest.Report()
	a := render(t, rep)
	if !bytes.Contains(a, []byte("D:20261120020000")) {
		t.Error("creation date is not the scan time")
	}
	rep.Scan.StartedAt = rep.Scan.StartedAt.Add(time.Hour)
	if bytes.Equal(a, render(t, rep)) {
		t.Error("a different scan time gave the same bytes")
	}
}

func poppler(t *testing.T, tool string, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		t.Skipf("%s not installed (apt-get install poppler-utils)", tool)
	}
	out, err := exec.Command(tool, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", tool, err, out)
	}
	return string(out)
}

func writeTemp(t *testing.T, rep *model.Report) string {
	t.Helper()
	return writeFile(t, render(t, rep))
}

func writeFile(t *testing.T, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestTextIsThere reads the PDF back with pdftotext: every failing rule,
// the verdict, names in Cyrillic, Greek and accented Latin, the checklist
// and the page footer must be in it.
func TestTextIsThere(t *testing.T) {
	rep := reporttest.WithBaseline()
	text := poppler(t, "pdftotext", "-layout", writeTemp(t, rep), "-")
	want := []string{
		"INCOMPLETE", "Contoso Ökonomie GmbH",
		reporttest.CyrillicName, reporttest.GreekName, reporttest.AccentedName,
		"‹U+738B›", // CJK: shown as code points, with a note
		"findings.csv", "Manual checklist", "[004 s49–50]", "Migration estimate", "28.9 hours",
		"Trend", "Since the last report", "Suppressions", "expired", "unused",
		"page 1 of ", "preflight 1.2.3", "not assessed",
	}
	for _, c := range rep.Checks {
		if c.Status == model.StatusFail || c.Status == model.StatusError {
			want = append(want, c.RuleID)
		}
	}
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("pdftotext does not find %q", w)
		}
	}
	if strings.Contains(text, "{nb}") {
		t.Error("page count alias not replaced")
	}
}

// TestFontsEmbedded checks with pdffonts that every font is embedded, so
// the PDF looks the same on a machine without DejaVu.
func TestFontsEmbedded(t *testing.T) {
	out := poppler(t, "pdffonts", writeTemp(t, reporttest.Report()))
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 3 {
		t.Fatalf("no fonts listed:\n%s", out)
	}
	for _, l := range lines[2:] {
		f := strings.Fields(l)
		// name type... encoding emb sub uni object ID: emb is the 5th from the end.
		if len(f) < 6 || f[len(f)-5] != "yes" {
			t.Errorf("font not embedded: %s", l)
		}
	}
}

func TestCoverage(t *testing.T) {
	cov, err := readCoverage(fontRegular)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range "AzÖåЖжΩω€–‹›•" {
		if !cov[r] {
			t.Errorf("DejaVu Sans should have %q", r)
		}
	}
	if cov['王'] {
		t.Error("DejaVu Sans has no CJK ideographs; the fallback note depends on knowing that")
	}
}

// TestGroupedFindings: DIR-010's users come under one heading per UPN
// suffix, most severe first, with at most MaxExamples users each and the
// rest counted, so 25 users stay readable.
func TestGroupedFindings(t *testing.T) {
	rep := reporttest.WithUPNSuffixes(reporttest.Report(), 25, 2)
	text := poppler(t, "pdftotext", "-layout", writeTemp(t, rep), "-")
	flat := strings.Join(strings.Fields(text), " ")
	local := strings.Index(flat, "corp.local — 25 users, high")
	public := strings.Index(flat, "example.org — 2 users, medium")
	if local < 0 || public < 0 || public < local {
		t.Fatalf("group headings missing or out of order (%d, %d):\n%s", local, public, text)
	}
	if !strings.Contains(flat, "and 15 more — all in findings.csv") {
		t.Error("the users not shown are not counted")
	}
	if strings.Contains(flat, "user010@corp.local") || !strings.Contains(flat, "user009@corp.local") {
		t.Errorf("want the first %d users of corp.local shown, and no more", MaxExamples)
	}
}
