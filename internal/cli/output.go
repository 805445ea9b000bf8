package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/preflight-scan/preflight/internal/atomicfile"
	"github.com/preflight-scan/preflight/report"
)

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
