package html

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/preflight-scan/preflight/internal/browsertest"
	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/report/reporttest"
)

func writePage(t *testing.T, rep *model.Report) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(p, render(t, rep), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// selectValue picks value in a <select> the way a person does: the value
// changes and the page hears a change event.
func selectValue(p *browsertest.Page, sel, value string) {
	p.Do(chromedp.SetValue(sel, value),
		chromedp.Evaluate[chromedp.Void](`document.querySelector(`+jsString(sel)+`).dispatchEvent(new Event("change"))`))
}

func jsString(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }

func rows(p *browsertest.Page) int {
	return browsertest.Eval[int](p, `document.querySelectorAll("#rows tr").length`)
}

// TestBrowserFixture opens the fixture in Chromium and checks what a
// reader sees: the verdict, every finding listed, the rows left after
// filtering by a severity, a search hit on a Cyrillic name, a rule's link
// to its findings, the evidence of a finding, and that the page asked
// nothing of the network.
func TestBrowserFixture(t *testing.T) {
	rep := reporttest.WithBaseline()
	p := browsertest.Open(t, writePage(t, rep))
	p.Shot("fixture-top", false)
	if got := p.Text("#verdict-text"); got != "INCOMPLETE" {
		t.Errorf("verdict reads %q, want INCOMPLETE", got)
	}
	if n := rows(p); n != len(rep.Findings) {
		t.Errorf("%d rows listed, want %d", n, len(rep.Findings))
	}
	high := 0
	for _, f := range rep.Findings {
		if f.Severity == model.SeverityHigh {
			high++
		}
	}
	selectValue(p, "#f-sev", "high")
	if n := rows(p); n != high {
		t.Errorf("severity high: %d rows, want %d", n, high)
	}
	if got, want := p.Text("#count"), "of "+strconv.Itoa(len(rep.Findings)); !strings.Contains(got, want) {
		t.Errorf("count reads %q, want it to say %q", got, want)
	}
	csv := p.Download("#csv")
	if lines := strings.Split(strings.TrimSuffix(csv, "\r\n"), "\r\n"); len(lines) != high+1 || !strings.HasPrefix(strings.TrimPrefix(lines[0], "\uFEFF"), "fingerprint,rule_id,severity") {
		t.Errorf("the CSV of the high findings has %d lines, want %d and the findings.csv header", len(lines), high+1)
	}
	if !strings.Contains(csv, `"'=HYPERLINK(`) {
		t.Error("the CSV does not defuse the formula in a name")
	}
	p.Click("#clear")
	p.Do(chromedp.SendKeys("#q", "Петрова"))
	p.Do(chromedp.Poll[chromedp.Void](`document.querySelectorAll("#rows tr").length === 1`))
	if got := p.Text("#rows tr"); !strings.Contains(got, reporttest.CyrillicName) {
		t.Errorf("search for Петрова shows %q", got)
	}
	p.Click(`#rows details summary`)
	if got := p.Text("#rows details dl"); !strings.Contains(got, "[002 §3.4.1]") || !strings.Contains(got, "fingerprint") {
		t.Errorf("evidence reads %q", got)
	}
	p.Shot("fixture-search", false)
	// A rule's link filters the list by the rule.
	p.Click(`a.show-rule[data-rule="DIR-001"]`)
	if n := rows(p); n != 14 {
		t.Errorf("DIR-001's link lists %d rows, want 14", n)
	}
	if v := browsertest.Eval[string](p, `document.getElementById("f-rule").value`); v != "DIR-001" {
		t.Errorf("rule filter is %q after the rule's link", v)
	}
	p.Shot("fixture-rule", false)
	p.Shot("fixture-full", true)
	p.CheckQuiet()
}

// TestBrowserHostile opens a report whose every name is an attack and
// checks that none of them ran, opened a dialog or loaded anything, and
// that they are shown as the text they are.
func TestBrowserHostile(t *testing.T) {
	rep := reporttest.HostileReport()
	p := browsertest.Open(t, writePage(t, rep))
	if n := rows(p); n != len(rep.Findings) {
		t.Errorf("%d rows listed, want %d", n, len(rep.Findings))
	}
	// Open every evidence block, hover every name.
	p.Do(chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("#rows details").forEach(function (d) { d.open = true })`))
	p.Do(chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("td, span, a, dd").forEach(function (e) { e.dispatchEvent(new MouseEvent("mouseover", {bubbles: true})) })`))
	p.Shot("hostile-top", false)
	p.Shot("hostile-full", true)
	if got := browsertest.Eval[string](p, `String(window.__pwned)`); got != "undefined" {
		t.Errorf("a hostile name ran script: window.__pwned = %s", got)
	}
	if n := browsertest.Eval[int](p, `document.querySelectorAll("img, iframe, object, embed, script:not([type]), [onerror], [onload], [onmouseover]").length`); n != 1 {
		t.Errorf("%d elements that load or run something, want 1 (the page's own script)", n)
	}
	if n := browsertest.Eval[int](p, `document.querySelectorAll("a[href^='javascript'], a[href^='JAVASCRIPT']").length`); n != 0 {
		t.Errorf("%d javascript: links", n)
	}
	body := p.Text("body")
	for _, s := range []string{`<img src=x onerror=`, `</script><script>`, "⟨U+202E⟩"} {
		if !strings.Contains(body, s) {
			t.Errorf("the page does not show %q as text", s)
		}
	}
	p.CheckQuiet()
}

// TestBrowserLarge: 30,000 findings (a scan of about a million objects)
// load, list a page, filter and search. It logs how long each took, for
// the record; it asserts the rows, not the times.
func TestBrowserLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the 30,000-finding page is skipped")
	}
	rep := reporttest.Report()
	base := rep.Findings
	rep.Findings = nil
	for i := 0; len(rep.Findings) < 30000; i++ {
		for _, f := range base {
			f.Fingerprint = strconv.Itoa(i) + f.Fingerprint
			f.Object.ID = strconv.Itoa(i) + " " + f.Object.ID
			rep.Findings = append(rep.Findings, f)
		}
	}
	rep.Findings = rep.Findings[:30000]
	model.SortFindings(rep.Findings)
	start := time.Now()
	b := render(t, rep)
	t.Logf("render: %d findings, %d bytes, %v", len(rep.Findings), len(b), time.Since(start))
	path := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	start = time.Now()
	p := browsertest.Open(t, path)
	t.Logf("open in Chromium: %v", time.Since(start))
	if n := rows(p); n != 100 {
		t.Errorf("first page lists %d rows, want 100", n)
	}
	want := 0
	for _, f := range rep.Findings {
		if f.Severity == model.SeverityCritical {
			want++
		}
	}
	start = time.Now()
	selectValue(p, "#f-sev", "critical")
	t.Logf("filter by severity: %v", time.Since(start))
	if got := p.Text("#count"); !strings.HasPrefix(got, strconv.Itoa(want)+" of 30000") {
		t.Errorf("count reads %q, want %d of 30000", got, want)
	}
	start = time.Now()
	p.Do(chromedp.SendKeys("#q", "王小明"), chromedp.Poll[chromedp.Void](`(function () { var r = Array.from(document.querySelectorAll("#rows tr")); return r.length > 0 && r.every(function (x) { return x.textContent.indexOf("王小明") >= 0; }); })()`))
	t.Logf("search: %v", time.Since(start))
	start = time.Now()
	p.Click(`#ftable th button[data-key="obj"]`)
	t.Logf("sort by object: %v", time.Since(start))
	p.Shot("large", false)
	p.CheckQuiet()
}
