// Package rules holds the rule catalogue as data: one JSON record per rule
// under this directory, embedded in the binary and validated against
// rule.schema.json when loaded. Each record names the Go check (package
// checks) that evaluates it and gives one parameter set per profile.
package rules

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/preflight-scan/preflight/internal/schemas"
	"github.com/preflight-scan/preflight/report/model"
)

//go:embed *.json
var files embed.FS

// Profiles are the rule profiles, the default first.
func Profiles() []string {
	return []string{"exchange-online", "office365-2011", "bpos-2010"}
}

// DefaultProfile is used when --profile is not given.
const DefaultProfile = "exchange-online"

// ValidProfile reports whether p names a profile.
func ValidProfile(p string) bool {
	for _, x := range Profiles() {
		if x == p {
			return true
		}
	}
	return false
}

// Reference says where a rule's figure comes from.
type Reference struct {
	Source string `json:"source"`
	Text   string `json:"text"`
	URL    string `json:"url,omitempty"`
}

// Profile is a rule's parameter set under one profile.
type Profile struct {
	Params map[string]any `json:"params"`
	Source string         `json:"source"`
}

// CaseEnv is what a test case's check knows besides the records (see
// checks.Env); zero values take the engine's defaults.
type CaseEnv struct {
	// Now is the scan time (RFC 3339).
	Now string `json:"now,omitempty"`
	// CutoverDate is the planned cutover day (2006-01-02).
	CutoverDate string `json:"cutover_date,omitempty"`
	// Phase is pre-cutover or post-cutover.
	Phase string `json:"phase,omitempty"`
	// BandwidthMbps is the migration bandwidth.
	BandwidthMbps float64 `json:"bandwidth_mbps,omitempty"`
	// Tenant is the tenant name (the initial domain's prefix).
	Tenant string `json:"tenant,omitempty"`
	// MigratingDomains are the domains of a tenant-to-tenant move.
	MigratingDomains []string `json:"migrating_domains,omitempty"`
}

// TestCase is a must-flag or must-not-flag case carried with the rule.
// Its records are decoded strictly when the case runs: a key a snapshot
// record does not have is an error.
type TestCase struct {
	Name    string  `json:"name"`
	Profile string  `json:"profile,omitempty"`
	Env     CaseEnv `json:"env,omitempty"`
	// Params override the profile's parameters, as the configuration
	// file's rules section does.
	Params  map[string]any    `json:"params,omitempty"`
	Records []json.RawMessage `json:"records"`
	Expect  struct {
		Findings        int            `json:"findings"`
		Status          model.Status   `json:"status,omitempty"`
		Severity        model.Severity `json:"severity,omitempty"`
		MessageContains []string       `json:"message_contains,omitempty"`
	} `json:"expect"`
}

// Rule is one rule record.
type Rule struct {
	ID       string         `json:"id"`
	Title    string         `json:"title"`
	Category string         `json:"category"`
	Severity model.Severity `json:"severity"`
	Check    string         `json:"check"`
	Requires []string       `json:"requires"`
	// Attributes are the directory attributes the rule reads (LDAP
	// display-name spelling). When none of the objects the rule applies
	// to carries any of them, the export did not hold them: the rule is
	// "error", not judged, and names them.
	Attributes []string `json:"attributes,omitempty"`
	// AttributesSparse is set when the attributes are normally absent
	// from most objects (forwarding, SIP addresses): their absence from
	// every object is then no sign of a short export.
	AttributesSparse bool        `json:"attributes_sparse,omitempty"`
	Description      string      `json:"description"`
	Remediation      string      `json:"remediation"`
	References       []Reference `json:"references"`
	// Profiles maps a profile name to its parameters; nil means the rule
	// does not apply under that profile.
	Profiles map[string]*Profile `json:"profiles"`
	// Fixtures are named lists of snapshot records that test cases share:
	// a case's record {"fixture": "name"} stands for the fixture's records.
	// Load expands them and leaves Fixtures nil.
	Fixtures map[string][]json.RawMessage `json:"fixtures,omitempty"`
	Tests    []TestCase                   `json:"tests"`
	// File is the record's file name, for error messages.
	File string `json:"-"`
}

// ReferenceText joins the rule's references for reports.
func (r *Rule) ReferenceText() string {
	var parts []string
	for _, ref := range r.References {
		parts = append(parts, strings.TrimSpace(ref.Source+" "+ref.Text))
	}
	return strings.Join(parts, "; ")
}

// Schema returns the JSON Schema of rule records.
func Schema() []byte {
	b, _ := files.ReadFile("rule.schema.json")
	return b
}

// Load reads, validates and returns every embedded rule, sorted by ID.
func Load() ([]*Rule, error) {
	return LoadFS(files)
}

// LoadFS reads rule records (*.json except rule.schema.json) from fsys.
func LoadFS(fsys fs.FS) ([]*Rule, error) {
	sch, err := compileSchema()
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return nil, fmt.Errorf("rules: list: %w", err)
	}
	var out []*Rule
	seen := map[string]string{}
	for _, name := range names {
		if name == "rule.schema.json" {
			continue
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("rules: read %s: %w", name, err)
		}
		rs, err := parse(sch, name, b)
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			if prev, dup := seen[r.ID]; dup {
				return nil, fmt.Errorf("rules: %s: rule %s already defined in %s", name, r.ID, prev)
			}
			seen[r.ID] = name
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// parse accepts a file holding one rule object or an array of them.
func parse(sch *jsonschema.Schema, name string, b []byte) ([]*Rule, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("rules: %s: %w", name, err)
	}
	var docs []any
	if arr, ok := doc.([]any); ok {
		docs = arr
	} else {
		docs = []any{doc}
	}
	var raws []json.RawMessage
	if _, ok := doc.([]any); ok {
		if err := json.Unmarshal(b, &raws); err != nil {
			return nil, fmt.Errorf("rules: %s: %w", name, err)
		}
	} else {
		raws = []json.RawMessage{b}
	}
	var out []*Rule
	for i, d := range docs {
		if err := sch.Validate(d); err != nil {
			return nil, fmt.Errorf("rules: %s: record %d: %w", name, i+1, oneLine{err})
		}
		var r Rule
		dec := json.NewDecoder(bytes.NewReader(raws[i]))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&r); err != nil {
			return nil, fmt.Errorf("rules: %s: record %d: %w", name, i+1, err)
		}
		r.File = path.Base(name)
		if err := r.expandFixtures(); err != nil {
			return nil, fmt.Errorf("rules: %s: %w", name, err)
		}
		out = append(out, &r)
	}
	return out, nil
}

func compileSchema() (*jsonschema.Schema, error) {
	sch, err := schemas.Compile("rule.schema.json", Schema())
	if err != nil {
		return nil, fmt.Errorf("rules: schema: %w", err)
	}
	return sch, nil
}

// fixtureRef is a test case record that stands for a fixture.
type fixtureRef struct {
	Fixture string `json:"fixture"`
}

// expandFixtures replaces the fixture references of the test cases by the
// fixtures' records. A reference to an undefined fixture, or a fixture no
// case uses, is an error.
func (r *Rule) expandFixtures() error {
	used := map[string]bool{}
	for i := range r.Tests {
		tc := &r.Tests[i]
		var recs []json.RawMessage
		for j, raw := range tc.Records {
			var ref fixtureRef
			if !bytes.Contains(raw, []byte(`"fixture"`)) || json.Unmarshal(raw, &ref) != nil || ref.Fixture == "" {
				recs = append(recs, raw)
				continue
			}
			fx, ok := r.Fixtures[ref.Fixture]
			if !ok {
				return fmt.Errorf("%s case %q: record %d: no fixture %q", r.ID, tc.Name, j+1, ref.Fixture)
			}
			used[ref.Fixture] = true
			recs = append(recs, fx...)
		}
		tc.Records = recs
	}
	names := make([]string, 0, len(r.Fixtures))
	for n := range r.Fixtures {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if !used[n] {
			return fmt.Errorf("%s: fixture %q is used by no test case", r.ID, n)
		}
	}
	r.Fixtures = nil
	return nil
}

// oneLine is a schema validation error shown by its first leaf on one
// line: where in the record, and what is wrong.
type oneLine struct{ err error }

func (e oneLine) Unwrap() error { return e.err }

func (e oneLine) Error() string {
	var ve *jsonschema.ValidationError
	if !errors.As(e.err, &ve) {
		return e.err.Error()
	}
	for len(ve.Causes) > 0 {
		ve = ve.Causes[0]
	}
	return fmt.Sprintf("at /%s: %s", strings.Join(ve.InstanceLocation, "/"), ve.ErrorKind.LocalizedString(message.NewPrinter(language.English)))
}
