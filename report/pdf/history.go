package pdf

// The comparison with the baseline and the trend over earlier runs.

import (
	"fmt"
	"strconv"

	"github.com/preflight-scan/preflight/report"
	"github.com/preflight-scan/preflight/report/content"
	"github.com/preflight-scan/preflight/report/model"
)

// changes summarises the comparison with the baseline.
func (w *writer) changes() {
	rep := w.rep
	if rep.Baseline == nil {
		return
	}
	w.heading("Since the last report")
	nNew, nOld := 0, 0
	var fresh []model.Finding
	for _, f := range rep.Findings {
		switch f.Status {
		case "new":
			nNew++
			if f.Suppressed == nil {
				fresh = append(fresh, f)
			}
		case "existing":
			nOld++
		}
	}
	w.para(fmt.Sprintf("Compared with the scan of %s: %d new finding(s), %d still open, %d resolved.", content.ScanDate(rep.Baseline.StartedAt), nNew, nOld, len(rep.Resolved)), 9.5, colText)
	w.p.Ln(2)
	list := func(title string, fs []model.Finding) {
		if len(fs) == 0 {
			return
		}
		w.font("B", 10)
		w.need(20)
		w.p.CellFormat(contentW, 6, title, "", 1, "L", false, 0, "")
		ex := fs
		if len(ex) > 15 {
			ex = ex[:15]
		}
		rows := make([][]string, 0, len(ex))
		for _, f := range ex {
			obj := f.Object.Name
			if obj == "" {
				obj = f.Object.ID
			}
			rows = append(rows, []string{f.RuleID, string(f.Severity), report.Clip(obj, 80), report.Clip(f.Message, 200)})
		}
		w.table([]column{{"Rule", 20, "", false}, {"Severity", 18, "", false}, {"Object", 50, "", false}, {"Problem", contentW - 88, "", false}}, rows, 8, func(r, c int) *rgb {
			if c == 1 {
				cc := sevColour[ex[r].Severity]
				return &cc
			}
			return nil
		})
		if len(fs) > len(ex) {
			w.para(fmt.Sprintf("… and %d more (see findings.csv, column status).", len(fs)-len(ex)), 8.5, colMuted)
		}
	}
	list("New", fresh)
	list("Resolved", rep.Resolved)
}

// trend draws the score over the earlier runs and this one.
func (w *writer) trend() {
	rep := w.rep
	if len(rep.History) == 0 {
		return
	}
	p := w.p
	w.heading("Trend")
	pts := append([]model.HistoryPoint{}, rep.History...)
	pts = append(pts, model.HistoryPoint{ScanID: rep.Scan.ID, StartedAt: rep.Scan.StartedAt, Verdict: rep.Summary.Verdict, Score: rep.Summary.Score, Findings: rep.Summary.Counts.Total})
	if len(pts) > 30 {
		pts = pts[len(pts)-30:]
	}
	w.para("Score of each run (the last one is this report); the dot's colour is the run's verdict.", 9, colMuted)
	w.need(60)
	x0, y0 := margin+12, p.GetY()+3
	cw, ch := contentW-16, 45.0
	w.draw(colRule)
	p.SetLineWidth(0.1)
	w.font("", 7)
	w.text(colMuted)
	for _, v := range []int{0, 25, 50, 75, 100} {
		yy := y0 + ch - ch*float64(v)/100
		p.Line(x0, yy, x0+cw, yy)
		p.SetXY(margin, yy-2)
		p.CellFormat(10, 4, strconv.Itoa(v), "", 0, "R", false, 0, "")
	}
	step := 0.0
	if len(pts) > 1 {
		step = cw / float64(len(pts)-1)
	}
	pos := func(i int) (float64, float64) {
		x := x0 + step*float64(i)
		if len(pts) == 1 {
			x = x0 + cw/2
		}
		return x, y0 + ch - ch*float64(pts[i].Score)/100
	}
	w.draw(colAccent)
	p.SetLineWidth(0.6)
	for i := 1; i < len(pts); i++ {
		xa, ya := pos(i - 1)
		xb, yb := pos(i)
		p.Line(xa, ya, xb, yb)
	}
	for i := range pts {
		x, y := pos(i)
		c, ok := verdictColour[pts[i].Verdict]
		if !ok {
			c = colUnknown
		}
		w.fill(c)
		p.Circle(x, y, 1.3, "F")
	}
	// First and last dates under the axis.
	p.SetXY(x0-10, y0+ch+1)
	p.CellFormat(30, 4, pts[0].StartedAt.UTC().Format("2 Jan 2006"), "", 0, "L", false, 0, "")
	if len(pts) > 1 {
		p.SetXY(x0+cw-20, y0+ch+1)
		p.CellFormat(30, 4, pts[len(pts)-1].StartedAt.UTC().Format("2 Jan 2006"), "", 0, "R", false, 0, "")
	}
	w.text(colText)
	p.SetY(y0 + ch + 8)

	recent := pts
	if len(recent) > 10 {
		recent = recent[len(recent)-10:]
	}
	rows := make([][]string, 0, len(recent))
	for i := len(recent) - 1; i >= 0; i-- {
		h := recent[i]
		rows = append(rows, []string{h.StartedAt.UTC().Format("2006-01-02 15:04"), content.VerdictHeadline(h.Verdict), strconv.Itoa(h.Score), strconv.Itoa(h.Findings)})
	}
	w.table([]column{{"Run (UTC)", 50, "", false}, {"Verdict", 50, "", false}, {"Score", 37, "R", false}, {"Findings", 37, "R", false}}, rows, 8.5, func(r, c int) *rgb {
		if c != 1 {
			return nil
		}
		cc, ok := verdictColour[recent[len(recent)-1-r].Verdict]
		if !ok {
			return nil
		}
		return &cc
	})
}
