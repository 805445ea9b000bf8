// Package config reads preflight's YAML configuration file. The file holds
// a value for any flag of preflight scan (keys are the flag names), the
// organisation's name, rule parameter overrides, suppressions and the
// history settings. It is validated against an embedded JSON Schema, and
// every error names the key and the line it is on. Secrets are accepted
// only by reference (an environment variable's name or a file).
package config

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/preflight-scan/preflight/internal/clip"
	"github.com/preflight-scan/preflight/internal/limits"
	"github.com/preflight-scan/preflight/internal/schemas"
	"github.com/preflight-scan/preflight/snapshot"
)

//go:embed schema.json
var baseSchema []byte

// MaxSize is the largest configuration file read.
const MaxSize = limits.ConfigBytes

// Kind is the type of a flag's value in the file.
type Kind int

// Flag kinds.
const (
	// String is a single string (also durations and other text values).
	String Kind = iota
	// Bool is true or false.
	Bool
	// Number is an integer or decimal number.
	Number
	// List is a repeatable flag: a string or a list of strings.
	List
)

// Flags names the flags the file may set and their kinds.
type Flags map[string]Kind

// sections are top-level keys that are not flags.
var sections = []string{"organisation", "rules", "suppressions", "history"}

// notFlags are flags that cannot be set from the file: the file itself,
// and history, which the history section sets.
var notFlags = map[string]bool{"config": true, "history": true}

// Config is a parsed configuration file.
type Config struct {
	// File is the path the configuration was read from.
	File string
	// Flags holds the values of the flag keys, as strings to pass to
	// flag.Set: one element for a single value, one per item for a list.
	Flags map[string][]string
	// Organisation is the customer's name.
	Organisation string
	// Rules holds parameter overrides: rule ID, then parameter name.
	Rules map[string]map[string]any
	// Suppressions are the accepted findings, in file order.
	Suppressions []Suppression
	// History is the history section.
	History History

	lines map[string]int
}

// History is the history section.
type History struct {
	// Dir is the history directory (as --history).
	Dir string
	// Keep is how many reports to keep; 0 when not set.
	Keep int
}

// Suppression accepts the findings of one rule on one object.
type Suppression struct {
	Rule   string
	Object string
	Reason string
	// Expires is a date, YYYY-MM-DD, or "" for no expiry. The suppression
	// applies through that day.
	Expires string
	// Line is the suppression's line in the file.
	Line int
}

// Problem is one error in the file.
type Problem struct {
	Line int
	// Key is the dotted path of the key, e.g. suppressions[0].expires.
	Key string
	Msg string
}

// Error lists every problem found in a configuration file. It is a bad
// input error (errors.Is(err, snapshot.ErrBadInput)).
type Error struct {
	File     string
	Problems []Problem
}

// shownProblems is how many problems an Error lists; the rest are
// counted. A file that is not a configuration at all (an LDIF export
// given to --config) has thousands.
const shownProblems = 5

// Error formats the problems on one line, "; " between them, as
// file:line: key "k": message; past shownProblems, they are counted.
func (e *Error) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i == shownProblems {
			fmt.Fprintf(&b, "; and %d more problems", len(e.Problems)-shownProblems)
			break
		}
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(e.File)
		if p.Line > 0 {
			fmt.Fprintf(&b, ":%d", p.Line)
		}
		b.WriteString(": ")
		if p.Key != "" {
			fmt.Fprintf(&b, "key %s: ", clip.Quote(p.Key))
		}
		b.WriteString(p.Msg)
	}
	return b.String()
}

// Unwrap makes the error a bad input error.
func (e *Error) Unwrap() error { return snapshot.ErrBadInput }

// Load reads and validates the configuration file at path.
func Load(path string, flags Flags) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &snapshot.InputError{File: path, Msg: err.Error()}
	}
	defer func() { _ = f.Close() }() // read-only: nothing to flush
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, &snapshot.InputError{File: path, Msg: err.Error()}
	}
	if len(data) > MaxSize {
		return nil, &snapshot.InputError{File: path, Msg: (&limits.Error{What: "configuration file", Limit: MaxSize, Name: "ConfigBytes"}).Error()}
	}
	return Parse(path, data, flags)
}

// Schema returns the configuration's JSON Schema with a property for
// every flag in flags.
func Schema(flags Flags) ([]byte, error) {
	var doc map[string]any
	if err := json.Unmarshal(baseSchema, &doc); err != nil {
		return nil, fmt.Errorf("config: schema: %w", err)
	}
	props := doc["properties"].(map[string]any)
	for name, k := range flags {
		if notFlags[name] {
			continue
		}
		if _, ok := props[name]; ok {
			continue
		}
		var p map[string]any
		switch k {
		case Bool:
			p = map[string]any{"type": "boolean"}
		case Number:
			p = map[string]any{"type": "number"}
		case List:
			p = map[string]any{"anyOf": []any{
				map[string]any{"type": "string"},
				map[string]any{"type": "array", "items": map[string]any{"type": "string"}},
			}}
		default:
			p = map[string]any{"type": "string"}
		}
		p["description"] = "as --" + name
		props[name] = p
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("config: schema: %w", err)
	}
	return b, nil
}

// Parse reads and validates a configuration document; name is used in
// errors.
func Parse(name string, data []byte, flags Flags) (*Config, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, &Error{File: name, Problems: []Problem{{Line: yamlErrorLine(err), Msg: "not valid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}}}
	}
	c := &converter{lines: map[string]int{}}
	var inst any = map[string]any{}
	if len(doc.Content) > 0 {
		inst = c.value(doc.Content[0], "", 0)
	}
	if len(c.problems) > 0 {
		return nil, &Error{File: name, Problems: c.problems}
	}
	top, ok := inst.(map[string]any)
	if !ok {
		return nil, &Error{File: name, Problems: []Problem{{Line: doc.Content[0].Line, Msg: "the configuration must be a mapping of keys to values"}}}
	}

	// Secrets by value are refused before anything else, with advice.
	var probs []Problem
	for k := range top {
		if isSecretKey(k) {
			probs = append(probs, Problem{Line: c.lines["/"+esc(k)], Key: k,
				Msg: fmt.Sprintf("secrets must not be written in the configuration file; give %s-env (the name of an environment variable holding it) or %s-file (a file holding it)", k, k)})
		}
	}
	if len(probs) > 0 {
		sortProblems(probs)
		return nil, &Error{File: name, Problems: probs}
	}

	sch, err := compile(flags)
	if err != nil {
		return nil, err
	}
	if err := sch.Validate(inst); err != nil {
		var ve *jsonschema.ValidationError
		if !errors.As(err, &ve) {
			return nil, &Error{File: name, Problems: []Problem{{Msg: err.Error()}}}
		}
		probs := c.explain(ve)
		sortProblems(probs)
		return nil, &Error{File: name, Problems: probs}
	}
	return c.build(name, top), nil
}

func sortProblems(ps []Problem) {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].Line != ps[j].Line {
			return ps[i].Line < ps[j].Line
		}
		return ps[i].Key < ps[j].Key
	})
}

func isSecretKey(k string) bool {
	l := strings.ToLower(k)
	if strings.HasSuffix(l, "-env") || strings.HasSuffix(l, "-file") {
		return false
	}
	for _, w := range []string{"password", "secret", "token", "passwd"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

func compile(flags Flags) (*jsonschema.Schema, error) {
	b, err := Schema(flags)
	if err != nil {
		return nil, err
	}
	sch, err := schemas.Compile("config.schema.json", b)
	if err != nil {
		return nil, fmt.Errorf("config: schema: %w", err)
	}
	return sch, nil
}

// converter turns a YAML node tree into a JSON-like value for the schema
// and records the line of every key and item by JSON pointer.
type converter struct {
	lines    map[string]int
	problems []Problem
}

const maxDepth = 32

func (c *converter) value(n *yaml.Node, ptr string, depth int) any {
	if depth > maxDepth {
		c.problems = append(c.problems, Problem{Line: n.Line, Key: keyOf(ptr), Msg: "nested too deeply"})
		return nil
	}
	if n.Anchor != "" || n.Kind == yaml.AliasNode {
		c.problems = append(c.problems, Problem{Line: n.Line, Key: keyOf(ptr), Msg: "YAML anchors and aliases are not supported"})
		return nil
	}
	switch n.Kind {
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode || (k.Tag != "!!str" && k.Tag != "!!int" && k.Tag != "!!float" && k.Tag != "!!bool") {
				c.problems = append(c.problems, Problem{Line: k.Line, Key: keyOf(ptr), Msg: "keys must be plain names"})
				continue
			}
			p := ptr + "/" + esc(k.Value)
			if _, dup := m[k.Value]; dup {
				c.problems = append(c.problems, Problem{Line: k.Line, Key: keyOf(p), Msg: fmt.Sprintf("given twice (first on line %d)", c.lines[p])})
				continue
			}
			c.lines[p] = k.Line
			m[k.Value] = c.value(v, p, depth+1)
		}
		return m
	case yaml.SequenceNode:
		l := make([]any, 0, len(n.Content))
		for i, item := range n.Content {
			p := ptr + "/" + strconv.Itoa(i)
			c.lines[p] = item.Line
			l = append(l, c.value(item, p, depth+1))
		}
		return l
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return nil
		case "!!bool":
			var b bool
			if err := n.Decode(&b); err != nil {
				return n.Value
			}
			return b
		case "!!int":
			var i int64
			if err := n.Decode(&i); err != nil {
				return json.Number(n.Value)
			}
			return json.Number(strconv.FormatInt(i, 10))
		case "!!float":
			var f float64
			if err := n.Decode(&f); err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
				return n.Value
			}
			return json.Number(strconv.FormatFloat(f, 'g', -1, 64))
		}
		return n.Value
	}
	c.problems = append(c.problems, Problem{Line: n.Line, Key: keyOf(ptr), Msg: "unsupported YAML node"})
	return nil
}

func esc(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// keyOf turns a JSON pointer into a dotted key: /suppressions/0/expires
// becomes suppressions[0].expires.
func keyOf(ptr string) string {
	if ptr == "" {
		return ""
	}
	var b strings.Builder
	for _, tok := range strings.Split(ptr[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		if _, err := strconv.Atoi(tok); err == nil && b.Len() > 0 {
			b.WriteString("[" + tok + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteString(".")
		}
		b.WriteString(tok)
	}
	return b.String()
}

func pointer(loc []string) string {
	var b strings.Builder
	for _, t := range loc {
		b.WriteString("/" + esc(t))
	}
	return b.String()
}

// line finds the line of a pointer, or of its nearest ancestor.
func (c *converter) line(ptr string) int {
	for {
		if l, ok := c.lines[ptr]; ok {
			return l
		}
		i := strings.LastIndex(ptr, "/")
		if i < 0 {
			return 1
		}
		ptr = ptr[:i]
	}
}

// explain turns a schema validation error into problems at the leaves of
// its tree, each with the key and line it is about.
func (c *converter) explain(ve *jsonschema.ValidationError) []Problem {
	pr := message.NewPrinter(language.English)
	var out []Problem
	seen := map[string]bool{}
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		switch k := e.ErrorKind.(type) {
		case *kindPropertyNames:
			kp := pointer(e.InstanceLocation) + "/" + esc(k.Property)
			msg := "key name not allowed"
			if len(e.Causes) > 0 {
				msg += ": " + e.Causes[0].ErrorKind.LocalizedString(pr)
			}
			p := Problem{Line: c.line(kp), Key: keyOf(kp), Msg: msg}
			if !seen[p.Key] {
				seen[p.Key] = true
				out = append(out, p)
			}
			return
		case *kindAnyOf, *kindOneOf:
			// Explain the alternative that got furthest into the value.
			if len(e.Causes) > 0 {
				best := e.Causes[0]
				for _, x := range e.Causes[1:] {
					if leafDepth(x) > leafDepth(best) {
						best = x
					}
				}
				walk(best)
				return
			}
		}
		if len(e.Causes) > 0 {
			for _, x := range e.Causes {
				walk(x)
			}
			return
		}
		ptr := pointer(e.InstanceLocation)
		var ps []Problem
		switch k := e.ErrorKind.(type) {
		case *kindAdditional:
			for _, p := range k.Properties {
				kp := ptr + "/" + esc(p)
				msg := "unknown key"
				if ptr == "" {
					msg = "unknown key: not a flag of preflight scan nor one of " + strings.Join(sections, ", ")
				}
				ps = append(ps, Problem{Line: c.line(kp), Key: keyOf(kp), Msg: msg})
			}
		case *kindFormat:
			msg := e.ErrorKind.LocalizedString(pr)
			if k.Want == "date" {
				msg = fmt.Sprintf("%v is not a date: want YYYY-MM-DD", k.Got)
			}
			ps = append(ps, Problem{Line: c.line(ptr), Key: keyOf(ptr), Msg: msg})
		case *kindRequired:
			for _, m := range k.Missing {
				ps = append(ps, Problem{Line: c.line(ptr), Key: keyOf(ptr + "/" + esc(m)), Msg: "missing"})
			}
		default:
			ps = append(ps, Problem{Line: c.line(ptr), Key: keyOf(ptr), Msg: e.ErrorKind.LocalizedString(pr)})
		}
		for _, p := range ps {
			id := fmt.Sprintf("%d\x00%s\x00%s", p.Line, p.Key, p.Msg)
			if !seen[id] {
				seen[id] = true
				out = append(out, p)
			}
		}
	}
	walk(ve)
	return out
}

// leafDepth is the deepest instance location among an error's leaves.
func leafDepth(e *jsonschema.ValidationError) int {
	if len(e.Causes) == 0 {
		return len(e.InstanceLocation)
	}
	d := 0
	for _, x := range e.Causes {
		if n := leafDepth(x); n > d {
			d = n
		}
	}
	return d
}

// build fills a Config from a validated document.
func (c *converter) build(name string, top map[string]any) *Config {
	cfg := &Config{File: name, Flags: map[string][]string{}, Rules: map[string]map[string]any{}, lines: c.lines}
	for k, v := range top {
		switch k {
		case "organisation":
			cfg.Organisation, _ = v.(string)
		case "rules":
			m, _ := v.(map[string]any)
			for id, pv := range m {
				params, _ := pv.(map[string]any)
				out := map[string]any{}
				for pk, x := range params {
					out[pk] = plain(x)
				}
				cfg.Rules[id] = out
			}
		case "suppressions":
			l, _ := v.([]any)
			for i, item := range l {
				m, _ := item.(map[string]any)
				s := Suppression{Line: c.lines["/suppressions/"+strconv.Itoa(i)]}
				s.Rule, _ = m["rule"].(string)
				s.Object, _ = m["object"].(string)
				s.Reason, _ = m["reason"].(string)
				s.Expires, _ = m["expires"].(string)
				cfg.Suppressions = append(cfg.Suppressions, s)
			}
		case "history":
			if dir, ok := v.(string); ok {
				cfg.History.Dir = dir
				continue
			}
			m, _ := v.(map[string]any)
			cfg.History.Dir, _ = m["dir"].(string)
			if n, ok := m["keep"].(json.Number); ok {
				if i, err := n.Int64(); err == nil && i > 0 && i < math.MaxInt32 {
					cfg.History.Keep = int(i)
				}
			}
		default:
			switch x := v.(type) {
			case []any:
				for _, item := range x {
					cfg.Flags[k] = append(cfg.Flags[k], scalarString(item))
				}
			default:
				cfg.Flags[k] = []string{scalarString(x)}
			}
		}
	}
	return cfg
}

func scalarString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case json.Number:
		return x.String()
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

// plain turns schema values into plain Go values for rule parameters:
// integers become int64, other numbers float64.
func plain(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	case []any:
		out := make([]any, len(x))
		for i := range x {
			out[i] = plain(x[i])
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k := range x {
			out[k] = plain(x[k])
		}
		return out
	}
	return v
}

// Line returns the line of a key given as path elements (e.g. "rules",
// "MBX-002"), or 0 when the file does not have it.
func (c *Config) Line(path ...string) int {
	return c.lines[pointer(path)]
}

// Problem returns a bad-input error about one key of the file.
func (c *Config) Problem(msg string, path ...string) error {
	return &Error{File: c.File, Problems: []Problem{{Line: c.Line(path...), Key: keyOf(pointer(path)), Msg: msg}}}
}

func yamlErrorLine(err error) int {
	s := err.Error()
	i := strings.Index(s, "line ")
	if i < 0 {
		return 0
	}
	j := i + 5
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	n, _ := strconv.Atoi(s[i+5 : j])
	return n
}
