package html

// The inline SVG charts: findings by area, and the score and counts by
// severity over the kept runs. Coordinates are formatted to one decimal,
// so the same report gives the same bytes.

import (
	"strconv"
	"strings"
	"time"

	"github.com/preflight-scan/preflight/report/content"
	"github.com/preflight-scan/preflight/report/model"
)

func num(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }

// Chart geometry, in SVG user units.
const (
	chartW   = 760.0
	labelW   = 150.0
	countW   = 60.0
	barH     = 18.0
	rowH     = 30.0
	minBarW  = 2.0
	trendMax = 30 // runs shown in the trend
)

type areaChart struct {
	Rows   []areaBar
	Height string
	Width  string
	BarX   string
	BarW   string
	CountX string
}

type areaBar struct {
	Name, State, Y, TextY string
	Total                 int
	Segs                  []seg
	Title                 string
}

type seg struct {
	X, Y, W, H, Sev string
	N               int
}

func chartByArea(rep *model.Report) areaChart {
	rows, most := content.ByArea(rep)
	barW := chartW - labelW - countW
	ch := areaChart{Width: num(chartW), BarX: num(labelW), BarW: num(barW), CountX: num(chartW - 4),
		Height: num(float64(len(rows)) * rowH)}
	for i, r := range rows {
		y := float64(i)*rowH + (rowH-barH)/2
		b := areaBar{Name: r.Name, State: r.State, Y: num(y), TextY: num(y + barH/2 + 5), Total: r.Total}
		var parts []string
		x := labelW
		for j, sev := range model.Severities() {
			n := r.BySeverity[j]
			if n == 0 || most == 0 || r.State != content.AreaAssessed {
				continue
			}
			w := barW * float64(n) / float64(most)
			if w < minBarW {
				w = minBarW
			}
			b.Segs = append(b.Segs, seg{X: num(x), Y: num(y), W: num(w), H: num(barH), Sev: string(sev), N: n})
			parts = append(parts, strconv.Itoa(n)+" "+string(sev))
			x += w
		}
		switch r.State {
		case content.AreaNotAssessed:
			b.Title = r.Name + ": not assessed, no data source given"
		case content.AreaFailed:
			b.Title = r.Name + ": could not be assessed, a data source failed"
		default:
			b.Title = r.Name + ": " + strconv.Itoa(r.Total) + " finding(s)"
			if len(parts) > 0 {
				b.Title += " (" + strings.Join(parts, ", ") + ")"
			}
		}
		ch.Rows = append(ch.Rows, b)
	}
	return ch
}

// trend is the nightly view: one point per kept run, this one last.
type trend struct {
	Runs       []run
	ScoreLine  string
	Ticks      []tick
	CountTicks []tick
	First      string
	Last       string
	// BySeverity is false when no run recorded its counts by severity
	// (histories written before they were kept): bars show the totals.
	BySeverity bool
	Table      []run
	PlotX0     string
	PlotX1     string
	Width      string
}

type run struct {
	When, Verdict, VerdictWords string
	Score, Findings             int
	X, Y                        string
	Bars                        []seg
	Title                       string
	Counts                      []int
	Known                       bool
}

type tick struct {
	Y, Label string
}

// Trend geometry.
const (
	plotX0  = 44.0
	plotX1  = chartW - 12
	plotTop = 10.0
	plotH   = 150.0
)

func trendOf(rep *model.Report) *trend {
	if len(rep.History) == 0 {
		return nil
	}
	pts := append([]model.HistoryPoint{}, rep.History...)
	pts = append(pts, model.HistoryPoint{ScanID: rep.Scan.ID, StartedAt: rep.Scan.StartedAt, Verdict: rep.Summary.Verdict,
		Score: rep.Summary.Score, Findings: rep.Summary.Counts.Total, BySeverity: rep.Summary.Counts.BySeverity})
	if len(pts) > trendMax {
		pts = pts[len(pts)-trendMax:]
	}
	tr := &trend{PlotX0: num(plotX0), PlotX1: num(plotX1), Width: num(chartW)}
	most := 1
	for _, p := range pts {
		if p.Findings > most {
			most = p.Findings
		}
		if p.BySeverity != nil {
			tr.BySeverity = true
		}
	}
	most = niceCeil(most)
	for _, v := range []int{0, 25, 50, 75, 100} {
		tr.Ticks = append(tr.Ticks, tick{num(plotTop + plotH - plotH*float64(v)/100), strconv.Itoa(v)})
	}
	for _, f := range []int{0, 2, 4} {
		v := most * f / 4
		tr.CountTicks = append(tr.CountTicks, tick{num(plotTop + plotH - plotH*float64(v)/float64(most)), strconv.Itoa(v)})
	}
	slot := (plotX1 - plotX0) / float64(len(pts))
	bw := slot * 0.6
	if bw > 28 {
		bw = 28
	}
	var line []string
	for i, p := range pts {
		x := plotX0 + slot*(float64(i)+0.5)
		y := plotTop + plotH - plotH*float64(clamp(p.Score, 0, 100))/100
		line = append(line, num(x)+","+num(y))
		r := run{When: when(p.StartedAt), Verdict: string(p.Verdict), VerdictWords: content.VerdictHeadline(p.Verdict), Score: p.Score, Findings: p.Findings,
			X: num(x), Y: num(y), Known: p.BySeverity != nil}
		if r.VerdictWords == "" {
			r.VerdictWords = string(p.Verdict)
		}
		// Stacked bar of the counts, most severe on top.
		bx := plotX0 + slot*float64(i) + (slot-bw)/2
		base := plotTop + plotH
		var parts []string
		if p.BySeverity != nil {
			sevs := model.Severities()
			for j := len(sevs) - 1; j >= 0; j-- {
				n := p.BySeverity[sevs[j]]
				if n == 0 {
					continue
				}
				h := plotH * float64(n) / float64(most)
				base -= h
				r.Bars = append(r.Bars, seg{X: num(bx), Y: num(base), W: num(bw), H: num(h), Sev: string(sevs[j]), N: n})
			}
			for _, sev := range sevs {
				r.Counts = append(r.Counts, p.BySeverity[sev])
				if n := p.BySeverity[sev]; n > 0 {
					parts = append(parts, strconv.Itoa(n)+" "+string(sev))
				}
			}
		} else if p.Findings > 0 {
			h := plotH * float64(p.Findings) / float64(most)
			r.Bars = append(r.Bars, seg{X: num(bx), Y: num(base - h), W: num(bw), H: num(h), Sev: "total", N: p.Findings})
		}
		r.Title = r.When + ": " + r.VerdictWords + ", score " + strconv.Itoa(p.Score) + ", " + strconv.Itoa(p.Findings) + " finding(s)"
		if len(parts) > 0 {
			r.Title += " (" + strings.Join(parts, ", ") + ")"
		}
		tr.Runs = append(tr.Runs, r)
	}
	tr.ScoreLine = strings.Join(line, " ")
	tr.First = tr.Runs[0].When
	tr.Last = tr.Runs[len(tr.Runs)-1].When
	for i := len(tr.Runs) - 1; i >= 0; i-- {
		tr.Table = append(tr.Table, tr.Runs[i])
	}
	return tr
}

func when(t time.Time) string { return t.UTC().Format("2006-01-02 15:04") }

func clamp(v, lo, hi int) int {
	return max(lo, min(hi, v))
}

// niceCeil rounds n up to 1, 2 or 5 times a power of ten, so the axis
// reads easily.
func niceCeil(n int) int {
	p := 1
	for {
		for _, m := range []int{1, 2, 5} {
			if m*p >= n {
				return m * p
			}
		}
		p *= 10
	}
}
