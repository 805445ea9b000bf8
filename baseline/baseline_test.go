package baseline

import (
	"testing"
	"time"

	"github.com/preflight-scan/preflight/report/model"
)

func f(rule, id string, sev model.Severity) model.Finding {
	return model.Finding{Fingerprint: model.Fingerprint(rule, "user", id, ""), RuleID: rule, Severity: sev, Category: "directory",
		Object: model.Object{Kind: "user", ID: id}, Message: rule + " on " + id, Evidence: map[string]any{}}
}

func rep(id string, fs ...model.Finding) *model.Report {
	return &model.Report{Scan: model.Scan{ID: id, StartedAt: time.Date(2026, 11, 1, 2, 0, 0, 0, time.UTC)}, Findings: fs}
}

func TestApplyMarksNewExistingResolved(t *testing.T) {
	old := rep("old", f("DIR-005", "anna", "critical"), f("DIR-001", "bob", "high"))
	cur := rep("cur", f("DIR-001", "bob", "high"), f("DIR-009", "carol", "high"))
	// The same problem with a reworded message is still the same finding.
	cur.Findings[0].Message = "reworded"
	Apply(cur, old, "old.json")

	want := map[string]string{"bob": StatusExisting, "carol": StatusNew}
	for _, x := range cur.Findings {
		if x.Status != want[x.Object.ID] {
			t.Errorf("%s: status %q, want %q", x.Object.ID, x.Status, want[x.Object.ID])
		}
	}
	if len(cur.Resolved) != 1 || cur.Resolved[0].Object.ID != "anna" || cur.Resolved[0].Status != "" {
		t.Errorf("resolved = %+v, want anna's finding", cur.Resolved)
	}
	if cur.Baseline == nil || cur.Baseline.ScanID != "old" || cur.Baseline.Path != "old.json" {
		t.Errorf("baseline ref = %+v", cur.Baseline)
	}
}

func TestCompareIdenticalAndEmpty(t *testing.T) {
	a := rep("a", f("DIR-005", "anna", "critical"))
	r := Compare(a, a)
	if len(r.New) != 0 || len(r.Resolved) != 0 || len(r.Existing) != 1 {
		t.Errorf("same report: %+v", r)
	}
	r = Compare(rep("e"), a)
	if len(r.New) != 1 || len(r.Existing) != 0 || len(r.Resolved) != 0 {
		t.Errorf("from empty: %+v", r)
	}
	r = Compare(a, rep("e"))
	if len(r.Resolved) != 1 || len(r.New) != 0 {
		t.Errorf("to empty: %+v", r)
	}
}

func TestNewAtOrAbove(t *testing.T) {
	fs := []model.Finding{f("DIR-001", "bob", "medium"), f("DIR-005", "anna", "critical")}
	fs[0].Status = StatusNew
	fs[1].Status = StatusExisting
	if NewAtOrAbove(fs, "high") {
		t.Error("an existing critical and a new medium must not fail at high")
	}
	if !NewAtOrAbove(fs, "medium") {
		t.Error("a new medium must fail at medium")
	}
	fs[0].Suppressed = &model.Suppression{Reason: "accepted"}
	if NewAtOrAbove(fs, "low") {
		t.Error("a suppressed new finding must not fail")
	}
}

func TestNewDiffCounts(t *testing.T) {
	old := rep("old", f("DIR-005", "anna", "critical"), f("DIR-001", "bob", "high"))
	cur := rep("cur", f("DIR-001", "bob", "high"), f("DIR-009", "carol", "high"), f("DIR-009", "dave", "high"))
	d := NewDiff(old, cur, "a.json", "b.json")
	if d.Counts != (DiffCounts{New: 2, Existing: 1, Resolved: 1}) {
		t.Errorf("counts = %+v", d.Counts)
	}
	if d.DiffVersion != DiffVersion || d.Baseline.ScanID != "old" || d.Current.Path != "b.json" {
		t.Errorf("refs = %+v %+v", d.Baseline, d.Current)
	}
}
