package cli

import (
	"io"

	"github.com/preflight-scan/preflight/report"
	"github.com/preflight-scan/preflight/report/export"
	"github.com/preflight-scan/preflight/report/pdf"
)

func renderPDF(rep *report.Report, w io.Writer) error { return pdf.Write(rep, w) }

func renderCSV(rep *report.Report, w io.Writer) error { return export.WriteCSV(rep, w) }

func renderJSONL(rep *report.Report, w io.Writer) error { return export.WriteJSONL(rep, w) }
