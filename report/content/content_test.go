package content

import (
	"testing"

	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/report/reporttest"
)

// TestFailingOrder: errors first, then most severe, then by rule ID; a
// rule whose every finding is suppressed is left out.
func TestFailingOrder(t *testing.T) {
	rep := &model.Report{
		Checks: []model.Check{
			{RuleID: "B-1", Severity: "low", Status: model.StatusFail, Findings: 1},
			{RuleID: "A-2", Severity: "critical", Status: model.StatusFail, Findings: 1},
			{RuleID: "A-1", Severity: "critical", Status: model.StatusFail, Findings: 1},
			{RuleID: "Z-9", Severity: "info", Status: model.StatusError},
			{RuleID: "S-1", Severity: "high", Status: model.StatusFail, Findings: 1},
			{RuleID: "P-1", Severity: "high", Status: model.StatusPass},
		},
		Findings: []model.Finding{
			{RuleID: "B-1"}, {RuleID: "A-2"}, {RuleID: "A-1"},
			{RuleID: "S-1", Suppressed: &model.Suppression{Reason: "accepted"}},
		},
	}
	var got []string
	for _, c := range Failing(rep) {
		got = append(got, c.RuleID)
	}
	want := []string{"Z-9", "A-1", "A-2", "B-1"}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
}

// TestWords: every verdict of the report model has words, unknown ones
// are shown as they are.
func TestWords(t *testing.T) {
	for _, v := range []model.Verdict{model.VerdictReady, model.VerdictAtRisk, model.VerdictBlocked, model.VerdictIncomplete} {
		if h, e := Verdict(v); h == "" || e == "" {
			t.Errorf("verdict %q has no words", v)
		}
	}
	if h, e := Verdict("odd"); h != "ODD" || e != "" {
		t.Errorf("unknown verdict: %q %q", h, e)
	}
	if AreaName("dns") != "DNS" || AreaName("x") != "x" {
		t.Error("area names")
	}
}

// TestByArea counts open findings only, per area and severity.
func TestByArea(t *testing.T) {
	rep := reporttest.Report()
	rows, most := ByArea(rep)
	total := 0
	for _, r := range rows {
		total += r.Total
		if r.Total > most {
			t.Errorf("%s: %d above the chart's maximum %d", r.Area, r.Total, most)
		}
	}
	if want := len(rep.Findings) - Suppressed(rep); total != want {
		t.Errorf("chart counts %d findings, want %d", total, want)
	}
}
