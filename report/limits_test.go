package report

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/preflight-scan/preflight/internal/limits"
	"github.com/preflight-scan/preflight/snapshot"
)

// TestReadFileBoundsTheReport: a report read back (--baseline, diff,
// report, the history directory) one byte over limits.ReportBytes is bad
// input naming the limit, refused before it is read (the file is sparse:
// the test costs no disk and no memory).
func TestReadFileBoundsTheReport(t *testing.T) {
	p := filepath.Join(t.TempDir(), "report.json")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(limits.ReportBytes + 1); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	_, err = ReadFile(p)
	if !errors.Is(err, snapshot.ErrBadInput) || !strings.Contains(err.Error(), "report longer than 1 GiB (limits.ReportBytes") {
		t.Errorf("report over the limit: %v", err)
	}
}
