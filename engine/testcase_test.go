package engine

import (
	"errors"
	"fmt"
	"reflect"
	"time"

	"github.com/preflight-scan/preflight/checks"
	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/rules"
	"github.com/preflight-scan/preflight/snapshot"
)

// caseNow is the scan time of rule test cases that give none:
// 2026-11-01T00:00:00Z.
func caseNow() time.Time { return time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC) }

// runCase evaluates one of a rule's own test cases and returns the rule's
// check and findings. Records without a source record get an "ok" source
// for each area the rule requires.
func runCase(rule *rules.Rule, tc rules.TestCase, reg checks.Registry) (model.Check, []model.Finding, error) {
	env := checks.Env{Profile: rules.DefaultProfile, Now: caseNow(), Phase: "pre-cutover"}
	if tc.Profile != "" {
		env.Profile = tc.Profile
	}
	caseErr := func(format string, args ...any) error {
		return fmt.Errorf("rules: %s case %q: %s", rule.ID, tc.Name, fmt.Sprintf(format, args...))
	}
	if v := tc.Env.Now; v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return model.Check{}, nil, caseErr("env.now: %v", err)
		}
		env.Now = t
	}
	if v := tc.Env.CutoverDate; v != "" {
		t, err := time.Parse("2006-01-02", v)
		if err != nil {
			return model.Check{}, nil, caseErr("env.cutover_date: %v", err)
		}
		env.CutoverDate = t
	}
	if v := tc.Env.Phase; v != "" {
		env.Phase = v
	}
	env.BandwidthMbps = tc.Env.BandwidthMbps
	if v := tc.Env.Tenant; v != "" {
		env.Tenant = v
	}
	if v := tc.Env.MigratingDomains; len(v) > 0 {
		env.MigratingDomains = v
	}
	var overrides map[string]map[string]any
	if len(tc.Params) > 0 {
		overrides = map[string]map[string]any{rule.ID: tc.Params}
	}
	run, err := New(Options{Rules: []*rules.Rule{rule}, Registry: reg, Env: env, Overrides: overrides})
	if err != nil {
		return model.Check{}, nil, caseErr("%v", err)
	}
	hasSource := false
	for i, raw := range tc.Records {
		rec, err := decodeRecord(raw)
		if err != nil {
			return model.Check{}, nil, caseErr("record %d: %v", i+1, err)
		}
		if rec.Source != nil {
			hasSource = true
		}
		if err := run.Put(rec); err != nil {
			return model.Check{}, nil, err
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
		return model.Check{}, nil, fmt.Errorf("want 1 check, got %d", len(rep.Checks))
	}
	return rep.Checks[0], rep.Findings, nil
}

// decodeRecord decodes one snapshot record of a rule test case strictly:
// a key the record (or anything in it) does not have is an error, so that
// a typo cannot leave a case with an empty record that passes vacuously.
func decodeRecord(raw []byte) (*snapshot.Record, error) {
	v, err := decodeStrict(raw, reflect.TypeFor[snapshot.Record]())
	if err != nil {
		return nil, err
	}
	rec := v.(snapshot.Record)
	if rec == (snapshot.Record{}) {
		return nil, errors.New("empty record")
	}
	return &rec, nil
}
