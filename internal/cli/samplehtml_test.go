package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/preflight-scan/preflight/internal/browsertest"
	"github.com/preflight-scan/preflight/internal/golden"
	"github.com/preflight-scan/preflight/report"
	"github.com/preflight-scan/preflight/report/html"
	"github.com/preflight-scan/preflight/report/model"
)

// TestSampleHTML renders the sample organisation's report.html, checks it
// is the rendering of its report.json and compares it (scan id fixed)
// with testdata/golden/sample.html; then opens it in Chromium and checks
// what a reader sees: the verdict, the rows left after filtering by a
// severity, a search hit on the Cyrillic-named user, and that the page
// made no request.
func TestSampleHTML(t *testing.T) {
	out := t.TempDir()
	if code, _, stderr := runCLI(t, nil, "scan", "--sample", "--quiet", "--out", out, "--format", "json,html"); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rep, err := report.ReadFile(filepath.Join(out, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	written, err := os.ReadFile(filepath.Join(out, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	render := func(rep *model.Report) []byte {
		t.Helper()
		var buf bytes.Buffer
		if err := html.Write(rep, &buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	if !bytes.Equal(written, render(rep)) {
		t.Fatal("report.html is not the rendering of report.json")
	}
	rep.Scan.ID = "5a3d1e0c00000000000000000000000f"
	b := render(rep)
	golden.Check(t, filepath.Join("..", "..", "testdata", "golden", "sample.html"), b)

	page := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(page, b, 0o644); err != nil {
		t.Fatal(err)
	}
	p := browsertest.Open(t, page)
	p.Shot("sample-top", false)
	for _, sec := range []string{"sources", "fix", "checklist"} {
		p.Do(chromedp.ScrollIntoView("#" + sec))
		p.Shot("sample-"+sec, false)
	}
	headline := strings.ToUpper(strings.ReplaceAll(string(rep.Summary.Verdict), "-", " "))
	if got := p.Text("#verdict-text"); got != headline {
		t.Errorf("verdict reads %q, want %q", got, headline)
	}
	rows := func() int { return browsertest.Eval[int](p, `document.querySelectorAll("#rows tr").length`) }
	if got := p.Text("#count"); got != strconv.Itoa(len(rep.Findings))+" finding(s)" {
		t.Errorf("count reads %q, want %d finding(s)", got, len(rep.Findings))
	}
	for _, sev := range []model.Severity{model.SeverityCritical, model.SeverityHigh} {
		want := 0
		for _, f := range rep.Findings {
			if f.Severity == sev {
				want++
			}
		}
		p.Do(chromedp.SetValue("#f-sev", string(sev)),
			chromedp.Evaluate[chromedp.Void](`document.getElementById("f-sev").dispatchEvent(new Event("change"))`))
		if n := rows(); n != min(want, 100) {
			t.Errorf("severity %s: %d rows, want %d", sev, n, min(want, 100))
		}
		if want > 0 && !strings.HasPrefix(p.Text("#count"), strconv.Itoa(want)+" of ") {
			t.Errorf("severity %s: count reads %q, want %d of …", sev, p.Text("#count"), want)
		}
	}
	p.Click("#clear")
	p.Do(chromedp.SendKeys("#q", "Ольга"),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll("#rows tr").length > 0 && document.getElementById("count").textContent.indexOf(" of ") > 0`))
	if got := p.Text("#rows"); !strings.Contains(got, "Ольга Смирнова") {
		t.Errorf("search for Ольга shows %q", got)
	}
	p.Do(chromedp.ScrollIntoView("#findings"))
	p.Shot("sample-search", false)
	p.Shot("sample-full", true)
	p.CheckQuiet()
}

// TestReportHistoryHTML: preflight report --history DIR renders the latest
// kept report with the trend over the others, without a scan; the kept
// reports record their counts by severity.
func TestReportHistoryHTML(t *testing.T) {
	root := t.TempDir()
	hist := filepath.Join(root, "history")
	snaps := []map[string]float64{
		{"anna": 60, "bob": 70, "dave": 90, "small": 1},
		{"anna": 60, "bob": 70, "small": 1},
		{"bob": 70, "carol": 80, "small": 1},
	}
	night := time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)
	for i, m := range snaps {
		snap := mailboxSnapshot(t, filepath.Join(root, "night"+strconv.Itoa(i)+".gz"), m)
		code, _, stderr := runAt(t, night.Add(time.Duration(i)*24*time.Hour), nil, "evaluate", snap, "--quiet", "--history", hist, "--out", mkdir(t, root, "out"+strconv.Itoa(i)), "--format", "json")
		if code != ExitOK && code != ExitFindings {
			t.Fatalf("night %d: exit %d: %s", i, code, stderr)
		}
	}
	out := mkdir(t, root, "view")
	if code, _, stderr := runCLI(t, nil, "report", "--history", hist, "--format", "html,json", "--out", out); code != ExitOK {
		t.Fatalf("report --history: exit %d: %s", code, stderr)
	}
	rep, err := report.ReadFile(filepath.Join(out, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.History) != 2 || rep.Scan.StartedAt != night.Add(48*time.Hour) {
		t.Fatalf("rendered run %v with %d history points, want the third night with 2", rep.Scan.StartedAt, len(rep.History))
	}
	for i, h := range rep.History {
		if h.BySeverity == nil || h.BySeverity[model.SeverityHigh] == 0 {
			t.Errorf("history point %d has no counts by severity: %+v", i, h)
		}
	}
	b, err := os.ReadFile(filepath.Join(out, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`id="trend"`, "Since the last report", "Runs, newest first", "2026-11-20 02:00", "2026-11-22 02:00"} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	if code, _, stderr := runCLI(t, nil, "report", "--history", filepath.Join(root, "none"), "--format", "html", "--out", out); code != ExitUsage || !strings.Contains(stderr, "no report") {
		t.Errorf("empty history: exit %d, %q", code, stderr)
	}
	p := browsertest.Open(t, filepath.Join(out, "report.html"))
	p.Do(chromedp.ScrollIntoView("#changes"))
	p.Shot("nightly-changes", false)
	p.Do(chromedp.ScrollIntoView("#trend"))
	p.Shot("nightly-trend", false)
	p.CheckQuiet()
}
