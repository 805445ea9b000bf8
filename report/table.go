package report

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/preflight-scan/preflight/report/model"
)

// WriteTable writes the terminal summary: verdict, coverage, counts by
// severity, the sources, and the failing rules with their counts and one
// example each.
func WriteTable(rep *model.Report, w io.Writer) error {
	s := rep.Summary
	var head strings.Builder
	fmt.Fprintf(&head, "\nVerdict: %s   Score: %d/100   Profile: %s\n", strings.ToUpper(string(s.Verdict)), s.Score, rep.Scan.Profile)
	for _, r := range s.VerdictReasons {
		fmt.Fprintf(&head, "  - %s\n", r)
	}
	fmt.Fprintf(&head, "Assessed: %s\n", ListOr(s.Coverage.Assessed, "none"))
	if len(s.Coverage.Failed) > 0 {
		fmt.Fprintf(&head, "FAILED (could not be assessed): %s\n", strings.Join(s.Coverage.Failed, ", "))
	}
	fmt.Fprintf(&head, "Not assessed: %s\n\n", ListOr(s.Coverage.NotAssessed, "none"))
	if _, err := io.WriteString(w, head.String()); err != nil {
		return err
	}

	src := newTable(w)
	src.Header("Source", "Kind", "Status", "Objects", "Detail")
	for _, x := range rep.Sources {
		detail := x.Error
		if detail == "" && len(x.Notes) > 0 {
			detail = strings.Join(x.Notes, "; ")
		}
		if err := src.Append(x.Name, x.Kind, x.Status, fmt.Sprint(x.Objects), Clip(detail, 70)); err != nil {
			return err
		}
	}
	if err := src.Render(); err != nil {
		return err
	}

	counts := newTable(w)
	var hdr, row []any
	for _, sev := range model.Severities() {
		hdr = append(hdr, sev)
		row = append(row, fmt.Sprint(s.Counts.BySeverity[sev]))
	}
	counts.Header(hdr...)
	if err := counts.Append(row...); err != nil {
		return err
	}
	if err := counts.Render(); err != nil {
		return err
	}

	example := map[string]model.Finding{}
	byRule := map[string][]model.Finding{}
	for _, f := range rep.Findings {
		if f.Suppressed != nil {
			continue
		}
		if _, ok := example[f.RuleID]; !ok {
			example[f.RuleID] = f
		}
		if f.Group != "" {
			byRule[f.RuleID] = append(byRule[f.RuleID], f)
		}
	}
	var shown []model.Check
	for _, c := range rep.Checks {
		if c.Status == model.StatusFail || c.Status == model.StatusError {
			shown = append(shown, c)
		}
	}
	sort.SliceStable(shown, func(i, j int) bool {
		a, b := shown[i], shown[j]
		if (a.Status == model.StatusError) != (b.Status == model.StatusError) {
			return a.Status == model.StatusError
		}
		if a.Severity.Rank() != b.Severity.Rank() {
			return a.Severity.Rank() > b.Severity.Rank()
		}
		return a.RuleID < b.RuleID
	})
	if len(shown) == 0 {
		_, err := io.WriteString(w, "No failing rules.\n")
		return err
	}
	t := newTable(w)
	t.Header("Rule", "Severity", "Status", "Count", "Title", "Example")
	for _, c := range shown {
		ex := c.Error
		if f, ok := example[c.RuleID]; ok && c.Status == model.StatusFail {
			ex = f.Message
		}
		if err := t.Append(c.RuleID, c.Severity, c.Status, fmt.Sprint(c.Findings), Clip(c.Title, 40), Clip(ex, 80)); err != nil {
			return err
		}
		if c.Status != model.StatusFail {
			continue
		}
		// Grouped findings (DIR-010's UPN suffixes): a row per group with
		// its count, worst severity and one example.
		for _, g := range model.GroupFindings(byRule[c.RuleID], 1) {
			if err := t.Append("", g.Severity, "", fmt.Sprint(g.Count), Clip("↳ "+g.Name, 40), Clip(g.Shown[0].Message, 80)); err != nil {
				return err
			}
		}
	}
	return t.Render()
}

// newTable returns a table that keeps header text as written.
func newTable(w io.Writer) *tablewriter.Table {
	return tablewriter.NewTable(w, tablewriter.WithHeaderAutoFormat(tw.Off))
}

// Clip shortens s to at most n characters (runes), ending with "…" when
// it was cut.
func Clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// ListOr joins l with commas, or returns none when l is empty.
func ListOr(l []string, none string) string {
	if len(l) == 0 {
		return none
	}
	return strings.Join(l, ", ")
}
