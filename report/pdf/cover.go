package pdf

// The first page: the verdict, the score, the counts by severity, the
// chart by area and what was not assessed.

import (
	"fmt"
	"strconv"

	"github.com/preflight-scan/preflight/report/content"
	"github.com/preflight-scan/preflight/report/model"
)

func (w *writer) firstPage() {
	rep := w.rep
	p := w.p
	p.AddPage()
	// Title block.
	w.fill(colAccent)
	p.Rect(0, 0, pageW, 4, "F")
	p.SetXY(margin, 14)
	w.font("", 10)
	w.text(colMuted)
	p.CellFormat(contentW, 5, "MICROSOFT 365 MIGRATION READINESS", "", 1, "L", false, 0, "")
	w.font("B", 22)
	w.text(colText)
	org := rep.Scan.Organisation
	if org == "" {
		org = "Readiness report"
	}
	p.MultiCell(contentW, 10, w.clean(org), "", "L", false)
	p.Ln(1)
	w.font("", 10)
	w.text(colMuted)
	meta := []string{"Scan of " + content.ScanDate(rep.Scan.StartedAt)}
	prof := content.ProfileName(rep.Scan.Profile)
	meta = append(meta, "Profile: "+prof)
	phase := "Phase: " + rep.Scan.Phase
	if rep.Scan.CutoverDate != "" {
		phase += ", cutover planned for " + rep.Scan.CutoverDate
	}
	meta = append(meta, phase)
	for _, m := range meta {
		p.CellFormat(contentW, 5, w.clean(m), "", 1, "L", false, 0, "")
	}
	if rep.Scan.Interrupted {
		w.text(colBad)
		p.CellFormat(contentW, 5, "The scan was interrupted before it finished.", "", 1, "L", false, 0, "")
	}
	p.Ln(5)

	// Verdict box.
	s := rep.Summary
	vc, ok := verdictColour[s.Verdict]
	if !ok {
		vc = colUnknown
	}
	headline, explanation := content.Verdict(s.Verdict)
	y := p.GetY()
	boxH := 34.0
	w.fill(vc)
	p.RoundedRect(margin, y, contentW, boxH, 3, "1234", "F")
	w.text(rgb{255, 255, 255})
	p.SetXY(margin+6, y+4)
	w.font("", 9)
	p.CellFormat(80, 5, "VERDICT", "", 0, "L", false, 0, "")
	p.SetXY(margin+6, y+9)
	w.font("B", 26)
	p.CellFormat(110, 12, headline, "", 0, "L", false, 0, "")
	p.SetXY(margin+6, y+22)
	w.font("", 9)
	p.MultiCell(120, 4.5, w.clean(explanation), "", "L", false)
	// Score on the right.
	p.SetXY(margin+contentW-48, y+4)
	w.font("", 9)
	p.CellFormat(42, 5, "SCORE", "", 0, "R", false, 0, "")
	p.SetXY(margin+contentW-48, y+9)
	w.font("B", 26)
	p.CellFormat(42, 12, strconv.Itoa(s.Score), "", 0, "R", false, 0, "")
	p.SetXY(margin+contentW-48, y+21)
	w.font("", 9)
	p.CellFormat(42, 5, "out of 100", "", 0, "R", false, 0, "")
	p.SetY(y + boxH + 4)
	w.text(colText)

	// Why.
	if len(s.VerdictReasons) > 0 {
		w.font("B", 10)
		p.CellFormat(contentW, 6, "Why", "", 1, "L", false, 0, "")
		for _, r := range s.VerdictReasons {
			w.bullet(r, 9.5)
		}
		p.Ln(3)
	}

	// Counts by severity: five tiles.
	w.font("B", 10)
	p.CellFormat(contentW, 6, "Findings by severity", "", 1, "L", false, 0, "")
	y = p.GetY() + 1
	gap := 3.0
	tw := (contentW - 4*gap) / 5
	for i, sev := range model.Severities() {
		x := margin + float64(i)*(tw+gap)
		c := sevColour[sev]
		n := s.Counts.BySeverity[sev]
		if n == 0 {
			c = colRule
		}
		w.draw(c)
		p.SetLineWidth(0.4)
		p.Rect(x, y, tw, 19, "D")
		w.fill(c)
		p.Rect(x, y, 2.2, 19, "F")
		if n == 0 {
			c = colMuted
		}
		p.SetXY(x+3, y+2)
		w.font("B", 16)
		w.text(c)
		p.CellFormat(tw-5, 8, strconv.Itoa(n), "", 0, "C", false, 0, "")
		p.SetXY(x+3, y+11)
		w.font("", 8.5)
		w.text(colText)
		p.CellFormat(tw-5, 5, string(sev), "", 0, "C", false, 0, "")
	}
	p.SetY(y + 23)
	if sup := content.Suppressed(w.rep); sup > 0 {
		w.para(fmt.Sprintf("%d finding(s) are suppressed by the configuration and not counted (see \"Suppressions\").", sup), 8.5, colMuted)
	}
	p.Ln(2)

	w.categoryChart()
	w.notAssessed()
}

// categoryChart draws a horizontal bar per area, stacked by severity.
func (w *writer) categoryChart() {
	p := w.p
	w.font("B", 10)
	p.CellFormat(contentW, 6, "Findings by area", "", 1, "L", false, 0, "")
	rows, most := content.ByArea(w.rep)
	labelW, countW := 32.0, 16.0
	barW := contentW - labelW - countW
	y := p.GetY() + 1
	for _, r := range rows {
		name := r.Name
		p.SetXY(margin, y)
		w.font("", 9.5)
		w.text(colText)
		p.CellFormat(labelW, 6, name, "", 0, "L", false, 0, "")
		w.fill(colZebra)
		p.Rect(margin+labelW, y+0.5, barW, 5, "F")
		total := 0
		switch r.State {
		case content.AreaNotAssessed:
			p.SetXY(margin+labelW+2, y)
			w.font("", 8.5)
			w.text(colMuted)
			p.CellFormat(barW, 6, "not assessed: no data source given", "", 0, "L", false, 0, "")
		case content.AreaFailed:
			p.SetXY(margin+labelW+2, y)
			w.font("B", 8.5)
			w.text(colBad)
			p.CellFormat(barW, 6, "could not be assessed: a data source failed", "", 0, "L", false, 0, "")
		default:
			x := margin + labelW
			for i, sev := range model.Severities() {
				n := r.BySeverity[i]
				if n == 0 || most == 0 {
					continue
				}
				bw := barW * float64(n) / float64(most)
				if bw < 0.8 {
					bw = 0.8
				}
				c := sevColour[sev]
				w.fill(c)
				p.Rect(x, y+0.5, bw, 5, "F")
				x += bw
				total += n
			}
			p.SetXY(margin+labelW+barW, y)
			w.font("B", 9.5)
			w.text(colText)
			p.CellFormat(countW, 6, strconv.Itoa(total), "", 0, "R", false, 0, "")
		}
		y += 7.5
	}
	// Legend.
	p.SetXY(margin+labelW, y)
	w.font("", 7.5)
	x := margin + labelW
	for _, sev := range model.Severities() {
		c := sevColour[sev]
		w.fill(c)
		p.Rect(x, y+1.5, 3, 3, "F")
		w.text(colMuted)
		p.SetXY(x+4, y)
		p.CellFormat(20, 6, string(sev), "", 0, "L", false, 0, "")
		x += 24
	}
	w.text(colText)
	p.SetY(y + 9)
}

func (w *writer) notAssessed() {
	cov := w.rep.Summary.Coverage
	if len(cov.NotAssessed) == 0 && len(cov.Failed) == 0 {
		w.font("B", 10)
		w.p.CellFormat(contentW, 6, "What was not assessed", "", 1, "L", false, 0, "")
		w.para("Every area was assessed.", 9.5, colText)
		return
	}
	w.need(20)
	w.font("B", 10)
	w.p.CellFormat(contentW, 6, "What was not assessed", "", 1, "L", false, 0, "")
	for _, a := range cov.Failed {
		w.text(colBad)
		w.bullet(content.AreaName(a)+": a data source failed, so its checks could not be evaluated (see \"Data sources\").", 9.5)
	}
	w.text(colText)
	for _, a := range cov.NotAssessed {
		w.bullet(content.AreaName(a)+": no data source was given; nothing in this report speaks for it.", 9.5)
	}
}
