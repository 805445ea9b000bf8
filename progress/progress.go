// Package progress reports the progress of long collections on stderr:
// objects, pages and objects per second, at most once a second, and
// nothing at all when quiet.
package progress

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// Reporter prints progress lines. The zero value and a nil *Reporter print
// nothing. It is safe for concurrent use.
type Reporter struct {
	mu    sync.Mutex
	w     io.Writer
	now   func() time.Time
	start map[string]time.Time
	last  time.Time
	every time.Duration
}

// New returns a reporter writing to w; nil w gives a silent reporter.
func New(w io.Writer) *Reporter {
	return &Reporter{w: w, now: time.Now, start: map[string]time.Time{}, every: time.Second}
}

// Update reports that source has produced objects records over pages pages
// (pages 0: not paged). It prints at most once per second.
func (r *Reporter) Update(source string, objects, pages int64) {
	if r == nil || r.w == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.now()
	st, ok := r.start[source]
	if !ok {
		r.start[source] = now
		st = now
	}
	if now.Sub(r.last) < r.every {
		return
	}
	r.last = now
	r.print(source, objects, pages, now.Sub(st), "")
}

// Done prints the final line for source.
func (r *Reporter) Done(source string, objects, pages int64, status string) {
	if r == nil || r.w == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.now()
	st, ok := r.start[source]
	if !ok {
		st = now
	}
	r.print(source, objects, pages, now.Sub(st), status)
}

// Printf prints one free-form progress line.
func (r *Reporter) Printf(format string, args ...any) {
	if r == nil || r.w == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	// Progress is advisory: a terminal that cannot be written to must not
	// fail the scan.
	_, _ = fmt.Fprintf(r.w, "preflight: "+format+"\n", args...)
}

func (r *Reporter) print(source string, objects, pages int64, d time.Duration, status string) {
	line := fmt.Sprintf("preflight: %s: %d objects", source, objects)
	if pages > 0 {
		line += fmt.Sprintf(", %d pages", pages)
	}
	if d >= 100*time.Millisecond {
		line += fmt.Sprintf(", %.0f objects/s", float64(objects)/d.Seconds())
	}
	if status != "" {
		line += fmt.Sprintf(", %s in %s", status, d.Round(time.Millisecond))
	}
	_, _ = fmt.Fprintln(r.w, line) // advisory, as in Printf
}
