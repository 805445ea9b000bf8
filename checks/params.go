package checks

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/preflight-scan/preflight/report/model"
)

// Spec is one check of the registry: how to build it and the Go type of
// its parameters. The JSON Schema of the parameters is generated from that
// type (Schema), so the struct is the one source of truth for which keys a
// rule's profile may set, their types, which are required and which values
// are allowed.
//
// Schema generation follows the json tags and these conventions:
//
//   - a field without ",omitempty" is required; with it, optional;
//   - a string field whose JSON name is "severity" or ends in "_severity"
//     takes one of the report's severities;
//   - the tag `param:"min=N"` sets a minimum on a number, and
//     `param:"enum=a|b"` lists the values a string may take;
//   - structs admit no other keys (additionalProperties false), maps of
//     string to T are objects whose values are T.
type Spec struct {
	params reflect.Type
	build  func(p any, env Env) (Check, error)
}

// Typed returns the Spec of a check whose parameters are a P (a struct
// with json tags). The engine decodes and validates a rule's parameters
// into a P before calling build.
func Typed[P any](build func(p P, env Env) (Check, error)) Spec {
	return Spec{
		params: reflect.TypeFor[P](),
		build: func(p any, env Env) (Check, error) {
			v, ok := p.(P)
			if !ok {
				return nil, fmt.Errorf("params: got %T, want %s", p, reflect.TypeFor[P]())
			}
			return build(v, env)
		},
	}
}

// Valid reports whether s is a registered check (the zero Spec is not).
func (s Spec) Valid() bool { return s.build != nil }

// ParamsType returns the Go type of the check's parameters.
func (s Spec) ParamsType() reflect.Type { return s.params }

// New builds the check from its decoded parameters, a value of the type
// ParamsType names.
func (s Spec) New(p any, env Env) (Check, error) { return s.build(p, env) }

// wrap returns s with its build function replaced by f(build).
func (s Spec) wrap(f func(build func(p any, env Env) (Check, error)) func(p any, env Env) (Check, error)) Spec {
	s.build = f(s.build)
	return s
}

// Schema returns the JSON Schema (draft 2020-12) of the check's
// parameters, as a JSON value.
func (s Spec) Schema() map[string]any {
	out := schemaOf(s.params, "")
	out["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	return out
}

// severityEnum is the severities in the order error messages list them,
// least severe first.
func severityEnum() []any {
	sev := model.Severities()
	out := make([]any, 0, len(sev))
	for i := len(sev) - 1; i >= 0; i-- {
		out = append(out, string(sev[i]))
	}
	return out
}

// IsSeverityParam reports whether a parameter (its JSON name) holds a
// severity.
func IsSeverityParam(name string) bool {
	return name == "severity" || strings.HasSuffix(name, "_severity")
}

// schemaOf returns the schema of values of type t; name is the JSON name
// of the field holding it ("" for the top level, an array item or a map
// value) and tag its `param` tag.
func schemaOf(t reflect.Type, name string, tag ...string) map[string]any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	s := map[string]any{}
	switch t.Kind() {
	case reflect.String:
		s["type"] = "string"
		if IsSeverityParam(name) {
			s["enum"] = severityEnum()
		}
	case reflect.Bool:
		s["type"] = "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		s["type"] = "integer"
		if t.Kind() >= reflect.Uint {
			s["minimum"] = 0
		}
	case reflect.Float32, reflect.Float64:
		s["type"] = "number"
	case reflect.Slice, reflect.Array:
		s["type"] = "array"
		s["items"] = schemaOf(t.Elem(), "")
	case reflect.Map:
		s["type"] = "object"
		s["additionalProperties"] = schemaOf(t.Elem(), "")
	case reflect.Struct:
		structSchema(t, s)
	case reflect.Interface:
		// any JSON value
	default:
		panic(fmt.Sprintf("checks: parameter type %s has no JSON Schema", t))
	}
	for _, tg := range tag {
		applyTag(s, tg)
	}
	return s
}

// structSchema fills s with the object schema of struct type t.
func structSchema(t reflect.Type, s map[string]any) {
	props := map[string]any{}
	required := []string{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if f.Anonymous && f.Type.Kind() == reflect.Struct && f.Tag.Get("json") == "" {
				walk(f.Type)
				continue
			}
			if !f.IsExported() {
				continue
			}
			name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			props[name] = schemaOf(f.Type, name, f.Tag.Get("param"))
			if !strings.Contains(","+opts+",", ",omitempty,") {
				required = append(required, name)
			}
		}
	}
	walk(t)
	sort.Strings(required)
	s["type"] = "object"
	s["properties"] = props
	s["additionalProperties"] = false
	if len(required) > 0 {
		s["required"] = required
	}
}

// applyTag applies a `param` tag ("min=1", "enum=a|b", comma-separated).
func applyTag(s map[string]any, tag string) {
	if tag == "" {
		return
	}
	for _, part := range strings.Split(tag, ",") {
		k, v, _ := strings.Cut(part, "=")
		switch k {
		case "min":
			n, err := strconv.ParseFloat(v, 64)
			if err != nil {
				panic(fmt.Sprintf("checks: param tag %q: %v", tag, err))
			}
			s["minimum"] = n
		case "enum":
			var e []any
			for _, x := range strings.Split(v, "|") {
				e = append(e, x)
			}
			s["enum"] = e
		default:
			panic(fmt.Sprintf("checks: param tag %q: unknown key %q", tag, k))
		}
	}
}

// Severities returns the severity enumeration of parameter schemas, least
// severe first, for error messages.
func Severities() []string {
	var out []string
	for _, v := range severityEnum() {
		out = append(out, v.(string))
	}
	return out
}
