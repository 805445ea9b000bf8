// Package history keeps the last reports of a nightly run in a directory,
// one file per run named report-<UTC time>-<scan id prefix>.json, so that
// each run can be compared with the previous one and the PDF can show the
// trend of the score and verdict.
package history

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/preflight-scan/preflight/internal/atomicfile"
	"github.com/preflight-scan/preflight/report"
	"github.com/preflight-scan/preflight/report/model"
)

// DefaultKeep is how many reports a history keeps unless configured.
const DefaultKeep = 30

// Store is a history directory.
type Store struct {
	// Dir is the directory; it is created on Save.
	Dir string
	// Keep is how many reports to keep; 0 means DefaultKeep.
	Keep int
}

// Entry is one report of the history.
type Entry struct {
	Path   string
	Report *model.Report
}

// Skipped is a history file that could not be read.
type Skipped struct {
	Path string
	Err  error
}

// Load reads every report in the directory, oldest first by scan time. A missing
// directory is an empty history. Files that are not readable reports (a
// report of another schema version, say) are returned in skipped, not as
// an error, so one bad file does not stop the nightly run.
func (s *Store) Load() (entries []Entry, skipped []Skipped, err error) {
	names, err := s.names()
	if err != nil {
		return nil, nil, err
	}
	for _, n := range names {
		p := filepath.Join(s.Dir, n)
		rep, err := report.ReadFile(p)
		if err != nil {
			skipped = append(skipped, Skipped{Path: p, Err: err})
			continue
		}
		entries = append(entries, Entry{Path: p, Report: rep})
	}
	// Names sort by time; the scan times decide between files renamed by hand.
	sort.SliceStable(entries, func(i, j int) bool {
		return entries[i].Report.Scan.StartedAt.Before(entries[j].Report.Scan.StartedAt)
	})
	return entries, skipped, nil
}

// names lists the history's report files, oldest first (the names sort by
// time).
func (s *Store) names() ([]string, error) {
	des, err := os.ReadDir(s.Dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	var names []string
	for _, de := range des {
		n := de.Name()
		if de.Type().IsRegular() && strings.HasPrefix(n, "report-") && strings.HasSuffix(n, ".json") {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names, nil
}

// Baseline picks the report to compare a new run with: the latest one
// whose verdict is not incomplete (a run whose source failed would make
// every finding of that source look new next time), else the latest.
// It returns nil when the history is empty.
func Baseline(entries []Entry) *Entry {
	for i := len(entries) - 1; i >= 0; i-- {
		if entries[i].Report.Summary.Verdict != model.VerdictIncomplete {
			return &entries[i]
		}
	}
	if len(entries) > 0 {
		return &entries[len(entries)-1]
	}
	return nil
}

// Points turns entries into the report's history, oldest first.
func Points(entries []Entry) []model.HistoryPoint {
	var out []model.HistoryPoint
	for _, e := range entries {
		r := e.Report
		out = append(out, model.HistoryPoint{
			ScanID:     r.Scan.ID,
			StartedAt:  r.Scan.StartedAt,
			Verdict:    r.Summary.Verdict,
			Score:      r.Summary.Score,
			Findings:   r.Summary.Counts.Total,
			BySeverity: r.Summary.Counts.BySeverity,
		})
	}
	return out
}

// FileName is the name a report gets in the history:
// report-<UTC start time to the millisecond>-<first 8 characters of the
// scan ID>.json, so that names sort by time.
func FileName(rep *model.Report) string {
	id := rep.Scan.ID
	if len(id) > 8 {
		id = id[:8]
	}
	return "report-" + rep.Scan.StartedAt.UTC().Format("20060102T150405.000Z") + "-" + id + ".json"
}

// Save writes rep into the history atomically and then removes the
// oldest reports beyond Keep. It returns the new file's path.
func (s *Store) Save(rep *model.Report) (string, error) {
	var set atomicfile.Set
	p, err := s.Stage(&set, rep)
	if err != nil {
		set.Abort()
		return "", err
	}
	if err := set.Commit(); err != nil {
		return "", fmt.Errorf("history: %w", err)
	}
	return p, s.Prune()
}

// Stage writes rep into the history as a file of set, replaced when the
// set is committed (with the run's other outputs). Call Prune after the
// commit. It returns the new file's path.
func (s *Store) Stage(set *atomicfile.Set, rep *model.Report) (string, error) {
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		return "", fmt.Errorf("history: %w", err)
	}
	p := filepath.Join(s.Dir, FileName(rep))
	if err := set.Write(p, func(w io.Writer) error { return report.WriteJSON(rep, w) }); err != nil {
		return "", fmt.Errorf("history: %w", err)
	}
	return p, nil
}

// Prune removes the oldest reports beyond Keep.
func (s *Store) Prune() error {
	keep := s.Keep
	if keep <= 0 {
		keep = DefaultKeep
	}
	names, err := s.names()
	if err != nil {
		return err
	}
	for len(names) > keep {
		if err := os.Remove(filepath.Join(s.Dir, names[0])); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("history: prune: %w", err)
		}
		names = names[1:]
	}
	return nil
}
