// Package pdf renders a readiness report as a PDF for a customer's IT
// manager: a first page with the verdict, score, counts and a chart by
// category; then the data sources, each failing rule with examples and
// what to do, the migration estimate, the trend over earlier runs and a
// manual checklist. The fonts (DejaVu Sans) are embedded, so no system
// font is needed, and the same report always gives the same bytes.
package pdf

import (
	_ "embed"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/preflight-scan/preflight/report"
	"github.com/preflight-scan/preflight/snapshot"
)

//go:embed fonts/DejaVuSans.ttf
var fontRegular []byte

//go:embed fonts/DejaVuSans-Bold.ttf
var fontBold []byte

// MaxExamples is how many findings of a rule the PDF shows; the rest are
// in findings.csv.
const MaxExamples = 10

const (
	family   = "dejavu"
	pageW    = 210.0
	pageH    = 297.0
	margin   = 18.0
	bottom   = 20.0
	contentW = pageW - 2*margin
)

type rgb struct{ r, g, b int }

var (
	colText    = rgb{33, 33, 33}
	colMuted   = rgb{110, 110, 110}
	colRule    = rgb{200, 200, 200}
	colHeadBg  = rgb{236, 239, 241}
	colZebra   = rgb{248, 249, 250}
	colAccent  = rgb{21, 67, 96}
	colOK      = rgb{46, 125, 50}
	colWarn    = rgb{230, 126, 0}
	colBad     = rgb{183, 28, 28}
	colUnknown = rgb{84, 98, 112}
)

var sevColour = map[string]rgb{
	report.SeverityCritical: {183, 28, 28},
	report.SeverityHigh:     {230, 81, 0},
	report.SeverityMedium:   {214, 150, 0},
	report.SeverityLow:      {30, 120, 200},
	report.SeverityInfo:     {120, 130, 140},
}

var verdictColour = map[string]rgb{
	report.VerdictReady:      colOK,
	report.VerdictAtRisk:     colWarn,
	report.VerdictBlocked:    colBad,
	report.VerdictIncomplete: colUnknown,
}

var verdictWords = map[string][2]string{
	report.VerdictReady:      {"READY", "No critical or high findings in the areas assessed."},
	report.VerdictAtRisk:     {"AT RISK", "The migration can go ahead, but some users or objects will break or change. Fix the high findings first."},
	report.VerdictBlocked:    {"BLOCKED", "The migration or directory synchronisation cannot go ahead until the critical findings are fixed."},
	report.VerdictIncomplete: {"INCOMPLETE", "Some checks could not be evaluated because a data source failed. This report cannot call the organisation ready."},
}

var profileWords = map[string]string{
	"exchange-online": "Exchange Online (today's Microsoft 365 limits)",
	"office365-2011":  "BPOS to Office 365 transition (2011)",
	"bpos-2010":       "BPOS Standard (2010)",
}

var areaWords = map[string]string{
	"directory": "Directory",
	"clients":   "Client software",
	"mailbox":   "Mailboxes",
	"dns":       "DNS",
	"blacklist": "Blocklists",
	"network":   "Network",
}

// writer holds one render.
type writer struct {
	p        *fpdf.Fpdf
	rep      *report.Report
	cov      coverage
	replaced bool
	noted    bool
}

// Write renders rep as a PDF.
func Write(rep *report.Report, w io.Writer) error {
	cov, err := readCoverage(fontRegular)
	if err != nil {
		return err
	}
	p := fpdf.New("P", "mm", "A4", "")
	p.AddUTF8FontFromBytes(family, "", fontRegular)
	p.AddUTF8FontFromBytes(family, "B", fontBold)
	t := rep.Scan.StartedAt.UTC()
	if t.IsZero() {
		t = time.Unix(0, 0).UTC()
	}
	p.SetCreationDate(t)
	p.SetModificationDate(t)
	p.SetCatalogSort(true)
	p.SetCompression(true)
	wr := &writer{p: p, rep: rep, cov: cov}
	title := "Migration readiness report"
	if rep.Scan.Organisation != "" {
		title += " — " + rep.Scan.Organisation
	}
	p.SetTitle(wr.clean(title), true)
	p.SetAuthor("preflight", true)
	p.SetCreator(wr.clean("preflight "+rep.Tool.Version), true)
	p.SetProducer("preflight", true)
	p.SetSubject("Microsoft 365 migration readiness", true)
	p.SetMargins(margin, margin, margin)
	p.SetAutoPageBreak(true, bottom)
	p.AliasNbPages("{nb}")
	p.SetHeaderFunc(wr.header)
	p.SetFooterFunc(wr.footer)

	wr.firstPage()
	wr.sources()
	wr.rules()
	wr.estimate()
	wr.changes()
	wr.trend()
	wr.suppressions()
	wr.fontNote()
	wr.checklist()
	if err := p.Error(); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	if err := p.Output(w); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	return nil
}

// clean replaces characters the embedded font has no glyph for with
// their code points (U+4E2D), so that nothing is silently dropped, and
// remembers that it did so for the note in the report.
func (w *writer) clean(s string) string {
	ok := true
	for _, r := range s {
		if !w.cov[r] && r != '\n' {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n' || w.cov[r]:
			b.WriteRune(r)
		case r == '\t':
			b.WriteString(" ")
		case r < 0x20 || (r >= 0x7f && r < 0xa0) || r == 0xfffd:
			b.WriteString("?")
			w.replaced = true
		default:
			fmt.Fprintf(&b, "‹U+%04X›", r)
			w.replaced = true
		}
	}
	return b.String()
}

func (w *writer) font(style string, size float64) { w.p.SetFont(family, style, size) }
func (w *writer) text(c rgb)                      { w.p.SetTextColor(c.r, c.g, c.b) }
func (w *writer) fill(c rgb)                      { w.p.SetFillColor(c.r, c.g, c.b) }
func (w *writer) draw(c rgb)                      { w.p.SetDrawColor(c.r, c.g, c.b) }

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
	w.p.CellFormat(contentW*0.3, 5, scanDate(w.rep.Scan.StartedAt), "", 0, "R", false, 0, "")
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

func scanDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2 January 2006, 15:04 MST")
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
	meta := []string{"Scan of " + scanDate(rep.Scan.StartedAt)}
	prof := profileWords[rep.Scan.Profile]
	if prof == "" {
		prof = rep.Scan.Profile
	}
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
	words := verdictWords[s.Verdict]
	if words[0] == "" {
		words = [2]string{strings.ToUpper(s.Verdict), ""}
	}
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
	p.CellFormat(110, 12, words[0], "", 0, "L", false, 0, "")
	p.SetXY(margin+6, y+22)
	w.font("", 9)
	p.MultiCell(120, 4.5, w.clean(words[1]), "", "L", false)
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
	for i, sev := range report.Severities() {
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
		p.CellFormat(tw-5, 5, sev, "", 0, "C", false, 0, "")
	}
	p.SetY(y + 23)
	if sup := w.suppressedCount(); sup > 0 {
		w.para(fmt.Sprintf("%d finding(s) are suppressed by the configuration and not counted (see \"Suppressions\").", sup), 8.5, colMuted)
	}
	p.Ln(2)

	w.categoryChart()
	w.notAssessed()
}

func (w *writer) suppressedCount() int {
	n := 0
	for _, f := range w.rep.Findings {
		if f.Suppressed != nil {
			n++
		}
	}
	return n
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

// categoryChart draws a horizontal bar per area, stacked by severity.
func (w *writer) categoryChart() {
	p := w.p
	rep := w.rep
	w.font("B", 10)
	p.CellFormat(contentW, 6, "Findings by area", "", 1, "L", false, 0, "")
	counts := map[string]map[string]int{}
	max := 0
	for _, f := range rep.Findings {
		if f.Suppressed != nil {
			continue
		}
		if counts[f.Category] == nil {
			counts[f.Category] = map[string]int{}
		}
		counts[f.Category][f.Severity]++
	}
	for _, m := range counts {
		t := 0
		for _, n := range m {
			t += n
		}
		if t > max {
			max = t
		}
	}
	state := map[string]string{}
	for _, a := range rep.Summary.Coverage.NotAssessed {
		state[a] = "not assessed"
	}
	for _, a := range rep.Summary.Coverage.Failed {
		state[a] = "failed"
	}
	labelW, countW := 32.0, 16.0
	barW := contentW - labelW - countW
	y := p.GetY() + 1
	for _, a := range snapshot.Areas() {
		area := string(a)
		name := areaWords[area]
		if name == "" {
			name = area
		}
		p.SetXY(margin, y)
		w.font("", 9.5)
		w.text(colText)
		p.CellFormat(labelW, 6, name, "", 0, "L", false, 0, "")
		w.fill(colZebra)
		p.Rect(margin+labelW, y+0.5, barW, 5, "F")
		total := 0
		switch state[area] {
		case "not assessed":
			p.SetXY(margin+labelW+2, y)
			w.font("", 8.5)
			w.text(colMuted)
			p.CellFormat(barW, 6, "not assessed: no data source given", "", 0, "L", false, 0, "")
		case "failed":
			p.SetXY(margin+labelW+2, y)
			w.font("B", 8.5)
			w.text(colBad)
			p.CellFormat(barW, 6, "could not be assessed: a data source failed", "", 0, "L", false, 0, "")
		default:
			x := margin + labelW
			for _, sev := range report.Severities() {
				n := counts[area][sev]
				if n == 0 || max == 0 {
					continue
				}
				bw := barW * float64(n) / float64(max)
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
	for _, sev := range report.Severities() {
		c := sevColour[sev]
		w.fill(c)
		p.Rect(x, y+1.5, 3, 3, "F")
		w.text(colMuted)
		p.SetXY(x+4, y)
		p.CellFormat(20, 6, sev, "", 0, "L", false, 0, "")
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
		w.bullet(areaName(a)+": a data source failed, so its checks could not be evaluated (see \"Data sources\").", 9.5)
	}
	w.text(colText)
	for _, a := range cov.NotAssessed {
		w.bullet(areaName(a)+": no data source was given; nothing in this report speaks for it.", 9.5)
	}
}

func areaName(a string) string {
	if n := areaWords[a]; n != "" {
		return n
	}
	return a
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

func (w *writer) sources() {
	rep := w.rep
	w.p.AddPage()
	w.heading("Data sources")
	if len(rep.Sources) == 0 {
		w.para("No data source was read.", 9.5, colText)
	} else {
		w.para("Where the facts in this report come from, and whether each source could be read completely.", 9.5, colMuted)
		w.p.Ln(2)
		cols := []column{
			{"Source", 47, "", false}, {"Kind", 11, "", false}, {"Areas", 26, "", false}, {"Status", 13, "", false}, {"Objects", 15, "R", false}, {"Detail", contentW - 112, "", false},
		}
		var rows [][]string
		for _, s := range rep.Sources {
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
			var areas []string
			for _, a := range s.Areas {
				areas = append(areas, areaName(string(a)))
			}
			status := s.Status
			if status == "ok" {
				status = "OK"
			}
			rows = append(rows, []string{s.Name, s.Kind, strings.Join(areas, ", "), status, strconv.FormatInt(s.Objects, 10), report.Clip(detail, 300)})
		}
		w.table(cols, rows, 8.5, func(r, c int) *rgb {
			if c != 3 {
				return nil
			}
			switch rep.Sources[r].Status {
			case snapshot.StatusOK:
				return &colOK
			case snapshot.StatusError:
				return &colBad
			}
			return &colMuted
		})
	}

	inv := rep.Summary.Inventory
	w.need(50)
	w.p.Ln(2)
	w.font("B", 11)
	w.p.CellFormat(contentW, 7, "What was found", "", 1, "L", false, 0, "")
	rows := [][]string{
		{"Users", fmt.Sprintf("%d (%d enabled, %d disabled)", inv.Users, inv.EnabledUsers, inv.DisabledUsers)},
		{"Mail-enabled objects", strconv.FormatInt(inv.MailEnabled, 10)},
		{"Contacts / groups / computers", fmt.Sprintf("%d / %d / %d", inv.Contacts, inv.Groups, inv.Computers)},
		{"Mailboxes", fmt.Sprintf("%d, %s in total (%d folders)", inv.Mailboxes, bytesText(inv.TotalMailboxBytes), inv.Folders)},
		{"Mail domains", report.ListOr(inv.Domains, "none found")},
	}
	w.table([]column{{"", 60, "", false}, {"", contentW - 60, "", false}}, rows, 9, func(r, c int) *rgb {
		if c == 0 {
			return &colText
		}
		return nil
	})
}

func bytesText(n int64) string {
	const gb = 1 << 30
	switch {
	case n >= gb:
		return fmt.Sprintf("%.1f GB", float64(n)/gb)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d bytes", n)
}

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

// fontNote explains, once and after the first place it happened, that
// characters the font lacks were written as code points.
func (w *writer) fontNote() {
	if !w.replaced || w.noted {
		return
	}
	w.noted = true
	w.p.Ln(2)
	w.need(12)
	w.para("Some names contain characters the embedded font cannot show (for example Chinese, Japanese or Korean ideographs); they are written as Unicode code points such as ‹U+4E2D›. findings.csv and report.json have every name exactly.", 8.5, colMuted)
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

func (w *writer) estimate() {
	p := w.p
	w.need(80) // keep the estimate's table on one page
	w.heading("Migration estimate")
	e := w.rep.Summary.Estimate
	if e == nil {
		w.para("No estimate was made. It needs the mailbox sizes (--mailbox-stats or --mailbox-usage) and the bandwidth available for the migration (--bandwidth-mbps).", 9.5, colText)
		return
	}
	rows := [][]string{
		{"Mailboxes to move", strconv.FormatInt(e.Mailboxes, 10)},
		{"Data to move", bytesText(e.DataBytes)},
		{"Licences needed", strconv.FormatInt(e.Licences, 10)},
	}
	if e.BandwidthMbps > 0 {
		rows = append(rows, []string{"Bandwidth", strconv.FormatFloat(e.BandwidthMbps, 'f', -1, 64) + " Mbit/s"})
	}
	if e.Concurrency > 0 {
		rows = append(rows, []string{"Concurrent migrations", strconv.FormatInt(e.Concurrency, 10)})
	}
	if e.ThroughputMBh > 0 {
		rows = append(rows, []string{"Throughput", strconv.FormatFloat(e.ThroughputMBh, 'f', 0, 64) + " MB per hour"})
	}
	if e.Hours > 0 {
		rows = append(rows, []string{"Estimated time", fmt.Sprintf("%.1f hours (%.1f days)", e.Hours, e.Hours/24)})
	} else {
		rows = append(rows, []string{"Estimated time", "not estimated: give the bandwidth available for the migration (--bandwidth-mbps)"})
	}
	w.table([]column{{"", 60, "", false}, {"", contentW - 60, "", false}}, rows, 9.5, func(r, c int) *rgb {
		if c == 0 {
			return &colText
		}
		return nil
	})
	if e.Basis != "" {
		w.para("How: "+e.Basis, 8.5, colMuted)
	}
	p.Ln(2)
}

// changes summarises the comparison with the baseline.
func (w *writer) changes() {
	rep := w.rep
	if rep.Baseline == nil {
		return
	}
	w.heading("Since the last report")
	nNew, nOld := 0, 0
	var fresh []report.Finding
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
	w.para(fmt.Sprintf("Compared with the scan of %s: %d new finding(s), %d still open, %d resolved.", scanDate(rep.Baseline.StartedAt), nNew, nOld, len(rep.Resolved)), 9.5, colText)
	w.p.Ln(2)
	list := func(title string, fs []report.Finding) {
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
			rows = append(rows, []string{f.RuleID, f.Severity, report.Clip(obj, 80), report.Clip(f.Message, 200)})
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
	pts := append([]report.HistoryPoint{}, rep.History...)
	pts = append(pts, report.HistoryPoint{ScanID: rep.Scan.ID, StartedAt: rep.Scan.StartedAt, Verdict: rep.Summary.Verdict, Score: rep.Summary.Score, Findings: rep.Summary.Counts.Total})
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
		rows = append(rows, []string{h.StartedAt.UTC().Format("2006-01-02 15:04"), verdictWords[h.Verdict][0], strconv.Itoa(h.Score), strconv.Itoa(h.Findings)})
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

func (w *writer) suppressions() {
	rep := w.rep
	if len(rep.Suppressions) == 0 {
		return
	}
	w.heading("Suppressions")
	w.para("Findings accepted in the configuration file. An expired suppression no longer hides its findings; an unused one matched nothing and can be removed.", 9, colMuted)
	w.p.Ln(1)
	rows := make([][]string, 0, len(rep.Suppressions))
	for _, s := range rep.Suppressions {
		exp := s.Expires
		if exp == "" {
			exp = "never"
		}
		rows = append(rows, []string{s.RuleID, report.Clip(s.Object, 120), report.Clip(s.Reason, 200), exp, s.State, strconv.Itoa(s.Matched)})
	}
	w.table([]column{{"Rule", 20, "", false}, {"Object", 46, "", false}, {"Reason", contentW - 122, "", false}, {"Expires", 22, "", false}, {"State", 18, "", false}, {"Matched", 16, "R", false}}, rows, 8, func(r, c int) *rgb {
		if c != 4 {
			return nil
		}
		switch rep.Suppressions[r].State {
		case "expired":
			return &colBad
		case "unused":
			return &colWarn
		}
		return &colOK
	})
}

func (w *writer) checklist() {
	p := w.p
	p.AddPage()
	w.heading("Manual checklist")
	w.para("Steps no scanner can verify. Tick each one when it is done. The tag after each step names the source document.", 9.5, colMuted)
	p.Ln(2)
	group := ""
	for _, it := range Checklist() {
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
