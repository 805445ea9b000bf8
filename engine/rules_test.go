package engine

import (
	"strings"
	"testing"

	"github.com/preflight-scan/preflight/checks"
	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/rules"
)

// catalogue is every rule ID of the rule catalogue; each must ship.
var catalogue = []string{
	"DIR-001", "DIR-002", "DIR-003", "DIR-004", "DIR-005", "DIR-006", "DIR-007", "DIR-008", "DIR-009", "DIR-010", "DIR-011", "DIR-012",
	"CLI-001", "CLI-002", "CLI-003", "CLI-004",
	"MBX-001", "MBX-002", "MBX-003", "MBX-004", "MBX-005", "MBX-006", "MBX-007",
	"DNS-001", "DNS-002", "DNS-003", "DNS-004", "DNS-005", "DNS-006", "DNS-007",
	"BL-001", "BL-002",
	"NET-001", "NET-002", "NET-003", "NET-004",
}

func TestCatalogueComplete(t *testing.T) {
	rs, err := rules.Load()
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, r := range rs {
		have[r.ID] = true
	}
	for _, id := range catalogue {
		if !have[id] {
			t.Errorf("rule %s of the catalogue is missing from rules/", id)
		}
	}
}

// TestRulesComplete fails when a rule lacks a bound check, a must-flag case
// or a must-not-flag case (the schema already demands metadata, references
// and a value, possibly null, for every profile).
func TestRulesComplete(t *testing.T) {
	rs, err := rules.Load()
	if err != nil {
		t.Fatal(err)
	}
	reg := checks.Default()
	for _, r := range rs {
		if !reg[r.Check].Valid() {
			t.Errorf("%s (%s): check %q is not in the registry", r.ID, r.File, r.Check)
		}
		var flag, clean bool
		for _, tc := range r.Tests {
			if tc.Expect.Findings > 0 {
				flag = true
			}
			if tc.Expect.Status == "pass" || (tc.Expect.Status == "" && tc.Expect.Findings == 0) {
				clean = true
			}
		}
		if !flag || !clean {
			t.Errorf("%s: needs at least one must-flag and one must-not-flag (status pass) test case", r.ID)
		}
		applicable := false
		for _, p := range rules.Profiles() {
			if r.Profiles[p] != nil {
				applicable = true
			}
		}
		if !applicable {
			t.Errorf("%s: applies under no profile", r.ID)
		}
	}
}

// TestRuleCases runs every rule's own test cases.
func TestRuleCases(t *testing.T) {
	rs, err := rules.Load()
	if err != nil {
		t.Fatal(err)
	}
	reg := checks.Default()
	for _, r := range rs {
		for _, tc := range r.Tests {
			t.Run(r.ID+"/"+tc.Name, func(t *testing.T) {
				if !reg[r.Check].Valid() {
					t.Skipf("check %s not registered", r.Check)
				}
				c, fs, err := runCase(r, tc, reg)
				if err != nil {
					t.Fatal(err)
				}
				if len(fs) != tc.Expect.Findings {
					var msgs []string
					for _, f := range fs {
						msgs = append(msgs, f.Object.ID+": "+f.Message)
					}
					t.Fatalf("findings = %d, want %d (status %s, error %q)\n%s", len(fs), tc.Expect.Findings, c.Status, c.Error, strings.Join(msgs, "\n"))
				}
				want := tc.Expect.Status
				if want == "" {
					// Without an explicit status a case must pass, or fail
					// when it flags anything above info: an error or a skip
					// beside the findings is a failure of the case.
					want = "pass"
					for _, f := range fs {
						if f.Severity.Rank() > model.SeverityInfo.Rank() {
							want = "fail"
						}
					}
				}
				if c.Status != want {
					t.Errorf("status = %s, want %s (error %q)", c.Status, want, c.Error)
				}
				if tc.Expect.Severity != "" {
					for _, f := range fs {
						if f.Severity != tc.Expect.Severity {
							t.Errorf("finding severity = %s, want %s: %s", f.Severity, tc.Expect.Severity, f.Message)
						}
					}
				}
				all := ""
				for _, f := range fs {
					all += f.Message + "\n"
				}
				if c.Error != "" {
					all += c.Error + "\n"
				}
				for _, sub := range tc.Expect.MessageContains {
					if !strings.Contains(all, sub) {
						t.Errorf("no finding message (or the check's error) contains %q; messages:\n%s", sub, all)
					}
				}
			})
		}
	}
}
