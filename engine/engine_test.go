package engine

import (
	"bytes"
	"strings"
	"testing"

	"github.com/preflight-scan/preflight/checks"
	"github.com/preflight-scan/preflight/report"
	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/rules"
	"github.com/preflight-scan/preflight/snapshot"
)

// flagParams are the test check's parameters.
type flagParams struct {
	Severity model.Severity `json:"severity"`
}

// flagUsers is a test check: one finding per user whose sn is "bad", with
// the severity given by the "severity" param.
var flagUsers = checks.Typed(func(cfg flagParams, _ checks.Env) (checks.Check, error) {
	return checks.Funcs{ObserveFunc: func(r *snapshot.Record, out *checks.Output) {
		if r.Dir != nil {
			out.Judged(1)
		}
		if r.Dir != nil && r.Dir.First("sn") == "bad" {
			f := checks.ForDir(r.Dir)
			f.Message = "bad sn"
			f.Severity = cfg.Severity
			out.Add(f)
		}
	}}, nil
})

func testRule(id, severity string, applies bool) *rules.Rule {
	prof := &rules.Profile{Params: map[string]any{"severity": severity}, Source: "[test]"}
	r := &rules.Rule{ID: id, Title: "t", Category: "directory", Severity: model.Severity(severity), Check: "test.flag",
		Requires: []string{"directory"}, Description: "d", Remediation: "r",
		Profiles: map[string]*rules.Profile{"exchange-online": prof, "office365-2011": prof, "bpos-2010": prof}}
	if !applies {
		r.Profiles["exchange-online"] = nil
	}
	return r
}

func user(dn, guid, sn string) *snapshot.Record {
	return &snapshot.Record{Dir: &snapshot.DirObject{DN: dn, Kind: snapshot.KindUser, Domain: "corp.example.com",
		Attrs: map[string][]string{"objectguid": {guid}, "sn": {sn}, "displayname": {"User " + sn}}}}
}

// source is a directory source record with the given status.
func source(status string) *snapshot.Record {
	s := &snapshot.Source{Name: "src-directory", Kind: "ldif", Areas: []snapshot.Area{snapshot.AreaDirectory}, Status: status}
	if status == snapshot.StatusError {
		s.Error = "connection refused"
	}
	return &snapshot.Record{Source: s}
}

func evaluate(t *testing.T, rs []*rules.Rule, recs ...*snapshot.Record) *model.Report {
	t.Helper()
	run, err := New(Options{Rules: rs, Registry: checks.Registry{"test.flag": flagUsers},
		Env: checks.Env{Profile: "exchange-online", Now: caseNow()}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if err := run.Put(r); err != nil {
			t.Fatal(err)
		}
	}
	return run.Finish(Meta{})
}

func TestCheckStatuses(t *testing.T) {
	rs := []*rules.Rule{testRule("TST-001", "high", true), testRule("TST-002", "info", true), testRule("TST-003", "high", false)}
	cases := []struct {
		name    string
		recs    []*snapshot.Record
		status  map[string]model.Status
		verdict model.Verdict
	}{
		{"no source: skipped, never pass", nil,
			map[string]model.Status{"TST-001": "skipped", "TST-002": "skipped", "TST-003": "not-applicable"}, "incomplete"},
		{"failed source: error and incomplete", []*snapshot.Record{source("error")},
			map[string]model.Status{"TST-001": "error", "TST-002": "error"}, "incomplete"},
		{"clean", []*snapshot.Record{user("CN=a", "g1", "ok"), source("ok")},
			map[string]model.Status{"TST-001": "pass", "TST-002": "pass"}, "ready"},
		{"flagged: high fails, info passes", []*snapshot.Record{user("CN=a", "g1", "bad"), source("ok")},
			map[string]model.Status{"TST-001": "fail", "TST-002": "pass"}, "at-risk"},
		{"one good one failed source: error wins", []*snapshot.Record{user("CN=a", "g1", "bad"), source("ok"), source("error")},
			map[string]model.Status{"TST-001": "error"}, "incomplete"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rep := evaluate(t, rs, tc.recs...)
			got := map[string]model.Status{}
			for _, c := range rep.Checks {
				got[c.RuleID] = c.Status
			}
			for id, want := range tc.status {
				if got[id] != want {
					t.Errorf("%s status = %s, want %s", id, got[id], want)
				}
			}
			if rep.Summary.Verdict != tc.verdict {
				t.Errorf("verdict = %s, want %s (%v)", rep.Summary.Verdict, tc.verdict, rep.Summary.VerdictReasons)
			}
		})
	}
}

func TestVerdictOrder(t *testing.T) {
	crit := testRule("TST-001", "critical", true)
	rep := evaluate(t, []*rules.Rule{crit}, user("CN=a", "g1", "bad"), source("ok"))
	if rep.Summary.Verdict != "blocked" || rep.Summary.Score != 75 {
		t.Errorf("verdict %s score %d, want blocked 75", rep.Summary.Verdict, rep.Summary.Score)
	}
	if !strings.Contains(strings.Join(rep.Summary.VerdictReasons, "|"), "not assessed (no source given): clients, mailbox, dns, blacklist, network") {
		t.Errorf("reasons do not say what was not assessed: %v", rep.Summary.VerdictReasons)
	}
	if got := rep.Summary.Coverage.Assessed; len(got) != 1 || got[0] != "directory" {
		t.Errorf("assessed = %v", got)
	}
}

func TestFingerprintStable(t *testing.T) {
	rs := []*rules.Rule{testRule("TST-001", "high", true)}
	a := evaluate(t, rs, user("CN=a,DC=x", "g1", "bad"), user("CN=b,DC=x", "g2", "ok"), source("ok"))
	// Reordered, an unrelated object changed, and the DN of the flagged
	// object moved: the fingerprint follows the objectGUID.
	b := evaluate(t, rs, user("CN=c,DC=x", "g3", "ok"), user("CN=a,OU=Moved,DC=x", "g1", "bad"), source("ok"))
	if len(a.Findings) != 1 || len(b.Findings) != 1 {
		t.Fatalf("findings %d, %d", len(a.Findings), len(b.Findings))
	}
	if a.Findings[0].Fingerprint != b.Findings[0].Fingerprint {
		t.Errorf("fingerprint changed: %s vs %s", a.Findings[0].Fingerprint, b.Findings[0].Fingerprint)
	}
	c := evaluate(t, rs, user("CN=a,DC=x", "g9", "bad"), source("ok"))
	if c.Findings[0].Fingerprint == a.Findings[0].Fingerprint {
		t.Error("different objects share a fingerprint")
	}
}

func TestDeterministicJSON(t *testing.T) {
	rs := []*rules.Rule{testRule("TST-001", "high", true), testRule("TST-002", "medium", true)}
	var out [2][]byte
	for i := range out {
		recs := []*snapshot.Record{user("CN=b", "g2", "bad"), user("CN=a", "g1", "bad"), source("ok")}
		if i == 1 {
			recs[0], recs[1] = recs[1], recs[0]
		}
		var buf bytes.Buffer
		if err := report.WriteJSON(evaluate(t, rs, recs...), &buf); err != nil {
			t.Fatal(err)
		}
		out[i] = buf.Bytes()
	}
	if !bytes.Equal(out[0], out[1]) {
		t.Errorf("same inputs in another order gave different reports:\n%s\n---\n%s", out[0], out[1])
	}
}

func TestOverrides(t *testing.T) {
	rs := []*rules.Rule{testRule("TST-001", "high", true)}
	reg := checks.Registry{"test.flag": flagUsers}
	env := checks.Env{Profile: "exchange-online", Now: caseNow()}
	if _, err := New(Options{Rules: rs, Registry: reg, Env: env, Overrides: map[string]map[string]any{"NOPE-001": {"x": 1}}}); err == nil {
		t.Error("override of an unknown rule accepted")
	}
	if _, err := New(Options{Rules: rs, Registry: reg, Env: env, Overrides: map[string]map[string]any{"TST-001": {"nope": 1}}}); err == nil {
		t.Error("override of an unknown parameter accepted")
	}
	run, err := New(Options{Rules: rs, Registry: reg, Env: env, Overrides: map[string]map[string]any{"TST-001": {"severity": "low"}}})
	if err != nil {
		t.Fatal(err)
	}
	_ = run.Put(user("CN=a", "g1", "bad"))
	_ = run.Put(source("ok"))
	rep := run.Finish(Meta{})
	if rep.Findings[0].Severity != "low" || rep.Scan.ParamsOverridden["TST-001"]["severity"] != "low" {
		t.Errorf("override not applied or not reported: %+v %+v", rep.Findings[0], rep.Scan.ParamsOverridden)
	}
	if _, err := New(Options{Rules: rs, Registry: checks.Registry{}, Env: env}); err == nil {
		t.Error("rule bound to a missing check accepted")
	}
}

func TestReportMatchesSchema(t *testing.T) {
	rs := []*rules.Rule{testRule("TST-001", "high", true)}
	for _, recs := range [][]*snapshot.Record{
		{user("CN=a", "g1", "bad"), source("ok")},
		{source("error")},
		nil,
	} {
		rep := evaluate(t, rs, recs...)
		rep.Scan.Profile, rep.Scan.Phase, rep.Scan.ID = "exchange-online", "pre-cutover", "x"
		rep.Tool = model.Tool{Name: "preflight", Version: "test"}
		var buf bytes.Buffer
		if err := report.WriteJSON(rep, &buf); err != nil {
			t.Fatal(err)
		}
		if err := report.Validate(buf.Bytes()); err != nil {
			t.Errorf("%v\n%s", err, buf.Bytes())
		}
	}
}
