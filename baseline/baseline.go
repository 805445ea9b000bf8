// Package baseline compares a report with an earlier one by finding
// fingerprint: each current finding is new or existing, and the earlier
// findings that are gone are resolved. It is what lets a ticketing
// pipeline open a ticket per new finding and close it when resolved.
package baseline

import (
	"time"

	"github.com/preflight-scan/preflight/report/model"
)

// Finding statuses against a baseline.
const (
	StatusNew      = "new"
	StatusExisting = "existing"
)

// Apply marks every finding of cur new or existing against old, sets
// cur.Resolved to old's findings whose fingerprint is gone and names the
// baseline in cur.Baseline (path may be ""). Suppressed findings are
// marked like any other: suppression does not change identity.
func Apply(cur, old *model.Report, path string) {
	d := Compare(old, cur)
	status := make(map[string]string, len(cur.Findings))
	for _, f := range d.New {
		status[f.Fingerprint] = StatusNew
	}
	for _, f := range d.Existing {
		status[f.Fingerprint] = StatusExisting
	}
	for i := range cur.Findings {
		cur.Findings[i].Status = status[cur.Findings[i].Fingerprint]
	}
	cur.Resolved = d.Resolved
	cur.Baseline = &model.BaselineRef{ScanID: old.Scan.ID, StartedAt: old.Scan.StartedAt, Path: path}
}

// DiffVersion is the version of the diff.json format.
const DiffVersion = "1"

// Diff is the comparison of two reports, as written to diff.json.
type Diff struct {
	DiffVersion string `json:"diff_version"`
	// Baseline is the older report, Current the newer one.
	Baseline ReportRef  `json:"baseline"`
	Current  ReportRef  `json:"current"`
	Counts   DiffCounts `json:"counts"`
	// NewFindings are in the new report only.
	NewFindings []model.Finding `json:"new"`
	// Existing are in both (the new report's copy).
	Existing []model.Finding `json:"existing"`
	// Resolved are in the old report only (the old report's copy).
	Resolved []model.Finding `json:"resolved"`
}

// ReportRef names one side of a diff.
type ReportRef struct {
	ScanID    string        `json:"scan_id"`
	StartedAt time.Time     `json:"started_at"`
	Verdict   model.Verdict `json:"verdict"`
	Score     int           `json:"score"`
	Path      string        `json:"path,omitempty"`
}

// DiffCounts counts each side.
type DiffCounts struct {
	New      int `json:"new"`
	Existing int `json:"existing"`
	Resolved int `json:"resolved"`
}

// Result is Compare's answer.
type Result struct {
	New, Existing, Resolved []model.Finding
}

// Compare splits findings by fingerprint: New and Existing hold cur's
// findings, Resolved holds old's findings that cur lacks. Each list is in
// the report's deterministic order. A fingerprint repeated in one report
// (which the engine never produces) is treated as one identity.
func Compare(old, cur *model.Report) Result {
	inOld := make(map[string]bool, len(old.Findings))
	for _, f := range old.Findings {
		inOld[f.Fingerprint] = true
	}
	inCur := make(map[string]bool, len(cur.Findings))
	r := Result{New: []model.Finding{}, Existing: []model.Finding{}, Resolved: []model.Finding{}}
	for _, f := range cur.Findings {
		inCur[f.Fingerprint] = true
		if inOld[f.Fingerprint] {
			f.Status = StatusExisting
			r.Existing = append(r.Existing, f)
		} else {
			f.Status = StatusNew
			r.New = append(r.New, f)
		}
	}
	for _, f := range old.Findings {
		if !inCur[f.Fingerprint] {
			f.Status = ""
			r.Resolved = append(r.Resolved, f)
		}
	}
	model.SortFindings(r.New)
	model.SortFindings(r.Existing)
	model.SortFindings(r.Resolved)
	return r
}

// NewDiff builds the diff.json document of two reports.
func NewDiff(old, cur *model.Report, oldPath, curPath string) *Diff {
	r := Compare(old, cur)
	ref := func(rep *model.Report, path string) ReportRef {
		return ReportRef{ScanID: rep.Scan.ID, StartedAt: rep.Scan.StartedAt, Verdict: rep.Summary.Verdict, Score: rep.Summary.Score, Path: path}
	}
	return &Diff{
		DiffVersion: DiffVersion,
		Baseline:    ref(old, oldPath),
		Current:     ref(cur, curPath),
		Counts:      DiffCounts{New: len(r.New), Existing: len(r.Existing), Resolved: len(r.Resolved)},
		NewFindings: r.New,
		Existing:    r.Existing,
		Resolved:    r.Resolved,
	}
}

// NewAtOrAbove reports whether rep has a new, unsuppressed finding at or
// above severity floor (a severity name).
func NewAtOrAbove(findings []model.Finding, floor model.Severity) bool {
	rank := floor.Rank()
	for _, f := range findings {
		if f.Status == StatusNew && f.Suppressed == nil && f.Severity.Rank() >= rank {
			return true
		}
	}
	return false
}
