package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/preflight-scan/preflight/internal/atomicfile"
	"github.com/preflight-scan/preflight/report/model"
)

// writeOutputs renders the report in every format: files into set (to
// be replaced together with the run's other outputs when set is
// committed; "-" writes a single file format to stdout), tables to
// stdout. records writes the formats made from the snapshot records
// (addresses, batches); without it they are refused. Rendering stops
// with ctx's error when ctx is done.
func writeOutputs(ctx context.Context, set *atomicfile.Set, rep *model.Report, formats []string, dir string, sys IO, records map[string]func(io.Writer) error) error {
	rs := renderers()
	for _, f := range formats {
		if rs[f].records && records[f] == nil {
			return usagef("--format %s is written from the collected records: use preflight scan, or preflight evaluate SNAPSHOT", f)
		}
	}
	if dir != "-" {
		for _, f := range formats {
			if rs[f].file != "" {
				if err := os.MkdirAll(dir, 0o700); err != nil {
					return usagef("--out: %v", err)
				}
				break
			}
		}
	}
	for _, f := range formats {
		r := rs[f]
		if r.file == "" || dir == "-" {
			if err := r.render(rep, ctxWriter{ctx, sys.Stdout}); err != nil {
				return fmt.Errorf("render %s: %w", f, err)
			}
			continue
		}
		path := filepath.Join(dir, r.file)
		if r.records {
			write := records[f]
			if err := set.Write(path, func(w io.Writer) error { return write(ctxWriter{ctx, w}) }); err != nil {
				return fmt.Errorf("render %s: %w", f, err)
			}
			continue
		}
		if err := set.Write(path, func(w io.Writer) error { return r.render(rep, ctxWriter{ctx, w}) }); err != nil {
			return fmt.Errorf("render %s: %w", f, err)
		}
	}
	return ctx.Err()
}

// ctxWriter fails writes once ctx is done, so a renderer stops at its
// next write when the run is aborted.
type ctxWriter struct {
	ctx context.Context //nolint:containedctx // a writer has no other way to see the run's cancellation
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}
