package pdf

// "What to fix": one block per failing rule, with its examples.

import (
	"fmt"
	"sort"
	"strings"

	"github.com/preflight-scan/preflight/report"
)

// failing returns the failing and erroring checks, errors first, then
// by severity and rule ID. A failing rule whose every finding is
// suppressed is left out: it is listed under Suppressions.
func (w *writer) failing() []report.Check {
	open := map[string]bool{}
	for _, f := range w.rep.Findings {
		if f.Suppressed == nil {
			open[f.RuleID] = true
		}
	}
	var out []report.Check
	for _, c := range w.rep.Checks {
		if c.Status == report.CheckError || (c.Status == report.CheckFail && (open[c.RuleID] || c.Findings == 0)) {
			out = append(out, c)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if (a.Status == report.CheckError) != (b.Status == report.CheckError) {
			return a.Status == report.CheckError
		}
		if ra, rb := report.SeverityRank(a.Severity), report.SeverityRank(b.Severity); ra != rb {
			return ra > rb
		}
		return a.RuleID < b.RuleID
	})
	return out
}

func (w *writer) rules() {
	p := w.p
	checks := w.failing()
	w.heading("What to fix")
	if len(checks) == 0 {
		w.para("No rule failed in the areas assessed.", 10, colText)
		return
	}
	pass, na, skipped := 0, 0, 0
	for _, c := range w.rep.Checks {
		switch c.Status {
		case report.CheckPass:
			pass++
		case report.CheckNotApplicable:
			na++
		case report.CheckSkipped:
			skipped++
		}
	}
	w.para(fmt.Sprintf("%d rule(s) need attention, most severe first. %d passed, %d do not apply to this profile, %d were skipped because their area was not assessed. Each rule shows at most %d examples; findings.csv lists every finding.", len(checks), pass, na, skipped, MaxExamples), 9.5, colMuted)
	p.Ln(2)

	byRule := map[string][]report.Finding{}
	for _, f := range w.rep.Findings {
		byRule[f.RuleID] = append(byRule[f.RuleID], f)
	}
	for _, c := range checks {
		w.ruleBlock(c, byRule[c.RuleID])
	}
	w.fontNote()
}

func (w *writer) ruleBlock(c report.Check, fs []report.Finding) {
	p := w.p
	w.need(45)
	p.Ln(2)
	y := p.GetY()
	sc := sevColour[c.Severity]
	// Severity chip.
	w.font("B", 8)
	chip := strings.ToUpper(c.Severity)
	if c.Status == report.CheckError {
		chip = "NOT EVALUATED"
		sc = colUnknown
	}
	cw := w.p.GetStringWidth(chip) + 5
	w.fill(sc)
	p.RoundedRect(margin, y+0.8, cw, 5.4, 1.2, "1234", "F")
	w.text(rgb{255, 255, 255})
	p.SetXY(margin, y+0.8)
	p.CellFormat(cw, 5.4, chip, "", 0, "C", false, 0, "")
	w.text(colText)
	w.font("B", 11.5)
	p.SetXY(margin+cw+2, y)
	p.MultiCell(contentW-cw-2, 7, w.clean(c.RuleID+"  "+c.Title), "", "L", false)
	p.Ln(1)

	suppressed := 0
	var shown []report.Finding
	for _, f := range fs {
		if f.Suppressed != nil {
			suppressed++
			continue
		}
		shown = append(shown, f)
	}
	if c.Status == report.CheckError {
		w.labelled("Could not check", c.Error)
	} else {
		n := fmt.Sprintf("%d", len(shown))
		if len(shown) == 1 {
			n += " finding"
		} else {
			n += " findings"
		}
		if w.rep.Baseline != nil {
			fresh := 0
			for _, f := range shown {
				if f.Status == "new" {
					fresh++
				}
			}
			n += fmt.Sprintf(", %d new since the last report", fresh)
		}
		if suppressed > 0 {
			n += fmt.Sprintf(" (and %d suppressed)", suppressed)
		}
		w.labelled("Affected", n)
	}
	if c.Description != "" {
		w.labelled("What it means", c.Description)
	}
	if th := thresholdText(c.Threshold); th != "" || c.SourceReference != "" {
		v := th
		if c.SourceReference != "" {
			if v != "" {
				v += " — "
			}
			v += "source: " + c.SourceReference
		}
		label := "Threshold"
		if th == "" {
			label = "Source"
		}
		w.labelled(label, v)
	}
	if c.Remediation != "" {
		w.labelled("What to do", c.Remediation)
	}
	if len(shown) > 0 {
		ex := shown
		if len(ex) > MaxExamples {
			ex = ex[:MaxExamples]
		}
		rows := make([][]string, 0, len(ex))
		for _, f := range ex {
			obj := f.Object.Name
			if obj == "" {
				obj = f.Object.ID
			} else if f.Object.ID != "" && f.Object.ID != obj {
				obj += "\n" + f.Object.ID
			}
			rows = append(rows, []string{report.Clip(obj, 160), report.Clip(f.Message, 400)})
		}
		p.Ln(1)
		w.table([]column{{"Object", 64, "", true}, {"Problem", contentW - 64, "", false}}, rows, 8, nil)
		if len(shown) > len(ex) {
			w.para(fmt.Sprintf("… and %d more; the full list is in findings.csv.", len(shown)-len(ex)), 8.5, colMuted)
		}
	}
	w.draw(colRule)
	p.SetLineWidth(0.2)
	p.Ln(1)
	yy := p.GetY()
	p.Line(margin, yy, margin+contentW, yy)
	p.Ln(2)
}

// thresholdText shows a rule's parameters compactly: scalars and short
// lists in full, tables (lists of records, nested settings) by their size
// with a pointer to report.json, which has them whole.
func thresholdText(m map[string]any) string {
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
