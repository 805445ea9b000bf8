package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/preflight-scan/preflight/internal/atomicfile"
	"github.com/preflight-scan/preflight/report"
)

// renderer writes one output format.
type renderer struct {
	// file is the output's file name in --out; "" writes to stdout.
	file   string
	render func(rep *report.Report, w io.Writer) error
}

func renderers() map[string]renderer {
	return map[string]renderer{
		"json":  {file: "report.json", render: report.WriteJSON},
		"table": {render: report.WriteTable},
		"pdf":   {file: "report.pdf", render: renderPDF},
		"csv":   {file: "findings.csv", render: renderCSV},
		"jsonl": {file: "findings.jsonl", render: renderJSONL},
	}
}

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
				return nil, usagef("unknown format %q (want json, table, pdf, csv, jsonl)", f)
			}
			seen[f] = true
			out = append(out, f)
		}
	}
	return out, nil
}

// writeOutputs renders the report in every format: files atomically into
// dir ("-" writes a single file format to stdout), tables to stdout.
func writeOutputs(rep *report.Report, formats []string, dir string, sys IO) error {
	rs := renderers()
	if dir != "-" {
		for _, f := range formats {
			if rs[f].file != "" {
				if err := os.MkdirAll(dir, 0o755); err != nil {
					return usagef("--out: %v", err)
				}
				break
			}
		}
	}
	for _, f := range formats {
		r := rs[f]
		if r.file == "" || dir == "-" {
			if err := r.render(rep, sys.Stdout); err != nil {
				return fmt.Errorf("render %s: %w", f, err)
			}
			continue
		}
		path := filepath.Join(dir, r.file)
		if err := atomicfile.Write(path, func(w io.Writer) error { return r.render(rep, w) }); err != nil {
			return fmt.Errorf("render %s: %w", f, err)
		}
	}
	return nil
}
