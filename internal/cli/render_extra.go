package cli

import (
	"errors"
	"io"

	"github.com/preflight-scan/preflight/report"
)

func renderPDF(rep *report.Report, w io.Writer) error {
	return errors.New("pdf output is not implemented yet")
}

func renderCSV(rep *report.Report, w io.Writer) error {
	return errors.New("csv output is not implemented yet")
}

func renderJSONL(rep *report.Report, w io.Writer) error {
	return errors.New("jsonl output is not implemented yet")
}
