package engine

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/preflight-scan/preflight/checks"
	"github.com/preflight-scan/preflight/internal/schemas"
	"github.com/preflight-scan/preflight/rules"
)

// ParamError is a rule parameter that does not fit its check's parameter
// schema: in a rule's profile, or in an override (the configuration
// file's rules section, --plan, a test case's params).
type ParamError struct {
	// Rule is the rule ID.
	Rule string
	// Profile is the profile whose parameters are wrong ("" for an
	// override).
	Profile string
	// Override is set when the value comes from an override.
	Override bool
	// Key is the parameter, with the path inside it ("zones", "systems[2]");
	// "" when the problem is with the parameter set as a whole.
	Key string
	// Problem says what is wrong ("unknown parameter \"min_labl\"").
	Problem string
}

func (e *ParamError) Error() string {
	if e.Override {
		if e.Key == "" {
			return fmt.Sprintf("config: override %s: %s", e.Rule, e.Problem)
		}
		return fmt.Sprintf("config: override %s.%s: %s", e.Rule, e.Key, e.Problem)
	}
	if e.Key == "" {
		return fmt.Sprintf("rules: %s profile %s: %s", e.Rule, e.Profile, e.Problem)
	}
	return fmt.Sprintf("rules: %s profile %s: parameter %s: %s", e.Rule, e.Profile, e.Key, e.Problem)
}

// Resolved is one rule's parameters under one profile.
type Resolved struct {
	// Profile is the rule's profile record; nil when the rule does not
	// apply under the profile.
	Profile *rules.Profile
	// Raw is the profile's parameters with the overrides applied, as the
	// report shows them (a check's threshold).
	Raw map[string]any
	// Value is the check's typed parameters, decoded from Raw.
	Value any
}

// Resolver is the one place rule parameters are resolved: a rule's
// profile parameters, with the overrides applied, validated against the
// parameter schema of the rule's check and decoded strictly into its
// typed parameters. The engine binds checks with it and the command line
// reads the collectors' tables (blocklist zones, core endpoints) from it.
type Resolver struct {
	reg       checks.Registry
	byID      map[string]*rules.Rule
	profile   string
	overrides map[string]map[string]any
	schemas   map[string]*jsonschema.Schema
	resolved  map[string]Resolved
}

// NewResolver validates every profile's parameters of every rule against
// its check's parameter schema, and the overrides (rule ID, then
// parameter) against the rule's parameters under profile, and resolves
// every rule under profile. The overrides are not modified. Errors are
// *ParamError for a bad parameter or override.
func NewResolver(rs []*rules.Rule, reg checks.Registry, profile string, overrides map[string]map[string]any) (*Resolver, error) {
	if !rules.ValidProfile(profile) {
		return nil, fmt.Errorf("unknown profile %q (want one of %s)", profile, strings.Join(rules.Profiles(), ", "))
	}
	res := &Resolver{reg: reg, byID: map[string]*rules.Rule{}, profile: profile, overrides: overrides,
		schemas: map[string]*jsonschema.Schema{}, resolved: map[string]Resolved{}}
	for _, r := range rs {
		res.byID[r.ID] = r
		spec := reg[r.Check]
		if !spec.Valid() {
			return nil, fmt.Errorf("rule %s: no check named %q", r.ID, r.Check)
		}
		for _, p := range rules.Profiles() {
			prof := r.Profiles[p]
			if prof == nil {
				continue
			}
			if _, err := res.decode(r, prof.Params); err != nil {
				return nil, profileError(err, r.ID, p)
			}
		}
	}
	ids := make([]string, 0, len(overrides))
	for id := range overrides {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		if res.byID[id] == nil {
			return nil, fmt.Errorf("override for unknown rule %s", id)
		}
	}
	for _, r := range rs {
		rv, err := res.resolve(r, profile)
		if err != nil {
			return nil, err
		}
		res.resolved[r.ID] = rv
	}
	return res, nil
}

// Profile returns the profile the resolver resolves rules under.
func (res *Resolver) Profile() string { return res.profile }

// Resolve returns a rule's parameters under the resolver's profile.
func (res *Resolver) Resolve(id string) (Resolved, error) {
	rv, ok := res.resolved[id]
	if !ok {
		return Resolved{}, fmt.Errorf("no rule %s", id)
	}
	return rv, nil
}

// ForCollector returns a rule's parameters for a collector (its zone
// table, its endpoint list): those of the resolver's profile, or of the
// default profile when the rule does not apply under it, overrides
// applied.
func (res *Resolver) ForCollector(id string) (Resolved, error) {
	rv, err := res.Resolve(id)
	if err != nil || rv.Profile != nil {
		return rv, err
	}
	rv, err = res.resolve(res.byID[id], rules.DefaultProfile)
	if err != nil {
		return Resolved{}, err
	}
	if rv.Profile == nil {
		return Resolved{}, fmt.Errorf("rule %s has no %s parameters", id, rules.DefaultProfile)
	}
	return rv, nil
}

// CollectorParams returns a rule's typed parameters for a collector (see
// ForCollector); P is the parameter type of the rule's check.
func CollectorParams[P any](res *Resolver, id string) (P, error) {
	var zero P
	rv, err := res.ForCollector(id)
	if err != nil {
		return zero, err
	}
	p, ok := rv.Value.(P)
	if !ok {
		return zero, fmt.Errorf("rule %s: parameters are %T, not %T", id, rv.Value, zero)
	}
	return p, nil
}

// resolve merges the overrides of r into its profile's parameters and
// decodes them.
func (res *Resolver) resolve(r *rules.Rule, profile string) (Resolved, error) {
	prof := r.Profiles[profile]
	if prof == nil {
		return Resolved{}, nil // not applicable: the override is unused
	}
	raw := make(map[string]any, len(prof.Params))
	for k, v := range prof.Params {
		raw[k] = v
	}
	ov := res.overrides[r.ID]
	keys := make([]string, 0, len(ov))
	for k := range ov {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, ok := raw[k]; !ok {
			have := make([]string, 0, len(raw))
			for h := range raw {
				have = append(have, h)
			}
			sort.Strings(have)
			return Resolved{}, &ParamError{Rule: r.ID, Override: true, Key: k,
				Problem: fmt.Sprintf("rule %s has no parameter %q under profile %s (it has: %s)", r.ID, k, profile, strings.Join(have, ", "))}
		}
		raw[k] = ov[k]
	}
	v, err := res.decode(r, raw)
	if err != nil {
		var pe *ParamError
		if errors.As(err, &pe) {
			pe.Rule, pe.Override = r.ID, true
			return Resolved{}, pe
		}
		return Resolved{}, fmt.Errorf("rule %s: %w", r.ID, err)
	}
	return Resolved{Profile: prof, Raw: raw, Value: v}, nil
}

// profileError names the rule and profile in a decoding error.
func profileError(err error, id, profile string) error {
	var pe *ParamError
	if errors.As(err, &pe) {
		pe.Rule, pe.Profile = id, profile
		return pe
	}
	return fmt.Errorf("rules: %s profile %s: %w", id, profile, err)
}

// decode validates raw against the parameter schema of r's check and
// decodes it strictly (unknown keys rejected) into the check's parameter
// type. A problem with a value is a *ParamError without rule or profile.
func (res *Resolver) decode(r *rules.Rule, raw map[string]any) (any, error) {
	spec := res.reg[r.Check]
	sch, err := res.schema(r.Check, spec)
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(raw)
	if err != nil {
		return nil, &ParamError{Problem: fmt.Sprintf("not JSON: %v", err)}
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return nil, &ParamError{Problem: fmt.Sprintf("not JSON: %v", err)}
	}
	if err := sch.Validate(doc); err != nil {
		var ve *jsonschema.ValidationError
		if errors.As(err, &ve) {
			return nil, schemaProblem(ve)
		}
		return nil, &ParamError{Problem: err.Error()}
	}
	v, err := decodeStrict(b, spec.ParamsType())
	if err != nil {
		return nil, &ParamError{Problem: err.Error()}
	}
	return v, nil
}

// schema returns the compiled parameter schema of a check.
func (res *Resolver) schema(name string, spec checks.Spec) (*jsonschema.Schema, error) {
	if sch := res.schemas[name]; sch != nil {
		return sch, nil
	}
	b, err := json.Marshal(spec.Schema())
	if err != nil {
		return nil, fmt.Errorf("check %s: parameter schema: %w", name, err)
	}
	sch, err := schemas.Compile("params/"+name+".json", b)
	if err != nil {
		return nil, fmt.Errorf("check %s: parameter schema: %w", name, err)
	}
	res.schemas[name] = sch
	return sch, nil
}

// schemaProblem turns the first (by location) leaf of a validation error
// into a ParamError naming the parameter.
func schemaProblem(ve *jsonschema.ValidationError) *ParamError {
	var leaves []*ParamError
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		leaves = append(leaves, leafProblem(e))
	}
	walk(ve)
	sort.SliceStable(leaves, func(i, j int) bool { return leaves[i].Key < leaves[j].Key })
	if len(leaves) == 0 {
		return &ParamError{Problem: ve.Error()}
	}
	return leaves[0]
}

func leafProblem(e *jsonschema.ValidationError) *ParamError {
	key := keyPath(e.InstanceLocation)
	switch k := e.ErrorKind.(type) {
	case *kind.AdditionalProperties:
		names := append([]string{}, k.Properties...)
		sort.Strings(names)
		if key == "" {
			return &ParamError{Problem: fmt.Sprintf("unknown parameter %q", names[0])}
		}
		return &ParamError{Key: key, Problem: fmt.Sprintf("unknown key %q", names[0])}
	case *kind.Required:
		if key == "" {
			return &ParamError{Problem: fmt.Sprintf("missing parameter %q", k.Missing[0])}
		}
		return &ParamError{Key: key, Problem: fmt.Sprintf("missing key %q", k.Missing[0])}
	case *kind.Enum:
		want := make([]string, 0, len(k.Want))
		for _, w := range k.Want {
			want = append(want, fmt.Sprint(w))
		}
		if strings.Join(want, ",") == strings.Join(checks.Severities(), ",") {
			return &ParamError{Key: key, Problem: fmt.Sprintf("%s is not a severity (%s)", display(k.Got), strings.Join(want, ", "))}
		}
		return &ParamError{Key: key, Problem: fmt.Sprintf("%s is not one of %s", display(k.Got), strings.Join(want, ", "))}
	case *kind.Type:
		return &ParamError{Key: key, Problem: fmt.Sprintf("want %s, got %s", strings.Join(k.Want, " or "), k.Got)}
	case *kind.Minimum:
		return &ParamError{Key: key, Problem: fmt.Sprintf("%s is below the minimum %s", ratString(k.Got), ratString(k.Want))}
	}
	return &ParamError{Key: key, Problem: e.ErrorKind.LocalizedString(message.NewPrinter(language.English))}
}

// keyPath renders an instance location: zones["x"].codes, systems[2].
func keyPath(loc []string) string {
	var b strings.Builder
	for i, s := range loc {
		switch {
		case i == 0:
			b.WriteString(s)
		case isIndex(s):
			b.WriteString("[" + s + "]")
		default:
			b.WriteString("." + s)
		}
	}
	return b.String()
}

func isIndex(s string) bool {
	_, err := strconv.Atoi(s)
	return err == nil
}

func display(v any) string {
	if s, ok := v.(string); ok {
		return strconv.Quote(s)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func ratString(r *big.Rat) string {
	if r.IsInt() {
		return r.Num().String()
	}
	f, _ := r.Float64()
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// decodeStrict decodes the JSON value b into a new value of type t:
// unknown object keys and trailing data are errors.
func decodeStrict(b []byte, t reflect.Type) (any, error) {
	p := reflect.New(t)
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(p.Interface()); err != nil {
		return nil, strictError(err)
	}
	if dec.More() {
		return nil, errors.New("data after the JSON value")
	}
	return p.Elem().Interface(), nil
}

// strictError rewords encoding/json's decoding errors.
func strictError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		if te.Field != "" {
			return fmt.Errorf("key %s: want %s, got %s", te.Field, te.Type, te.Value)
		}
		return fmt.Errorf("want %s, got %s", te.Type, te.Value)
	}
	if msg, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return fmt.Errorf("unknown key %s", msg)
	}
	return err
}
