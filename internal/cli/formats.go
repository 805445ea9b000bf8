package cli

// The output formats: their names, files and renderers.

import (
	"io"
	"strings"

	"github.com/preflight-scan/preflight/report"
	"github.com/preflight-scan/preflight/report/export"
	"github.com/preflight-scan/preflight/report/html"
	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/report/pdf"
)

// renderer writes one output format.
type renderer struct {
	// file is the output's file name in --out; "" writes to stdout.
	file   string
	render func(rep *model.Report, w io.Writer) error
	// records marks a format written from the snapshot records, not the
	// report (see writeOutputs).
	records bool
}

// renderers returns the output formats of --format by name.
func renderers() map[string]renderer {
	return map[string]renderer{
		"json":  {file: "report.json", render: report.WriteJSON},
		"table": {render: report.WriteTable},
		"pdf":   {file: "report.pdf", render: renderPDF},
		"html":  {file: "report.html", render: renderHTML},
		"csv":   {file: "findings.csv", render: renderCSV},
		"jsonl": {file: "findings.jsonl", render: renderJSONL},

		"addresses": {file: "addresses.csv", records: true},
		"batches":   {file: "migration-batches.csv", records: true},
	}
}

// parseFormats returns the formats of --format values (comma-separated,
// repeated), in order and without repeats; json,table when none is given.
func parseFormats(list []string) ([]string, error) {
	if len(list) == 0 {
		return []string{"json", "table"}, nil
	}
	known := renderers()
	var out []string
	seen := map[string]bool{}
	for _, item := range list {
		for _, f := range strings.Split(item, ",") {
			f = strings.TrimSpace(strings.ToLower(f))
			if f == "" || seen[f] {
				continue
			}
			if _, ok := known[f]; !ok {
				return nil, usagef("unknown format %q (want json, table, pdf, html, csv, jsonl, addresses, batches)", f)
			}
			seen[f] = true
			out = append(out, f)
		}
	}
	return out, nil
}

func renderPDF(rep *model.Report, w io.Writer) error { return pdf.Write(rep, w) }

func renderHTML(rep *model.Report, w io.Writer) error { return html.Write(rep, w) }

func renderCSV(rep *model.Report, w io.Writer) error { return export.WriteCSV(rep, w) }

func renderJSONL(rep *model.Report, w io.Writer) error { return export.WriteJSONL(rep, w) }
