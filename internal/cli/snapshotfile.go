package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/preflight-scan/preflight/internal/atomicfile"
	"github.com/preflight-scan/preflight/snapshot"
)

// pendingSnapshot writes --save-snapshot to a temporary file that replaces
// the target only when the scan completes.
type pendingSnapshot struct {
	f *atomicfile.File
	w *snapshot.Writer
}

func newPendingSnapshot(path string, now time.Time) (*pendingSnapshot, error) {
	f, err := atomicfile.Create(path)
	if err != nil {
		return nil, usagef("--save-snapshot: %v", err)
	}
	w, err := snapshot.NewWriter(f, snapshot.Header{Tool: "preflight", ToolVersion: Version, CreatedAt: now.UTC()})
	if err != nil {
		f.Abort()
		return nil, err
	}
	return &pendingSnapshot{f: f, w: w}, nil
}

func (p *pendingSnapshot) Put(r *snapshot.Record) error { return p.w.Put(r) }

// stage completes the snapshot and makes it a file of set, replaced with
// the run's other outputs.
func (p *pendingSnapshot) stage(set *atomicfile.Set) error {
	if err := p.w.Close(); err != nil {
		p.f.Abort()
		return err
	}
	set.Add(p.f)
	return nil
}

func (p *pendingSnapshot) abort() { p.f.Abort() }

// readSnapshot feeds the records of the snapshot at path to sink. When
// ctx is done (Ctrl-C), reading stops and the run goes on to report what
// was read, marked interrupted.
func readSnapshot(ctx context.Context, path string, sink snapshot.Sink) error {
	f, err := os.Open(path)
	if err != nil {
		return usagef("snapshot: %v", err)
	}
	defer func() { _ = f.Close() }() // read-only
	if _, err := snapshot.Read(ctx, f, path, sink); err != nil {
		if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			return nil
		}
		return fmt.Errorf("evaluate: %w", err)
	}
	return nil
}
