// Package content holds what the PDF and the HTML report say alike: the
// words for verdicts, profiles and areas, which rules need attention and
// in what order, how a rule's threshold reads, the counts by area and the
// manual checklist. Renderers lay it out; they do not decide it.
package content

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/preflight-scan/preflight/report"
	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/snapshot"
)

// Verdict returns a verdict's headline (READY, AT RISK, ...) and the
// sentence that explains it; an unknown verdict is shown upper-cased with
// no sentence.
func Verdict(v model.Verdict) (headline, explanation string) {
	switch v {
	case model.VerdictReady:
		return "READY", "No critical or high findings in the areas assessed."
	case model.VerdictAtRisk:
		return "AT RISK", "The migration can go ahead, but some users or objects will break or change. Fix the high findings first."
	case model.VerdictBlocked:
		return "BLOCKED", "The migration or directory synchronisation cannot go ahead until the critical findings are fixed."
	case model.VerdictIncomplete:
		return "INCOMPLETE", "Some checks could not be evaluated because a data source failed. This report cannot call the organisation ready."
	}
	return strings.ToUpper(string(v)), ""
}

// VerdictHeadline returns the headline of a known verdict, "" otherwise.
func VerdictHeadline(v model.Verdict) string {
	h, e := Verdict(v)
	if e == "" {
		return ""
	}
	return h
}

// ProfileName describes a rule profile; an unknown one is shown as is.
func ProfileName(p string) string {
	switch p {
	case "exchange-online":
		return "Exchange Online (today's Microsoft 365 limits)"
	case "office365-2011":
		return "BPOS to Office 365 transition (2011)"
	case "bpos-2010":
		return "BPOS Standard (2010)"
	}
	return p
}

// AreaName names an area for people; an unknown one is shown as is.
func AreaName(a string) string {
	switch a {
	case "directory":
		return "Directory"
	case "clients":
		return "Client software"
	case "mailbox":
		return "Mailboxes"
	case "dns":
		return "DNS"
	case "blacklist":
		return "Blocklists"
	case "network":
		return "Network"
	}
	return a
}

// ScanDate formats a scan time in UTC for the reader; "" for no time.
func ScanDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2 January 2006, 15:04 MST")
}

// BytesText shows a size in GB, MB or bytes.
func BytesText(n int64) string {
	const gb = 1 << 30
	switch {
	case n >= gb:
		return fmt.Sprintf("%.1f GB", float64(n)/gb)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d bytes", n)
}

// Failing returns the checks that need attention: the failing and
// erroring ones, errors first, then by severity and rule ID. A failing
// rule whose every finding is suppressed is left out: it is listed under
// the suppressions.
func Failing(rep *model.Report) []model.Check {
	open := map[string]bool{}
	for _, f := range rep.Findings {
		if f.Suppressed == nil {
			open[f.RuleID] = true
		}
	}
	var out []model.Check
	for _, c := range rep.Checks {
		if c.Status == model.StatusError || (c.Status == model.StatusFail && (open[c.RuleID] || c.Findings == 0)) {
			out = append(out, c)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if (a.Status == model.StatusError) != (b.Status == model.StatusError) {
			return a.Status == model.StatusError
		}
		if ra, rb := a.Severity.Rank(), b.Severity.Rank(); ra != rb {
			return ra > rb
		}
		return a.RuleID < b.RuleID
	})
	return out
}

// RuleTally counts the checks that passed, do not apply and were skipped.
type RuleTally struct {
	Passed, NotApplicable, Skipped int
}

// Tally counts the report's checks by status.
func Tally(rep *model.Report) RuleTally {
	var t RuleTally
	for _, c := range rep.Checks {
		switch c.Status {
		case model.StatusPass:
			t.Passed++
		case model.StatusNotApplicable:
			t.NotApplicable++
		case model.StatusSkipped:
			t.Skipped++
		}
	}
	return t
}

// Suppressed counts the findings a suppression hides.
func Suppressed(rep *model.Report) int {
	n := 0
	for _, f := range rep.Findings {
		if f.Suppressed != nil {
			n++
		}
	}
	return n
}

// Area states in the chart by area.
const (
	AreaAssessed    = ""
	AreaNotAssessed = "not assessed"
	AreaFailed      = "failed"
)

// AreaRow is one bar of the chart by area.
type AreaRow struct {
	Area string
	Name string
	// State is AreaAssessed, AreaNotAssessed or AreaFailed.
	State string
	// BySeverity counts the open findings, in model.Severities order.
	BySeverity []int
	Total      int
}

// ByArea counts the open (unsuppressed) findings of every area by
// severity, in the order of snapshot.Areas, and returns the largest
// total, the bar that fills the chart's width.
func ByArea(rep *model.Report) (rows []AreaRow, most int) {
	counts := map[string]map[model.Severity]int{}
	for _, f := range rep.Findings {
		if f.Suppressed != nil {
			continue
		}
		if counts[f.Category] == nil {
			counts[f.Category] = map[model.Severity]int{}
		}
		counts[f.Category][f.Severity]++
	}
	for _, m := range counts {
		t := 0
		for _, n := range m {
			t += n
		}
		if t > most {
			most = t
		}
	}
	state := map[string]string{}
	for _, a := range rep.Summary.Coverage.NotAssessed {
		state[a] = AreaNotAssessed
	}
	for _, a := range rep.Summary.Coverage.Failed {
		state[a] = AreaFailed
	}
	for _, a := range snapshot.Areas() {
		area := string(a)
		r := AreaRow{Area: area, Name: AreaName(area), State: state[area]}
		for _, sev := range model.Severities() {
			n := counts[area][sev]
			r.BySeverity = append(r.BySeverity, n)
			r.Total += n
		}
		rows = append(rows, r)
	}
	return rows, most
}

// ThresholdText shows a rule's parameters compactly: scalars and short
// lists in full, tables (lists of records, nested settings) by their size
// with a pointer to report.json, which has them whole.
func ThresholdText(m map[string]any) string {
	if len(m) == 0 {
		return ""
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, k+" = "+valueText(m[k]))
	}
	return report.Clip(strings.Join(parts, "; "), 500)
}

func valueText(v any) string {
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			switch e.(type) {
			case map[string]any, []any:
				return fmt.Sprintf("(a table of %d entries, in report.json)", len(x))
			}
		}
		var s []string
		for i, e := range x {
			if i == 8 {
				s = append(s, fmt.Sprintf("… %d in all", len(x)))
				break
			}
			s = append(s, valueText(e))
		}
		return "[" + strings.Join(s, ", ") + "]"
	case map[string]any:
		return fmt.Sprintf("(%d settings, in report.json)", len(x))
	case string:
		return report.Clip(x, 80)
	case nil:
		return "none"
	}
	return fmt.Sprint(v)
}

// ThresholdLine is the "Threshold" (or "Source", when the rule has no
// parameters) line of a rule: its parameters and where they come from.
// It returns "", "" when the rule has neither.
func ThresholdLine(c model.Check) (label, value string) {
	th := ThresholdText(c.Threshold)
	if th == "" && c.SourceReference == "" {
		return "", ""
	}
	v := th
	if c.SourceReference != "" {
		if v != "" {
			v += " — "
		}
		v += "source: " + c.SourceReference
	}
	if th == "" {
		return "Source", v
	}
	return "Threshold", v
}

// Affected says how many open findings a rule has, how many are new
// since the baseline (when there is one) and how many are suppressed.
func Affected(rep *model.Report, fs []model.Finding) string {
	suppressed, open, fresh := 0, 0, 0
	for _, f := range fs {
		if f.Suppressed != nil {
			suppressed++
			continue
		}
		open++
		if f.Status == "new" {
			fresh++
		}
	}
	n := fmt.Sprintf("%d", open)
	if open == 1 {
		n += " finding"
	} else {
		n += " findings"
	}
	if rep.Baseline != nil {
		n += fmt.Sprintf(", %d new since the last report", fresh)
	}
	if suppressed > 0 {
		n += fmt.Sprintf(" (and %d suppressed)", suppressed)
	}
	return n
}

// SourceDetail is the detail column of a data source: its error, its notes
// and the count of malformed rows skipped, joined with "; ".
func SourceDetail(s snapshot.Source) string {
	detail := s.Error
	if len(s.Notes) > 0 {
		if detail != "" {
			detail += "; "
		}
		detail += strings.Join(s.Notes, "; ")
	}
	if s.SkippedRows > 0 {
		detail = strings.TrimPrefix(detail+fmt.Sprintf("; %d malformed row(s) skipped", s.SkippedRows), "; ")
	}
	return detail
}

// SourceAreas names the areas a source covers, in its order.
func SourceAreas(s snapshot.Source) []string {
	var out []string
	for _, a := range s.Areas {
		out = append(out, AreaName(string(a)))
	}
	return out
}

// SuppressionText says why a finding is suppressed and until when ("yes"
// when the suppression gives no reason); "" when it is not.
func SuppressionText(s *model.Suppression) string {
	if s == nil {
		return ""
	}
	text := s.Reason
	if s.Expires != "" {
		text += " (until " + s.Expires + ")"
	}
	if text == "" {
		text = "yes"
	}
	return text
}
