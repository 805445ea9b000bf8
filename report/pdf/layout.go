package pdf

// Page geometry and the drawing primitives every section uses: page
// header and footer, headings, paragraphs, labelled values, bullets and
// tables.

import (
	"fmt"
	"strings"

	"github.com/preflight-scan/preflight/report/content"
)

const (
	pageW    = 210.0
	pageH    = 297.0
	margin   = 18.0
	bottom   = 20.0
	contentW = pageW - 2*margin
)

func (w *writer) header() {
	if w.p.PageNo() == 1 {
		return
	}
	w.font("", 8)
	w.text(colMuted)
	left := "Migration readiness report"
	if w.rep.Scan.Organisation != "" {
		left += " — " + w.rep.Scan.Organisation
	}
	w.p.SetXY(margin, 9)
	w.p.CellFormat(contentW*0.7, 5, w.clean(left), "", 0, "L", false, 0, "")
	w.p.CellFormat(contentW*0.3, 5, content.ScanDate(w.rep.Scan.StartedAt), "", 0, "R", false, 0, "")
	w.draw(colRule)
	w.p.SetLineWidth(0.2)
	w.p.Line(margin, 15, pageW-margin, 15)
	w.p.SetXY(margin, margin+2)
	w.text(colText)
}

func (w *writer) footer() {
	w.p.SetXY(margin, pageH-12)
	w.font("", 8)
	w.text(colMuted)
	id := w.rep.Scan.ID
	if len(id) > 12 {
		id = id[:12]
	}
	s := fmt.Sprintf("preflight %s — scan %s — page %d of {nb}", w.rep.Tool.Version, id, w.p.PageNo())
	w.p.CellFormat(contentW, 5, w.clean(s), "", 0, "C", false, 0, "")
	w.text(colText)
}

// need starts a new page unless h millimetres are left on this one.
func (w *writer) need(h float64) {
	if w.p.GetY()+h > pageH-bottom {
		w.p.AddPage()
	}
}

// heading writes a section heading.
func (w *writer) heading(s string) {
	w.need(30)
	w.p.Ln(3)
	w.font("B", 15)
	w.text(colAccent)
	w.p.CellFormat(contentW, 9, w.clean(s), "", 1, "L", false, 0, "")
	w.draw(colAccent)
	w.p.SetLineWidth(0.5)
	y := w.p.GetY()
	w.p.Line(margin, y, margin+contentW, y)
	w.p.Ln(3)
	w.text(colText)
}

func (w *writer) para(s string, size float64, c rgb) {
	w.font("", size)
	w.text(c)
	w.p.MultiCell(contentW, size*0.5, w.clean(s), "", "L", false)
	w.text(colText)
}

// label writes a bold label and a wrapped value on one line.
func (w *writer) labelled(label, value string) {
	w.font("B", 9.5)
	lw := 34.0
	w.need(6)
	y := w.p.GetY()
	w.p.CellFormat(lw, 5, w.clean(label), "", 0, "L", false, 0, "")
	w.font("", 9.5)
	w.p.SetXY(margin+lw, y)
	w.p.MultiCell(contentW-lw, 5, w.clean(value), "", "L", false)
	w.p.Ln(1)
}

func (w *writer) bullet(s string, size float64) {
	p := w.p
	w.font("", size)
	y := p.GetY()
	p.SetXY(margin+1, y)
	p.CellFormat(4, size*0.5, "•", "", 0, "L", false, 0, "")
	p.SetXY(margin+5, y)
	p.MultiCell(contentW-5, size*0.5, w.clean(s), "", "L", false)
}

// column of a table.
type column struct {
	title string
	width float64
	align string
	// sub shows the lines after a cell's first line (a name's identity
	// under it) smaller and muted.
	sub bool
}

// table draws rows with wrapped cells; the header repeats on each page
// (no header when every column title is empty). colour, when not nil,
// gives a text colour (drawn bold) for a cell.
func (w *writer) table(cols []column, rows [][]string, size float64, colour func(r, c int) *rgb) {
	p := w.p
	lh := size * 0.45
	pad := 1.2
	tableW := 0.0
	hasHeader := false
	for _, c := range cols {
		tableW += c.width
		if c.title != "" {
			hasHeader = true
		}
	}
	drawHeader := func() {
		if !hasHeader {
			return
		}
		w.font("B", size)
		w.fill(colHeadBg)
		w.text(colText)
		x := margin
		y := p.GetY()
		for _, c := range cols {
			p.SetXY(x, y)
			align := c.align
			if align == "" {
				align = "L"
			}
			p.CellFormat(c.width, lh+2*pad, w.clean(c.title), "", 0, align, true, 0, "")
			x += c.width
		}
		p.SetXY(margin, y+lh+2*pad)
	}
	type line struct {
		text string
		sub  bool
	}
	layout := func(row []string) ([][]line, float64) {
		cells := make([][]line, len(cols))
		h := 0.0
		for j, c := range cols {
			txt := ""
			if j < len(row) {
				txt = w.clean(row[j])
			}
			ch := 0.0
			for k, para := range strings.Split(txt, "\n") {
				sub := c.sub && k > 0
				fs := size
				if sub {
					fs = size - 1
				}
				w.font("", fs)
				parts := p.SplitText(para, c.width-2)
				if len(parts) == 0 {
					parts = []string{""}
				}
				for _, pt := range parts {
					cells[j] = append(cells[j], line{pt, sub})
					if sub {
						ch += lh * 0.9
					} else {
						ch += lh
					}
				}
			}
			if ch > h {
				h = ch
			}
		}
		return cells, h
	}
	// Keep the header with the first row: never leave a header alone at
	// the foot of a page.
	first := lh
	if len(rows) > 0 {
		_, first = layout(rows[0])
	}
	w.need((lh + 2*pad) + first + 2*pad)
	drawHeader()
	for i, row := range rows {
		cells, h := layout(row)
		h += 2 * pad
		if p.GetY()+h > pageH-bottom {
			p.AddPage()
			drawHeader()
		}
		y := p.GetY()
		if i%2 == 1 {
			w.fill(colZebra)
			p.Rect(margin, y, tableW, h, "F")
		}
		x := margin
		for j, c := range cols {
			var cc *rgb
			if colour != nil {
				cc = colour(i, j)
			}
			align := c.align
			if align == "" {
				align = "L"
			}
			yy := y + pad
			for _, ln := range cells[j] {
				style, fs, col, lhh := "", size, colText, lh
				if cc != nil {
					style, col = "B", *cc
				}
				if ln.sub {
					style, fs, col, lhh = "", size-1, colMuted, lh*0.9
				}
				w.font(style, fs)
				w.text(col)
				p.SetXY(x, yy)
				p.CellFormat(c.width, lhh, ln.text, "", 0, align, false, 0, "")
				yy += lhh
			}
			x += c.width
		}
		w.text(colText)
		w.font("", size)
		w.draw(colRule)
		p.SetLineWidth(0.1)
		p.Line(margin, y+h, margin+tableW, y+h)
		p.SetXY(margin, y+h)
	}
	p.Ln(2)
}
