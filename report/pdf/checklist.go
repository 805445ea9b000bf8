package pdf

// The manual checklist.

import "github.com/preflight-scan/preflight/report/content"

func (w *writer) checklist() {
	p := w.p
	p.AddPage()
	w.heading("Manual checklist")
	w.para("Steps no scanner can verify. Tick each one when it is done. The tag after each step names the source document.", 9.5, colMuted)
	p.Ln(2)
	group := ""
	for _, it := range content.ChecklistFor(w.rep) {
		if it.When != group {
			group = it.When
			w.need(20)
			p.Ln(2)
			w.font("B", 10.5)
			w.text(colAccent)
			p.CellFormat(contentW, 6, group, "", 1, "L", false, 0, "")
			w.text(colText)
		}
		w.font("", 9.5)
		lines := p.SplitText(w.clean(it.Text), contentW-10)
		h := float64(len(lines))*4.8 + 5
		w.need(h + 2)
		y := p.GetY() + 1
		w.draw(colText)
		p.SetLineWidth(0.3)
		p.Rect(margin+1, y+0.6, 3.8, 3.8, "D")
		for i, ln := range lines {
			p.SetXY(margin+8, y+float64(i)*4.8)
			p.CellFormat(contentW-8, 4.8, ln, "", 0, "L", false, 0, "")
		}
		p.SetXY(margin+8, y+float64(len(lines))*4.8)
		w.font("", 7.5)
		w.text(colMuted)
		p.CellFormat(contentW-8, 4, it.Source, "", 0, "L", false, 0, "")
		w.text(colText)
		p.SetY(y + h + 1)
	}
}
