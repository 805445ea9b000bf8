package engine

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/preflight-scan/preflight/checks"
	"github.com/preflight-scan/preflight/report"
	"github.com/preflight-scan/preflight/rules"
	"github.com/preflight-scan/preflight/snapshot"
)

// CaseNow is the scan time of rule test cases that give none:
// 2026-11-01T00:00:00Z.
func CaseNow() time.Time { return time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC) }

// RunCase evaluates one of a rule's own test cases and returns the rule's
// check and findings. Records without a source record get an "ok" source
// for each area the rule requires.
func RunCase(rule *rules.Rule, tc rules.TestCase, reg checks.Registry) (report.Check, []report.Finding, error) {
	env := checks.Env{Profile: rules.DefaultProfile, Now: CaseNow(), Phase: "pre-cutover"}
	if tc.Profile != "" {
		env.Profile = tc.Profile
	}
	if v, ok := tc.Env["now"].(string); ok {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return report.Check{}, nil, fmt.Errorf("env.now: %w", err)
		}
		env.Now = t
	}
	if v, ok := tc.Env["cutover_date"].(string); ok {
		t, err := time.Parse("2006-01-02", v)
		if err != nil {
			return report.Check{}, nil, fmt.Errorf("env.cutover_date: %w", err)
		}
		env.CutoverDate = t
	}
	if v, ok := tc.Env["phase"].(string); ok {
		env.Phase = v
	}
	if v, ok := tc.Env["bandwidth_mbps"].(float64); ok {
		env.BandwidthMbps = v
	}
	var overrides map[string]map[string]any
	if len(tc.Params) > 0 {
		overrides = map[string]map[string]any{rule.ID: tc.Params}
	}
	run, err := New(Options{Rules: []*rules.Rule{rule}, Registry: reg, Env: env, Overrides: overrides})
	if err != nil {
		return report.Check{}, nil, err
	}
	hasSource := false
	for i, raw := range tc.Records {
		var rec snapshot.Record
		if err := json.Unmarshal(raw, &rec); err != nil {
			return report.Check{}, nil, fmt.Errorf("record %d: %w", i, err)
		}
		if rec.Source != nil {
			hasSource = true
		}
		if err := run.Put(&rec); err != nil {
			return report.Check{}, nil, err
		}
	}
	if !hasSource {
		var areas []snapshot.Area
		for _, a := range rule.Requires {
			areas = append(areas, snapshot.Area(a))
		}
		_ = run.Put(&snapshot.Record{Source: &snapshot.Source{Name: "test", Kind: "file", Areas: areas, Status: snapshot.StatusOK}})
	}
	rep := run.Finish(Meta{})
	if len(rep.Checks) != 1 {
		return report.Check{}, nil, fmt.Errorf("want 1 check, got %d", len(rep.Checks))
	}
	return rep.Checks[0], rep.Findings, nil
}
