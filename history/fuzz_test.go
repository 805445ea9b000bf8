package history

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/preflight-scan/preflight/baseline"
	"github.com/preflight-scan/preflight/report"
	"github.com/preflight-scan/preflight/report/model"
)

// FuzzHistory loads a history directory of two arbitrary files, picks the
// baseline and the trend points, and diffs the baseline against the
// newer file: no panic whatever the files hold, and unreadable files are
// skipped, not fatal. It covers the baseline and diff inputs too.
func FuzzHistory(f *testing.F) {
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	var a, b bytes.Buffer
	if err := report.WriteJSON(minimal("aaaaaaaa", at, model.VerdictReady, 90), &a); err != nil {
		f.Fatal(err)
	}
	if err := report.WriteJSON(minimal("bbbbbbbb", at.Add(time.Hour), model.VerdictIncomplete, 40), &b); err != nil {
		f.Fatal(err)
	}
	f.Add(a.Bytes(), b.Bytes())
	f.Add(a.Bytes(), []byte(`{"schema_version":"9"}`))
	f.Add([]byte("{"), []byte(""))
	f.Fuzz(func(t *testing.T, one, two []byte) {
		if len(one)+len(two) > 256<<10 {
			return
		}
		dir := t.TempDir()
		for name, data := range map[string][]byte{
			"report-20261101T000000.000Z-aaaaaaaa.json": one,
			"report-20261101T010000.000Z-bbbbbbbb.json": two,
		} {
			if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		s := &Store{Dir: dir, Keep: 1}
		entries, skipped, err := s.Load()
		if err != nil {
			t.Fatalf("load: %v", err)
		}
		if len(entries)+len(skipped) != 2 {
			t.Fatalf("%d entries and %d skipped of 2 files", len(entries), len(skipped))
		}
		_ = Points(entries)
		base := Baseline(entries)
		if base == nil || len(entries) < 2 {
			return
		}
		cur := entries[len(entries)-1].Report
		d := baseline.NewDiff(base.Report, cur, base.Path, "cur.json")
		_ = baseline.NewAtOrAbove(d.NewFindings, "low")
		baseline.Apply(cur, base.Report, base.Path)
	})
}
