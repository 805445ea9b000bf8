package engine

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/preflight-scan/preflight/checks"
	"github.com/preflight-scan/preflight/rules"
)

// ruleCopy returns a deep copy of an embedded rule, to break it.
func ruleCopy(t *testing.T, id string) *rules.Rule {
	t.Helper()
	rs, err := rules.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.ID == id {
			b, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			var c rules.Rule
			if err := json.Unmarshal(b, &c); err != nil {
				t.Fatal(err)
			}
			return &c
		}
	}
	t.Fatalf("no rule %s", id)
	return nil
}

// TestEveryProfileResolves: the embedded rules' parameters fit their
// checks' schemas under every profile.
func TestEveryProfileResolves(t *testing.T) {
	rs, err := rules.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range rules.Profiles() {
		res, err := NewResolver(rs, checks.Default(), p, nil)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		for _, r := range rs {
			rv, err := res.Resolve(r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if (rv.Profile == nil) != (r.Profiles[p] == nil) {
				t.Errorf("%s %s: applicable %v", r.ID, p, rv.Profile != nil)
			}
			if rv.Profile != nil && reflect.TypeOf(rv.Value) != checks.Default()[r.Check].ParamsType() {
				t.Errorf("%s %s: value is %T", r.ID, p, rv.Value)
			}
		}
	}
}

// TestBadProfileParams: a rule whose profile gives an unknown key, a
// wrong type, a bad severity or misses a key does not load, and the error
// names the rule, the profile and the key.
func TestBadProfileParams(t *testing.T) {
	for _, tc := range []struct {
		id   string
		edit func(p map[string]any)
		want string
	}{
		{"CLI-002", func(p map[string]any) { p["min_labl"] = "x" },
			`rules: CLI-002 profile exchange-online: unknown parameter "min_labl"`},
		{"CLI-002", func(p map[string]any) { p["minimums"].([]any)[1].(map[string]any)["frm"] = "16" },
			`rules: CLI-002 profile exchange-online: parameter minimums[1]: unknown key "frm"`},
		{"DIR-010", func(p map[string]any) { p["not_mail_domain_severity"] = "urgent" },
			`rules: DIR-010 profile exchange-online: parameter not_mail_domain_severity: "urgent" is not a severity (info, low, medium, high, critical)`},
		{"DNS-003", func(p map[string]any) { p["max_lookups"] = "ten" },
			`rules: DNS-003 profile exchange-online: parameter max_lookups: want integer, got string`},
		{"DNS-003", func(p map[string]any) { p["max_lookups"] = 0.0 },
			`rules: DNS-003 profile exchange-online: parameter max_lookups: 0 is below the minimum 1`},
		{"DNS-003", func(p map[string]any) { delete(p, "max_lookups") },
			`rules: DNS-003 profile exchange-online: missing parameter "max_lookups"`},
		{"DIR-006", func(p map[string]any) { p["limits"].([]any)[0].(map[string]any)["severity"] = "hgh" },
			`rules: DIR-006 profile exchange-online: parameter limits[0].severity: "hgh" is not a severity (info, low, medium, high, critical)`},
	} {
		r := ruleCopy(t, tc.id)
		tc.edit(r.Profiles["exchange-online"].Params)
		_, err := NewResolver([]*rules.Rule{r}, checks.Default(), "bpos-2010", nil)
		var pe *ParamError
		if !errors.As(err, &pe) || err.Error() != tc.want {
			t.Errorf("got %v\nwant %s", err, tc.want)
		}
	}
}

// TestBadOverride: overrides are checked against the profile in force and
// the check's schema; the error names the rule and key; the overrides
// are not modified.
func TestBadOverride(t *testing.T) {
	rs, err := rules.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		ov   map[string]map[string]any
		want string
	}{
		{map[string]map[string]any{"DIR-010": {"not_mail_domain_severity": "urgent"}},
			`config: override DIR-010.not_mail_domain_severity: "urgent" is not a severity (info, low, medium, high, critical)`},
		{map[string]map[string]any{"MBX-002": {"quota_gbb": 1}},
			`config: override MBX-002.quota_gbb: rule MBX-002 has no parameter "quota_gbb" under profile exchange-online (it has: plan, quota_gb_by_plan)`},
		{map[string]map[string]any{"MBX-002": {"plan": 2}},
			`config: override MBX-002.plan: want string, got number`},
		{map[string]map[string]any{"NET-001": {"core_endpoints": []any{map[string]any{"host": "a", "port": 0, "purpose": "p"}}}},
			`config: override NET-001.core_endpoints[0].port: 0 is below the minimum 1`},
	} {
		before, _ := json.Marshal(tc.ov)
		_, err := NewResolver(rs, checks.Default(), "exchange-online", tc.ov)
		if err == nil || err.Error() != tc.want {
			t.Errorf("got %v\nwant %s", err, tc.want)
		}
		if after, _ := json.Marshal(tc.ov); string(after) != string(before) {
			t.Errorf("overrides modified: %s", after)
		}
	}
	if _, err := NewResolver(rs, checks.Default(), "exchange-online", map[string]map[string]any{"XYZ-999": {"a": 1}}); err == nil || !strings.Contains(err.Error(), "XYZ-999") {
		t.Errorf("override of an unknown rule: %v", err)
	}
	// A good override is typed and shown in the raw parameters.
	ov := map[string]map[string]any{"DIR-010": {"not_mail_domain_severity": "low"}}
	res, err := NewResolver(rs, checks.Default(), "exchange-online", ov)
	if err != nil {
		t.Fatal(err)
	}
	rv, _ := res.Resolve("DIR-010")
	if rv.Raw["not_mail_domain_severity"] != "low" || reflect.ValueOf(rv.Value).FieldByName("NotMailSeverity").String() != "low" {
		t.Errorf("resolved %v %+v", rv.Raw, rv.Value)
	}
}

// TestCaseRecordsStrict: a test case record with a typo'd key is an
// error naming the rule and the case, not an empty record that passes.
func TestCaseRecordsStrict(t *testing.T) {
	r := ruleCopy(t, "DIR-003")
	for _, tc := range []struct {
		rec, want string
	}{
		{`{"dri": {"dn": "CN=a", "kind": "user"}}`, `rules: DIR-003 case "typo": record 1: unknown key "dri"`},
		{`{"dir": {"dn": "CN=a", "kind": "user", "atrs": {}}}`, `rules: DIR-003 case "typo": record 1: unknown key "atrs"`},
		{`{}`, `rules: DIR-003 case "typo": record 1: empty record`},
	} {
		c := rules.TestCase{Name: "typo", Records: []json.RawMessage{json.RawMessage(tc.rec)}}
		_, _, err := runCase(r, c, checks.Default())
		if err == nil || err.Error() != tc.want {
			t.Errorf("got %v\nwant %s", err, tc.want)
		}
	}
}

// TestParamSchemas: every check's parameter schema is an object schema
// that admits no other keys.
func TestParamSchemas(t *testing.T) {
	for name, spec := range checks.Default() {
		s := spec.Schema()
		if s["type"] != "object" || s["additionalProperties"] != false {
			t.Errorf("%s: schema %v", name, s)
		}
	}
}

// FuzzOverride: any JSON object as a rule's override resolves or is
// rejected with a ParamError naming the rule; it never panics.
func FuzzOverride(f *testing.F) {
	rs, err := rules.Load()
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{`{"not_mail_domain_severity": "urgent"}`, `{"non_routable_tlds": [1]}`, `{"subdomain_severity": null}`, `{}`} {
		f.Add("DIR-010", s)
	}
	f.Add("NET-001", `{"core_endpoints": [{"host": "a", "port": 1, "purpose": "p", "x": 1}]}`)
	f.Add("BL-001", `{"zones": {"a.b": {"kind": "ip", "severity": "hgh"}}}`)
	reg := checks.Default()
	byID := map[string]*rules.Rule{}
	for _, r := range rs {
		byID[r.ID] = r
	}
	f.Fuzz(func(t *testing.T, id, doc string) {
		var ov map[string]any
		if json.Unmarshal([]byte(doc), &ov) != nil || byID[id] == nil {
			return
		}
		_, err := NewResolver([]*rules.Rule{byID[id]}, reg, "exchange-online", map[string]map[string]any{id: ov})
		var pe *ParamError
		if err != nil && errors.As(err, &pe) && (pe.Rule != id || !pe.Override) {
			t.Errorf("%s %s: %v names %s", id, doc, err, pe.Rule)
		}
	})
}
