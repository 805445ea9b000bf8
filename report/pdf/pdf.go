// Package pdf renders a readiness report as a PDF for a customer's IT
// manager: a first page with the verdict, score, counts and a chart by
// category; then the data sources, each failing rule with examples and
// what to do, the migration estimate, the trend over earlier runs and a
// manual checklist. The fonts (DejaVu Sans) are embedded, so no system
// font is needed, and the same report always gives the same bytes.
package pdf

import (
	"fmt"
	"io"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/preflight-scan/preflight/report/model"
)

// MaxExamples is how many findings of a rule the PDF shows; the rest are
// in findings.csv.
const MaxExamples = 10

// writer holds one render.
type writer struct {
	p        *fpdf.Fpdf
	rep      *model.Report
	cov      coverage
	replaced bool
	noted    bool
}

// Write renders rep as a PDF.
func Write(rep *model.Report, w io.Writer) error {
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
	wr.tenant()
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
