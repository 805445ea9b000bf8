package content

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/preflight-scan/preflight/report/model"
)

func t2tReport() *model.Report {
	held := func(kind, id string, observed ...string) model.Finding {
		return model.Finding{RuleID: "T2T-002", Object: model.Object{Kind: kind, ID: id, Name: id},
			Evidence: map[string]any{"observed": observed, "domains": []string{"contoso.com", "fabrikam.com"}}}
	}
	return &model.Report{
		Summary: model.Summary{Verdict: model.VerdictAtRisk},
		Checks: []model.Check{
			{RuleID: "T2T-001", Status: model.StatusFail, Evaluated: 3},
			{RuleID: "T2T-002", Status: model.StatusPass, Evaluated: 5},
			{RuleID: "T2T-003", Status: model.StatusSkipped, Error: "no target tenant export given (--target-recipients)"},
			{RuleID: "T2T-004", Status: model.StatusSkipped, Error: "no target tenant export given (--target-recipients)"},
		},
		Findings: []model.Finding{
			held("mailbox", "a@contoso.com", "UPN a@contoso.com", "primary SMTP a@contoso.com", "proxy smtp:a@fabrikam.com"),
			held("mailbox", "b@contoso.com", "proxy SIP:b@sub.contoso.com"),
			held("group", "g@fabrikam.com", "primary SMTP g@fabrikam.com"),
			{RuleID: "T2T-001", Object: model.Object{Kind: "mailbox", ID: "b@contoso.com", Name: "Bo"},
				Message: "UserMailbox b@contoso.com has no address at the tenant's onmicrosoft.com domain; add smtp:bo@src.onmicrosoft.com (tenant src, derived)"},
		},
	}
}

// The section counts each object once per migrating domain it holds,
// by kind, and says which counts could not be judged.
func TestTenantSection(t *testing.T) {
	v := Tenant(t2tReport(), 10)
	if v == nil {
		t.Fatal("no section for a report with T2T findings")
	}
	if got := fmt.Sprint(v.Kinds, v.Domains); got != "[mailbox group] [{contoso.com [2 0] 2} {fabrikam.com [1 1] 2}]" {
		t.Errorf("domains: %s", got)
	}
	if z := v.Zero[0]; z.RuleID != "T2T-002" || z.Count != 3 || z.Status != "" {
		t.Errorf("T2T-002 count: %+v", z)
	}
	if z := v.Zero[1]; z.RuleID != "T2T-004" || z.Status != "not assessed" || z.Reason != "no target tenant export given (--target-recipients)" {
		t.Errorf("T2T-004 not judged: %+v", z)
	}
	if len(v.NoOnMicrosoft) != 1 || v.NoOnMicrosoft[0].Detail != "add smtp:bo@src.onmicrosoft.com" {
		t.Errorf("T2T-001 list: %+v", v.NoOnMicrosoft)
	}
	// Evidence read back from report.json ([]any, not []string) gives
	// the same section.
	back := t2tReport()
	for i := range back.Findings {
		b, err := json.Marshal(back.Findings[i].Evidence)
		if err != nil {
			t.Fatal(err)
		}
		back.Findings[i].Evidence = nil
		if err := json.Unmarshal(b, &back.Findings[i].Evidence); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := fmt.Sprint(Tenant(back, 10)), fmt.Sprint(v); got != want {
		t.Errorf("from JSON:\n got %s\nwant %s", got, want)
	}
}

// No tenant exports: no section; exports with nothing left: cleared.
func TestTenantSectionAbsentAndCleared(t *testing.T) {
	rep := &model.Report{Summary: model.Summary{Verdict: model.VerdictAtRisk}, Checks: []model.Check{{RuleID: "T2T-001", Status: model.StatusSkipped}, {RuleID: "DIR-001", Status: model.StatusFail}}}
	if v := Tenant(rep, 10); v != nil {
		t.Errorf("section without tenant data: %+v", v)
	}
	rep.Checks = append(rep.Checks, model.Check{RuleID: "T2T-002", Status: model.StatusPass, Evaluated: 4})
	if v := Tenant(rep, 10); v == nil || !v.Cleared || v.Zero[0].Count != 0 {
		t.Errorf("want the domain cleared: %+v", v)
	}
}
