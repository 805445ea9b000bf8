package pdf

// "What to fix": one block per failing rule, with its examples.

import (
	"fmt"
	"strings"

	"github.com/preflight-scan/preflight/report"
	"github.com/preflight-scan/preflight/report/content"
	"github.com/preflight-scan/preflight/report/model"
)

func (w *writer) rules() {
	p := w.p
	checks := content.Failing(w.rep)
	w.heading("What to fix")
	if len(checks) == 0 {
		w.para("No rule failed in the areas assessed.", 10, colText)
		return
	}
	t := content.Tally(w.rep)
	w.para(fmt.Sprintf("%d rule(s) need attention, most severe first. %d passed, %d do not apply to this profile, %d were skipped because their area was not assessed. Each rule, or each group of a rule (such as a UPN suffix), shows at most %d examples; findings.csv lists every finding.", len(checks), t.Passed, t.NotApplicable, t.Skipped, MaxExamples), 9.5, colMuted)
	p.Ln(2)

	byRule := map[string][]model.Finding{}
	for _, f := range w.rep.Findings {
		byRule[f.RuleID] = append(byRule[f.RuleID], f)
	}
	for _, c := range checks {
		w.ruleBlock(c, byRule[c.RuleID])
	}
	w.fontNote()
}

func (w *writer) ruleBlock(c model.Check, fs []model.Finding) {
	p := w.p
	w.need(45)
	p.Ln(2)
	y := p.GetY()
	sc := sevColour[c.Severity]
	// Severity chip.
	w.font("B", 8)
	chip := strings.ToUpper(string(c.Severity))
	if c.Status == model.StatusError {
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

	var shown []model.Finding
	for _, f := range fs {
		if f.Suppressed == nil {
			shown = append(shown, f)
		}
	}
	if c.Status == model.StatusError {
		w.labelled("Could not check", c.Error)
	} else {
		w.labelled("Affected", content.Affected(w.rep, fs))
	}
	if c.Description != "" {
		w.labelled("What it means", c.Description)
	}
	if label, v := content.ThresholdLine(c); label != "" {
		w.labelled(label, v)
	}
	if c.Remediation != "" {
		w.labelled("What to do", c.Remediation)
	}
	if groups := content.Groups(fs, MaxExamples); content.Grouped(groups) {
		for _, g := range groups {
			p.Ln(1)
			w.need(16)
			w.font("B", 9.5)
			w.p.MultiCell(contentW, 5, w.clean(content.GroupHeading(g)), "", "L", false)
			w.examples(g.Shown)
			if m := content.GroupMore(g); m != "" {
				w.para("… "+m+".", 8.5, colMuted)
			}
		}
	} else if len(shown) > 0 {
		ex := shown
		if len(ex) > MaxExamples {
			ex = ex[:MaxExamples]
		}
		w.examples(ex)
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

// examples draws a table of findings: the object and the problem.
func (w *writer) examples(ex []model.Finding) {
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
	w.p.Ln(1)
	w.table([]column{{"Object", 64, "", true}, {"Problem", contentW - 64, "", false}}, rows, 8, nil)
}
