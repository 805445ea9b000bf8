package spf

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// Term is one parsed term of an SPF record (RFC 7208 §12).
type Term struct {
	// Text is the term as written.
	Text string
	// Modifier is true for name=value terms.
	Modifier bool
	// Name is the mechanism or modifier name in lower case.
	Name string
	// Qualifier is '+', '-', '~', '?' or 0 when none was written.
	Qualifier byte
	// Domain is the domain-spec of a mechanism or of redirect/exp ("" when
	// none was given: the current domain).
	Domain string
	// Value is the network of ip4/ip6 or the value of a modifier.
	Value string
	// V4 and V6 are the CIDR prefix lengths (-1: none).
	V4, V6 int
}

// DNSQuerying reports whether the term counts against the limit of 10
// DNS-querying terms (RFC 7208 §4.6.4).
func (t Term) DNSQuerying() bool {
	if t.Modifier {
		return t.Name == "redirect"
	}
	switch t.Name {
	case "include", "a", "mx", "ptr", "exists":
		return true
	}
	return false
}

// Parse splits an SPF record (octets, after UnescapeTXT) into terms and
// returns every syntax error, each naming the term and the RFC section. The
// record must start with "v=spf1" (see Select).
func Parse(record string) ([]Term, []string) {
	var terms []Term
	var errs []string
	rest := ""
	if len(record) > 6 {
		rest = record[6:]
	}
	seen := map[string]bool{}
	for _, text := range strings.Split(rest, " ") {
		if text == "" {
			continue
		}
		t, err := parseTerm(text)
		if err != "" {
			errs = append(errs, fmt.Sprintf("term %q: %s", text, err))
			continue
		}
		if t.Modifier && (t.Name == "redirect" || t.Name == "exp") {
			if seen[t.Name] {
				errs = append(errs, fmt.Sprintf("term %q: modifier %s= given twice (RFC 7208 §6)", text, t.Name))
			}
			seen[t.Name] = true
		}
		terms = append(terms, t)
	}
	return terms, errs
}

func parseTerm(text string) (Term, string) {
	t := Term{Text: text, V4: -1, V6: -1}
	for i := 0; i < len(text); i++ {
		if c := text[i]; c < 0x21 || c > 0x7e {
			return t, fmt.Sprintf("byte 0x%02X is not allowed: a record holds visible ASCII and spaces only (RFC 7208 §12)", c)
		}
	}
	if name, val, ok := strings.Cut(text, "="); ok && isName(name) {
		t.Modifier = true
		t.Name = strings.ToLower(name)
		t.Value = val
		switch t.Name {
		case "redirect", "exp":
			if val == "" {
				return t, fmt.Sprintf("%s= needs a domain (RFC 7208 §6, §12)", t.Name)
			}
			if e := checkDomainSpec(val); e != "" {
				return t, e + " (RFC 7208 §6, §12)"
			}
			t.Domain = val
		default:
			if e := checkMacroString(val, false); e != "" {
				return t, "unknown modifier " + t.Name + "=: its value must be a macro-string: " + e + " (RFC 7208 §6, §12)"
			}
		}
		return t, ""
	}
	body := text
	if strings.IndexByte("+-~?", body[0]) >= 0 {
		t.Qualifier = body[0]
		body = body[1:]
		if n, _, ok := strings.Cut(body, "="); ok && isName(n) {
			return t, "a modifier takes no qualifier (RFC 7208 §12)"
		}
	}
	end := strings.IndexAny(body, ":/")
	if end < 0 {
		end = len(body)
	}
	t.Name = strings.ToLower(body[:end])
	arg := body[end:]
	switch t.Name {
	case "all":
		if arg != "" {
			return t, "all takes no argument (RFC 7208 §5.1)"
		}
	case "include", "exists":
		sec := map[string]string{"include": "§5.2", "exists": "§5.7"}[t.Name]
		if arg == "" || arg == ":" {
			return t, fmt.Sprintf("%s needs a domain (RFC 7208 %s)", t.Name, sec)
		}
		if arg[0] == '/' || hasCIDR(arg) {
			return t, fmt.Sprintf("%s takes no CIDR length (RFC 7208 %s)", t.Name, sec)
		}
		if e := checkDomainSpec(arg[1:]); e != "" {
			return t, e + " (RFC 7208 " + sec + ", §12)"
		}
		t.Domain = arg[1:]
	case "a", "mx":
		sec := map[string]string{"a": "§5.3", "mx": "§5.4"}[t.Name]
		spec, v4, v6, e := splitDualCIDR(arg)
		if e != "" {
			return t, e + " (RFC 7208 " + sec + ", §12)"
		}
		t.V4, t.V6 = v4, v6
		if spec != "" {
			if spec == ":" {
				return t, fmt.Sprintf("empty domain after %s: (RFC 7208 %s, §12)", t.Name, sec)
			}
			if spec[0] != ':' {
				return t, fmt.Sprintf("unknown mechanism %q (RFC 7208 §5, §12)", body)
			}
			if e := checkDomainSpec(spec[1:]); e != "" {
				return t, e + " (RFC 7208 " + sec + ", §12)"
			}
			t.Domain = spec[1:]
		}
	case "ptr":
		if arg == "" {
			break
		}
		if arg[0] == '/' {
			return t, "ptr takes no CIDR length (RFC 7208 §5.5)"
		}
		if arg == ":" {
			return t, "empty domain after ptr: (RFC 7208 §5.5, §12)"
		}
		if e := checkDomainSpec(arg[1:]); e != "" {
			return t, e + " (RFC 7208 §5.5, §12)"
		}
		t.Domain = arg[1:]
	case "ip4", "ip6":
		if arg == "" || arg[0] != ':' || len(arg) == 1 {
			return t, t.Name + " needs an address (RFC 7208 §5.6)"
		}
		net, bits, hasBits := strings.Cut(arg[1:], "/")
		t.Value = net
		limit := 32
		if t.Name == "ip6" {
			limit = 128
		}
		if t.Name == "ip4" && !validIP4(net) || t.Name == "ip6" && !validIP6(net) {
			return t, fmt.Sprintf("%q is not an %s network (RFC 7208 §5.6)", net, map[string]string{"ip4": "IPv4", "ip6": "IPv6"}[t.Name])
		}
		if hasBits {
			n, e := cidrLen(bits, limit)
			if e != "" {
				return t, e + " (RFC 7208 §5.6, §12)"
			}
			if t.Name == "ip4" {
				t.V4 = n
			} else {
				t.V6 = n
			}
		}
	default:
		return t, fmt.Sprintf("unknown mechanism %q (RFC 7208 §5, §12)", body)
	}
	return t, ""
}

// isName matches the modifier name of RFC 7208 §12:
// ALPHA *( ALPHA / DIGIT / "-" / "_" / "." ).
func isName(s string) bool {
	if s == "" || !isAlpha(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !isAlpha(c) && !isDigit(c) && c != '-' && c != '_' && c != '.' {
			return false
		}
	}
	return true
}

// hasCIDR reports whether s ends in "/DIGITS".
func hasCIDR(s string) bool {
	i := strings.LastIndexByte(s, '/')
	return i >= 0 && i+1 < len(s) && allDigits(s[i+1:])
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

// splitDualCIDR takes the trailing dual-cidr-length off the argument of a
// or mx and checks it.
func splitDualCIDR(arg string) (string, int, int, string) {
	v4, v6 := -1, -1
	if i := strings.LastIndex(arg, "//"); i >= 0 && allDigits(arg[i+2:]) {
		n, e := cidrLen(arg[i+2:], 128)
		if e != "" {
			return "", 0, 0, "IPv6 " + e
		}
		v6 = n
		arg = arg[:i]
	}
	if i := strings.LastIndexByte(arg, '/'); i >= 0 && allDigits(arg[i+1:]) {
		n, e := cidrLen(arg[i+1:], 32)
		if e != "" {
			return "", 0, 0, "IPv4 " + e
		}
		v4 = n
		arg = arg[:i]
	}
	if strings.HasPrefix(arg, "/") {
		return "", 0, 0, fmt.Sprintf("bad CIDR length %q", arg)
	}
	return arg, v4, v6, ""
}

// cidrLen checks a prefix length: "0" or digits without a leading zero, at
// most max.
func cidrLen(s string, limit int) (int, string) {
	if !allDigits(s) {
		return 0, fmt.Sprintf("prefix length /%s is not a number", s)
	}
	if len(s) > 1 && s[0] == '0' {
		return 0, fmt.Sprintf("prefix length /%s has a leading zero", s)
	}
	n, err := strconv.Atoi(s)
	if err != nil || n > limit || len(s) > 3 {
		return 0, fmt.Sprintf("prefix length /%s is above %d", s, limit)
	}
	return n, ""
}

// validIP4 matches ip4-network: four qnums without leading zeros.
func validIP4(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return false
	}
	for _, p := range parts {
		if !allDigits(p) || len(p) > 3 || len(p) > 1 && p[0] == '0' {
			return false
		}
		if n, _ := strconv.Atoi(p); n > 255 {
			return false
		}
	}
	return true
}

// validIP6 matches ip6-network (RFC 4291 §2.2 text forms, no zone).
func validIP6(s string) bool {
	if !strings.Contains(s, ":") || strings.Contains(s, "%") {
		return false
	}
	a, err := netip.ParseAddr(s)
	return err == nil && !a.Is4()
}

// checkDomainSpec checks domain-spec = macro-string domain-end, where
// domain-end is "." toplabel ["."] or a macro-expand. The macro letters
// c, r and t belong to explanation text only, not to any domain-spec (not
// even that of exp=).
func checkDomainSpec(s string) string {
	if s == "" {
		return "empty domain-spec"
	}
	if e := checkMacroString(s, false); e != "" {
		return e
	}
	if endsWithMacro(s) {
		return ""
	}
	lit := s
	if i := strings.LastIndexByte(lit, '%'); i >= 0 {
		// the literal tail after the last macro
		j := strings.IndexByte(lit[i:], '}')
		if lit[i+1] == '{' && j >= 0 {
			lit = lit[i+j+1:]
		} else {
			lit = lit[i+2:]
		}
	}
	lit = strings.TrimSuffix(lit, ".")
	dot := strings.LastIndexByte(lit, '.')
	if dot < 0 {
		return fmt.Sprintf("domain %q does not end in a dot and a top label", s)
	}
	if !isToplabel(lit[dot+1:]) {
		return fmt.Sprintf("domain %q ends in %q, which is no top label (letters, digits, inner hyphens, not all-numeric)", s, lit[dot+1:])
	}
	return ""
}

func endsWithMacro(s string) bool {
	if strings.HasSuffix(s, "}") {
		i := strings.LastIndex(s, "%{")
		return i >= 0 && !strings.Contains(s[i:len(s)-1], "}")
	}
	n := len(s)
	if n >= 2 && (s[n-1] == '%' || s[n-1] == '_' || s[n-1] == '-') && s[n-2] == '%' {
		// "%%", "%_", "%-" unless the first % is itself the end of a "%%"
		k := 0
		for i := n - 2; i >= 0 && s[i] == '%'; i-- {
			k++
		}
		return k%2 == 1
	}
	return false
}

// isToplabel matches toplabel: ( *alphanum ALPHA *alphanum ) /
// ( 1*alphanum "-" *( alphanum / "-" ) alphanum ).
func isToplabel(s string) bool {
	if s == "" {
		return false
	}
	hasAlpha := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isAlpha(c):
			hasAlpha = true
		case isDigit(c):
		case c == '-':
			if i == 0 || i == len(s)-1 {
				return false
			}
		default:
			return false
		}
	}
	return hasAlpha || strings.Contains(s, "-")
}

// checkMacroString checks macro-string: literals %x21-24 / %x26-7E and
// macro-expands. exp allows the macro letters c, r and t.
func checkMacroString(s string, exp bool) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x21 || c > 0x7e {
			return fmt.Sprintf("byte 0x%02X is not allowed", c)
		}
		if c != '%' {
			continue
		}
		if i+1 >= len(s) {
			return "a lone % at the end (write %% for a percent sign)"
		}
		switch s[i+1] {
		case '%', '_', '-':
			i++
			continue
		case '{':
		default:
			return fmt.Sprintf("%%%c is no macro (RFC 7208 §7.1)", s[i+1])
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			return "unterminated macro %{ (RFC 7208 §7.1)"
		}
		if e := checkMacro(s[i+2:i+j], exp); e != "" {
			return e
		}
		i += j
	}
	return ""
}

// checkMacro checks the inside of %{...}: macro-letter transformers
// *delimiter.
func checkMacro(m string, exp bool) string {
	if m == "" {
		return "empty macro %{} (RFC 7208 §7.1)"
	}
	l := m[0] | 0x20
	if !strings.ContainsRune("slodiphcrtv", rune(l)) || !isAlpha(m[0]) {
		return fmt.Sprintf("unknown macro letter %q in %%{%s} (RFC 7208 §7.1)", m[0], m)
	}
	if !exp && strings.ContainsRune("crt", rune(l)) {
		return fmt.Sprintf("macro %%{%s} is allowed only in explanation text (RFC 7208 §7.1)", m)
	}
	rest := m[1:]
	k := 0
	for k < len(rest) && isDigit(rest[k]) {
		k++
	}
	if k > 0 {
		if n, _ := strconv.Atoi(rest[:k]); n == 0 {
			return fmt.Sprintf("macro %%{%s}: the number of labels must be nonzero (RFC 7208 §7.1)", m)
		}
	}
	rest = rest[k:]
	if rest != "" && rest[0]|0x20 == 'r' {
		rest = rest[1:]
	}
	for i := 0; i < len(rest); i++ {
		if !strings.ContainsRune(".-+,/_=", rune(rest[i])) {
			return fmt.Sprintf("macro %%{%s}: %q is no delimiter (RFC 7208 §7.1)", m, rest[i])
		}
	}
	return ""
}
