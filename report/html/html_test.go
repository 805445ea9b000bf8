package html

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/preflight-scan/preflight/internal/golden"
	"github.com/preflight-scan/preflight/report/content"
	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/report/reporttest"
)

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
		"hostile":  reporttest.HostileReport(),
	}
}

// TestGolden renders each fixture twice, compares the bytes, then
// compares them with testdata/NAME.html (go test -update rewrites them).
func TestGolden(t *testing.T) {
	for name, rep := range fixtures() {
		t.Run(name, func(t *testing.T) {
			a, b := render(t, rep), render(t, rep)
			if !bytes.Equal(a, b) {
				t.Fatal("two renders of the same report differ")
			}
			golden.Check(t, filepath.Join("testdata", name+".html"), a)
		})
	}
}

var (
	styleRe = regexp.MustCompile(`(?s)<style>(.*?)</style>`)
	// scriptRe matches every script element with its attributes.
	scriptRe = regexp.MustCompile(`(?s)<script([^>]*)>(.*?)</script>`)
	cspRe    = regexp.MustCompile(`<meta http-equiv="Content-Security-Policy" content="([^"]*)">`)
)

func unescapeAttr(s string) string {
	return strings.NewReplacer("&#39;", "'", "&#43;", "+", "&amp;", "&", "&quot;", `"`).Replace(s)
}

// TestCSP: the policy forbids every fetch and names the page's one style
// sheet and one script by the hashes of the bytes in the page.
func TestCSP(t *testing.T) {
	page := string(render(t, reporttest.WithBaseline()))
	m := cspRe.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no Content-Security-Policy meta tag")
	}
	csp := unescapeAttr(m[1])
	if !strings.HasPrefix(csp, "default-src 'none';") {
		t.Errorf("policy %q does not start with default-src 'none'", csp)
	}
	for _, bad := range []string{"unsafe-inline", "unsafe-eval", "http:", "https:", "*", "connect-src"} {
		if strings.Contains(csp, bad) {
			t.Errorf("policy %q allows %s", csp, bad)
		}
	}
	hash := func(s string) string {
		sum := sha256.Sum256([]byte(s))
		return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	}
	styles := styleRe.FindAllStringSubmatch(page, -1)
	if len(styles) != 1 || !strings.Contains(csp, "style-src "+hash(styles[0][1])+";") {
		t.Errorf("the policy does not name the page's style sheet by its hash")
	}
	var code []string
	for _, s := range scriptRe.FindAllStringSubmatch(page, -1) {
		switch s[1] {
		case "":
			code = append(code, s[2])
		case ` type="application/json" id="findings-data"`:
		default:
			t.Errorf("unexpected script element <script%s>", s[1])
		}
	}
	if len(code) != 1 || !strings.Contains(csp, "script-src "+hash(code[0])+";") {
		t.Errorf("the policy does not name the page's one script by its hash")
	}
	if strings.Contains(page, " style=") {
		t.Error("an inline style attribute: the policy would block it")
	}
}

// TestHostileEscaped: the hostile names never reach the page as markup.
// Outside the data block each appears only escaped; inside it no string
// can end the element or open a comment; the block decodes back to the
// exact names.
func TestHostileEscaped(t *testing.T) {
	rep := reporttest.HostileReport()
	page := string(render(t, rep))
	markup := page[:strings.Index(page, `<script type="application/json"`)]
	for _, bad := range []string{"<img", "<svg onload", "<script>window", "onerror=\"window", "\u202E", `href="javascript`} {
		if strings.Contains(strings.ToLower(markup), strings.ToLower(bad)) {
			t.Errorf("the page holds %q unescaped", bad)
		}
	}
	if n := strings.Count(page, "<script"); n != 2 {
		t.Errorf("%d script elements, want 2 (the data block and the page's script)", n)
	}
	if n := strings.Count(page, "</script"); n != 2 {
		t.Errorf("%d </script, want 2", n)
	}
	if strings.Contains(page, "<!--") {
		t.Error("the page opens a comment")
	}
	var data string
	for _, s := range scriptRe.FindAllStringSubmatch(page, -1) {
		if strings.Contains(s[1], "application/json") {
			data = s[2]
		}
	}
	if strings.ContainsAny(data, "<>&\u2028\u2029") {
		t.Error("the data block holds <, >, &, U+2028 or U+2029 unescaped")
	}
	var got struct {
		Findings [][]any `json:"findings"`
	}
	if err := json.Unmarshal([]byte(data), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Findings) != len(rep.Findings) {
		t.Fatalf("%d findings in the data block, want %d", len(got.Findings), len(rep.Findings))
	}
	for i, f := range rep.Findings {
		if got.Findings[i][5] != f.Object.Name || got.Findings[i][4] != f.Object.ID || got.Findings[i][6] != f.Message {
			t.Errorf("finding %d: the data block changed the names: %v", i, got.Findings[i][4:7])
		}
	}
	// The bidi override is shown, not obeyed.
	if !strings.Contains(html.UnescapeString(markup), "invoice⟨U+202E⟩gpj.exe") {
		t.Error("the bidi override is not made visible")
	}
}

// TestContent: the page says what the PDF says.
func TestContent(t *testing.T) {
	rep := reporttest.WithBaseline()
	page := string(render(t, rep))
	want := []string{"INCOMPLETE", ">41<", "What to fix", "What was not assessed", "Blocklists: no data source was given",
		"DNS: a data source failed", "Data sources", "Migration estimate", "28.9 hours", "Manual checklist",
		"Since the last report", "Trend", "Suppressions", "DIR-005", "Duplicate address", "What it means",
		"Threshold", "What to do", "not evaluated", reporttest.CyrillicName, reporttest.CJKName, "Weeks before"}
	for _, c := range content.Failing(rep) {
		want = append(want, `id="rule-`+c.RuleID+`"`)
	}
	for _, w := range want {
		if !strings.Contains(page, w) {
			t.Errorf("the page lacks %q", w)
		}
	}
	for _, forbidden := range []string{" src=", "@import", "url(", "<link", "<base", "<iframe", "<img"} {
		if strings.Contains(page, forbidden) {
			t.Errorf("the page refers to something outside itself: %q", forbidden)
		}
	}
	for _, m := range regexp.MustCompile(`href="([^"]*)"`).FindAllStringSubmatch(page, -1) {
		if !strings.HasPrefix(m[1], "#") {
			t.Errorf("a link leaves the page: %s", m[1])
		}
	}
}

// TestVisible shows the characters that reorder text.
func TestVisible(t *testing.T) {
	if got := Visible("a\u202Eb\u200Bc"); got != "a⟨U+202E⟩b⟨U+200B⟩c" {
		t.Errorf("Visible: %q", got)
	}
	if got := Visible("Анна"); got != "Анна" {
		t.Errorf("Visible changed plain text: %q", got)
	}
}

// TestGroupedFindings: DIR-010's users come under one heading per UPN
// suffix, most severe first, with at most MaxExamples users each and the
// rest counted.
func TestGroupedFindings(t *testing.T) {
	rep := reporttest.WithUPNSuffixes(reporttest.Report(), 25, 2)
	page := string(render(t, rep))
	local := strings.Index(page, `<h4 class="group" dir="auto">corp.local — 25 users, high</h4>`)
	public := strings.Index(page, `<h4 class="group" dir="auto">example.org — 2 users, medium</h4>`)
	if local < 0 || public < local {
		t.Fatalf("group headings missing or out of order (%d, %d)", local, public)
	}
	if !strings.Contains(page, fmt.Sprintf("and %d more in the findings list below and in findings.csv", 25-MaxExamples)) {
		t.Error("the users not shown are not counted")
	}
	block := page[local:public]
	if n := strings.Count(block, "<tr><td"); n != MaxExamples {
		t.Errorf("corp.local shows %d users, want %d", n, MaxExamples)
	}
}
