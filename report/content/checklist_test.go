package content

import (
	"strings"
	"testing"

	"github.com/preflight-scan/preflight/report/model"
)

// TestChecklistTenantToTenant: the runbook's manual tenant-to-tenant steps
// show only when the scan judged the migrating domains, each inside its
// group, with its seed reference.
func TestChecklistTenantToTenant(t *testing.T) {
	plain := &model.Report{Checks: []model.Check{
		{RuleID: "T2T-002", Status: model.StatusSkipped},
		{RuleID: "T2T-005", Status: model.StatusPass, Evaluated: 3},
	}}
	if got, want := len(ChecklistFor(plain)), len(Checklist()); got != want {
		t.Errorf("a scan without --migrating-domain got %d steps, want the %d general ones", got, want)
	}
	t2t := &model.Report{Checks: []model.Check{{RuleID: "T2T-002", Status: model.StatusPass, Evaluated: 3}}}
	got := ChecklistFor(t2t)
	if len(got) != len(Checklist())+len(tenantChecklist()) {
		t.Fatalf("tenant-to-tenant scan: %d steps", len(got))
	}
	seen := map[string]bool{}
	last := ""
	var text strings.Builder
	for _, it := range got {
		if it.When != last {
			if seen[it.When] {
				t.Errorf("group %q split: tenant steps must join their group", it.When)
			}
			seen[it.When], last = true, it.When
		}
		if it.Source == "" {
			t.Errorf("step without a source: %q", it.Text)
		}
		text.WriteString(it.Text + " " + it.Source + "\n")
	}
	for _, want := range []string{"[004 s75]", "temporary licence", "[004 s76, s105]", "60 minutes", "[004 s9]", "[004 s97–115]"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("checklist lacks %q", want)
		}
	}
}
