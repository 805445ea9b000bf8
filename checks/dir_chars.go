package checks

import (
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/preflight-scan/preflight/snapshot"
)

// charRule is the character policy of one alias-type attribute (DIR-001).
type charRule struct {
	// Invalid lists characters the service does not accept.
	Invalid string `json:"invalid,omitempty"`
	// Allowed, when set, is an allow-list: every ASCII character outside
	// it is invalid too.
	Allowed string `json:"allowed,omitempty"`
	// Whitespace flags every whitespace character (tab, no-break space…).
	Whitespace bool `json:"whitespace,omitempty"`
	// NonASCII flags every character outside ASCII (the service converts
	// Unicode in a user principal name to "_").
	NonASCII bool `json:"non_ascii,omitempty"`
	// LeadingPeriod flags a value starting with ".".
	LeadingPeriod bool `json:"leading_period,omitempty"`
	// Converts says the service silently replaces each invalid character
	// with Replacement; otherwise it rejects the value.
	Converts    bool   `json:"converts"`
	Replacement string `json:"replacement"`
	// Charset describes the policy for the report ("threshold").
	Charset string `json:"charset"`
}

// charTable is a compiled charRule.
type charTable struct {
	rule    charRule
	invalid [128]bool
	attr    string // display spelling
}

func (t *charTable) bad(r rune) bool {
	if r < 128 {
		return t.invalid[r]
	}
	if t.rule.NonASCII {
		return true
	}
	return t.rule.Whitespace && unicode.IsSpace(r)
}

// scan returns how many characters of v are invalid; 0 quickly for a clean
// value.
func (t *charTable) scan(v string) int {
	n := 0
	for _, r := range v {
		if t.bad(r) {
			n++
		}
	}
	if t.rule.LeadingPeriod && strings.HasPrefix(v, ".") && n == 0 {
		n = -1 // only the leading period
	}
	return n
}

// convert returns the value the service makes of v and the distinct
// invalid characters, in order of appearance.
func (t *charTable) convert(v string) (string, []string) {
	var b strings.Builder
	var seen []string
	lead := t.rule.LeadingPeriod
	for _, r := range v {
		if lead && r == '.' {
			if !contains(seen, ".") {
				seen = append(seen, ".")
			}
			continue // the leading periods are dropped
		}
		lead = false
		if t.bad(r) {
			c := string(r)
			if r == ' ' {
				c = "space"
			} else if unicode.IsSpace(r) {
				c = fmt.Sprintf("U+%04X", r)
			}
			if !contains(seen, c) {
				seen = append(seen, c)
			}
			b.WriteString(t.rule.Replacement)
			continue
		}
		b.WriteRune(r)
	}
	return b.String(), seen
}

// charList renders characters as "space", "(" and ")" (double quotes, so
// an apostrophe reads clearly).
func charList(cs []string) string {
	q := make([]string, len(cs))
	for i, c := range cs {
		q[i] = `"` + c + `"`
	}
	if len(q) < 2 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func compileCharRule(attr string, r charRule) (*charTable, error) {
	t := &charTable{rule: r, attr: attrName(attr)}
	if t.rule.Replacement == "" {
		t.rule.Replacement = "_"
	}
	for _, c := range r.Invalid {
		if c >= 128 {
			return nil, errParam("attributes."+attr+".invalid", "character %q is not ASCII; use non_ascii", c)
		}
		t.invalid[c] = true
	}
	if r.Allowed != "" {
		ok := [128]bool{}
		for _, c := range r.Allowed {
			if c < 128 {
				ok[c] = true
			}
		}
		for c := 0; c < 128; c++ {
			if !ok[c] {
				t.invalid[c] = true
			}
		}
	}
	if r.Whitespace {
		for _, c := range " \t\n\v\f\r" {
			t.invalid[c] = true
		}
	}
	for _, c := range t.rule.Replacement {
		if t.bad(c) {
			return nil, errParam("attributes."+attr+".replacement", "%q is itself an invalid character", t.rule.Replacement)
		}
	}
	if r.Invalid == "" && r.Allowed == "" && !r.Whitespace && !r.NonASCII && !r.LeadingPeriod {
		return nil, errParam("attributes."+attr, "defines no invalid characters")
	}
	return t, nil
}

// unsupportedChars is DIR-001: alias-type values with characters the
// service converts or rejects.
type unsupportedChars struct {
	scoped
	mailNickname, sam, upn, proxy *charTable
}

// unsupportedCharsParams are the parameters of newUnsupportedChars.
type unsupportedCharsParams struct {
	Attributes map[string]charRule `json:"attributes"`
}

func newUnsupportedChars(cfg unsupportedCharsParams, _ Env) (Check, error) {
	if len(cfg.Attributes) == 0 {
		return nil, errParam("attributes", "missing")
	}
	c := &unsupportedChars{}
	for name, r := range cfg.Attributes {
		t, err := compileCharRule(name, r)
		if err != nil {
			return nil, err
		}
		switch name {
		case "mailnickname":
			c.mailNickname = t
		case "samaccountname":
			c.sam = t
		case "userprincipalname":
			c.upn = t
		case "proxyaddresses":
			c.proxy = t
		default:
			// displayName, givenName and sn are names, not aliases: the
			// catalogue forbids flagging them.
			return nil, errParam("attributes", "%q is not an alias-type attribute (mailnickname, samaccountname, userprincipalname, proxyaddresses)", name)
		}
	}
	return c, nil
}

func (c *unsupportedChars) Observe(r *snapshot.Record, out *Output) {
	o := r.Dir
	if o == nil || !c.scope.in(o) {
		return
	}
	out.Consider(o)
	if t := c.mailNickname; t != nil {
		if v := o.First("mailnickname"); v != "" {
			c.check(o, t, "mailnickname", v, "", v, "", out)
		}
	}
	if t := c.sam; t != nil {
		if v := o.First("samaccountname"); v != "" {
			c.check(o, t, "samaccountname", v, "", v, "", out)
		}
	}
	if t := c.upn; t != nil {
		if v := o.First("userprincipalname"); v != "" {
			local, _, _ := splitAddress(v)
			c.check(o, t, "userprincipalname", v, "", local, v[len(local):], out)
		}
	}
	if t := c.proxy; t != nil {
		for _, p := range o.Attrs["proxyaddresses"] {
			addr, _, ok := smtpProxy(p)
			if !ok {
				continue
			}
			local, _, _ := splitAddress(addr)
			c.check(o, t, "proxyaddresses", p, p[:5], local, addr[len(local):], out)
		}
	}
}

// check flags part (the local part, or the whole value) of value; prefix
// and suffix rebuild the whole value from the converted part.
func (c *unsupportedChars) check(o *snapshot.DirObject, t *charTable, attr, value, prefix, part, suffix string, out *Output) {
	if t.scan(part) == 0 {
		return
	}
	conv, chars := t.convert(part)
	becomes := prefix + conv + suffix
	what := ""
	if suffix != "" {
		what = " before '@'"
	}
	f := dirFinding(o)
	f.Key = attr + ":" + strings.ToLower(value)
	list := charList(chars)
	n := len(chars)
	noun := "character"
	if n != 1 {
		noun = "characters"
	}
	if t.rule.Converts {
		f.Message = fmt.Sprintf("%s '%s' has %d %s the service converts to '%s' (%s)%s: it becomes '%s'",
			t.attr, value, n, noun, t.rule.Replacement, list, what, becomes)
	} else {
		f.Message = fmt.Sprintf("%s '%s' has %d %s the service does not accept (%s)%s: the value is rejected or changed when synchronized; a valid value would be '%s'",
			t.attr, value, n, noun, list, what, becomes)
	}
	f.Evidence = map[string]any{
		"attribute":          t.attr,
		"value":              value,
		"becomes":            becomes,
		"invalid_characters": chars,
		"threshold":          t.rule.Charset,
		"service_converts":   t.rule.Converts,
	}
	// An invalid sAMAccountName is tolerated when the user principal name
	// is valid (anchors-directory §2.3): it is then a medium problem.
	if attr == "samaccountname" && !t.rule.Converts && c.upnValid(o) {
		f.Severity = "medium"
		f.Message += "; the user principal name is valid, so the service tolerates it"
	}
	out.Add(f)
}

func (c *unsupportedChars) upnValid(o *snapshot.DirObject) bool {
	upn := o.First("userprincipalname")
	if upn == "" {
		return false
	}
	local, _, ok := splitAddress(upn)
	if !ok {
		return false
	}
	return c.upn == nil || c.upn.scan(local) == 0
}

func (c *unsupportedChars) Finish(*Output) {}

// sortedKeys returns a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
