// Package spf analyses a domain's SPF policy the way RFC 7208 evaluates it,
// without a sender address: it selects the one "v=spf1" record, checks
// its syntax, follows include and redirect recursively and counts the
// DNS-querying terms (limit 10, §4.6.4) and the void lookups among them
// (limit 2). The same walk serves the collector (which asks DNS and
// records each answer) and the check (which replays recorded answers), so
// both count alike.
package spf

import (
	"fmt"
	"strconv"
	"strings"
)

// Limits of RFC 7208 §4.6.4.
const (
	MaxLookups     = 10
	MaxVoidLookups = 2
	// MaxMXNames bounds the names one mx term may yield (§4.6.4).
	MaxMXNames = 10
	// maxFollow bounds how many lookups the walk actually makes, so that a
	// hostile chain cannot make the scanner query without end.
	maxFollow = 40
)

// Response is one DNS answer as the walk needs it.
type Response struct {
	// Outcome is a snapshot.Lookup* value.
	Outcome string
	Records []string
	Err     string
}

// LookupFunc answers one question ("TXT", "A", "MX").
type LookupFunc func(name, qtype string) Response

// Result is the analysis of one domain's SPF policy.
type Result struct {
	// Record is the selected SPF record of the domain ("" when none).
	Record string
	// Count is how many v=spf1 records the domain has.
	Count int
	// Lookups counts the DNS-querying terms over the whole tree.
	Lookups int
	// Voids counts those of them that returned NXDOMAIN or no data.
	Voids int
	// Includes lists every include and redirect target seen, in order.
	Includes []string
	// Syntax lists syntax errors ("domain: problem").
	Syntax []string
	// Failures lists lookups that failed (SERVFAIL, timeout...): the
	// result is then incomplete and must not be judged.
	Failures []string
}

// HasInclude reports whether target was included or redirected to at any
// depth.
func (r *Result) HasInclude(target string) bool {
	target = strings.ToLower(strings.TrimSuffix(target, "."))
	for _, i := range r.Includes {
		if i == target {
			return true
		}
	}
	return false
}

func failed(outcome string) bool {
	switch outcome {
	case "found", "nxdomain", "nodata":
		return false
	}
	return true
}

func void(outcome string) bool { return outcome == "nxdomain" || outcome == "nodata" }

// Select returns the SPF records among a domain's TXT strings (octets,
// after UnescapeTXT): those that are "v=spf1" alone or followed by a space
// (RFC 7208 §4.5).
func Select(txts []string) []string {
	var out []string
	for _, t := range txts {
		if len(t) >= 6 && strings.EqualFold(t[:6], "v=spf1") && (len(t) == 6 || t[6] == ' ') {
			out = append(out, t)
		}
	}
	return out
}

// Analyse walks domain's SPF policy through lookup. The TXT answers are
// taken in presentation form and unescaped.
func Analyse(domain string, lookup LookupFunc) *Result {
	domain = strings.ToLower(strings.TrimSuffix(domain, "."))
	res := &Result{}
	w := &walker{lookup: lookup, res: res, origin: domain}
	resp := lookup(domain, "TXT")
	if failed(resp.Outcome) {
		res.Failures = append(res.Failures, fmt.Sprintf("TXT %s: %s", domain, reason(resp)))
		return res
	}
	recs := Select(unescapeAll(resp.Records))
	res.Count = len(recs)
	if len(recs) != 1 {
		return res
	}
	res.Record = recs[0]
	w.record(domain, recs[0], []string{domain})
	return res
}

func unescapeAll(rs []string) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = UnescapeTXT(r)
	}
	return out
}

func reason(r Response) string {
	if r.Err != "" {
		return r.Outcome + ": " + r.Err
	}
	return r.Outcome
}

type walker struct {
	lookup   LookupFunc
	res      *Result
	origin   string
	followed int
}

// ask makes one lookup for a term already counted; it returns the
// response and whether the walk may use it.
func (w *walker) ask(name, qtype string) (Response, bool) {
	if w.followed >= maxFollow {
		return Response{}, false
	}
	w.followed++
	r := w.lookup(name, qtype)
	if failed(r.Outcome) {
		w.res.Failures = append(w.res.Failures, fmt.Sprintf("%s %s: %s", qtype, name, reason(r)))
		return r, false
	}
	if void(r.Outcome) {
		w.res.Voids++
	}
	return r, true
}

// record analyses one SPF record of domain; stack holds the include chain
// for loop detection. A record with a syntax error is not evaluated
// (RFC 7208 §4.6: the result is permerror before any term is looked up).
func (w *walker) record(domain, rec string, stack []string) {
	terms, errs := Parse(rec)
	for _, e := range errs {
		w.syntax(domain, "%s", e)
	}
	if len(errs) > 0 {
		// Not evaluated, but the includes it names are still named.
		for _, t := range terms {
			if t.Name == "include" && !strings.Contains(t.Domain, "%") {
				w.res.Includes = append(w.res.Includes, strings.ToLower(strings.TrimSuffix(t.Domain, ".")))
			}
		}
		return
	}
	var redirect *Term
	hasAll := false
	for i := range terms {
		t := &terms[i]
		if t.Modifier {
			if t.Name == "redirect" {
				redirect = t
			}
			continue
		}
		if hasAll {
			// Terms after "all" are never evaluated (RFC 7208 §5.1).
			continue
		}
		if t.Name == "all" {
			hasAll = true
			continue
		}
		if !t.DNSQuerying() {
			continue
		}
		w.res.Lookups++
		if t.Name == "ptr" {
			continue // needs the sender's address: counted, not asked
		}
		target, ok := w.target(domain, t)
		if !ok {
			continue
		}
		switch t.Name {
		case "include":
			w.include(domain, target, t.Text, stack, "include")
		case "a", "exists":
			w.ask(target, "A")
		case "mx":
			if r, ok := w.ask(target, "MX"); ok && len(r.Records) > MaxMXNames {
				w.syntax(domain, "term %q: the MX of %s has %d names, above the limit of %d (RFC 7208 §4.6.4)", t.Text, target, len(r.Records), MaxMXNames)
			}
		}
	}
	if redirect != nil && !hasAll {
		w.res.Lookups++
		if target, ok := w.target(domain, redirect); ok {
			w.include(domain, target, redirect.Text, stack, "redirect")
		}
	}
}

// target expands a term's domain-spec into the name to ask; false when it
// needs the sender (a macro other than %{d} and %{o}) or is no valid DNS
// name, which is reported as a defect of the record.
func (w *walker) target(domain string, t *Term) (string, bool) {
	if t.Domain == "" {
		return domain, true
	}
	name, ok := expandMacros(t.Domain, domain, w.origin)
	if !ok {
		return "", false
	}
	name = strings.ToLower(strings.TrimSuffix(name, "."))
	if len(name) > 253 {
		// RFC 7208 §7.3: drop labels on the left until it fits.
		for len(name) > 253 {
			i := strings.IndexByte(name, '.')
			if i < 0 {
				break
			}
			name = name[i+1:]
		}
	}
	for _, l := range strings.Split(name, ".") {
		if l == "" {
			w.syntax(domain, "term %q: %q has an empty label, no DNS name (RFC 7208 §4.6, RFC 1035 §2.3.4)", t.Text, name)
			return "", false
		}
		if len(l) > 63 {
			w.syntax(domain, "term %q: label %.20q… is %d octets, above the DNS limit of 63 (RFC 7208 §4.6, RFC 1035 §2.3.4)", t.Text, l, len(l))
			return "", false
		}
	}
	return PresentName(name), true
}

// PresentName writes a name of raw octets in DNS presentation form, the
// form the resolver asks and records: per label, the characters special in
// zone files escaped as "\c" and bytes outside printable ASCII as "\DDD".
func PresentName(name string) string {
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c == ' ' || c == '\'' || c == '@' || c == ';' || c == '(' || c == ')' || c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x21 || c > 0x7e:
			fmt.Fprintf(&b, "\\%03d", c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// expandMacros expands the macros of a domain-spec that are known without
// a sender: %{d} (the current domain) and %{o} (the checked domain), with
// their transformers, and %%, %_ and %-. It returns false when another
// macro is used.
func expandMacros(spec, domain, origin string) (string, bool) {
	if !strings.Contains(spec, "%") {
		return spec, true
	}
	var b strings.Builder
	for i := 0; i < len(spec); i++ {
		c := spec[i]
		if c != '%' || i+1 >= len(spec) {
			b.WriteByte(c)
			continue
		}
		switch spec[i+1] {
		case '%':
			b.WriteByte('%')
			i++
			continue
		case '_':
			b.WriteByte(' ')
			i++
			continue
		case '-':
			b.WriteString("%20")
			i++
			continue
		}
		j := strings.IndexByte(spec[i:], '}')
		if spec[i+1] != '{' || j < 3 {
			return "", false
		}
		m := spec[i+2 : i+j]
		i += j
		var val string
		switch m[0] | 0x20 {
		case 'd':
			val = domain
		case 'o':
			val = origin
		default:
			return "", false
		}
		b.WriteString(transform(val, m[1:]))
	}
	return b.String(), true
}

// transform applies macro transformers (digits, "r", delimiters).
func transform(val, tr string) string {
	k := 0
	for k < len(tr) && isDigit(tr[k]) {
		k++
	}
	keep := 0
	if k > 0 {
		keep, _ = strconv.Atoi(tr[:k])
	}
	tr = tr[k:]
	rev := false
	if tr != "" && tr[0]|0x20 == 'r' {
		rev = true
		tr = tr[1:]
	}
	delims := tr
	if delims == "" {
		delims = "."
	}
	parts := strings.FieldsFunc(val, func(r rune) bool { return strings.ContainsRune(delims, r) })
	if rev {
		for a, z := 0, len(parts)-1; a < z; a, z = a+1, z-1 {
			parts[a], parts[z] = parts[z], parts[a]
		}
	}
	if keep > 0 && keep < len(parts) {
		parts = parts[len(parts)-keep:]
	}
	return strings.Join(parts, ".")
}

func (w *walker) include(domain, target, term string, stack []string, how string) {
	w.res.Includes = append(w.res.Includes, target)
	for _, s := range stack {
		if s == target {
			w.syntax(domain, "term %q: %s loops back to %s (RFC 7208 §4.6.4)", term, how, target)
			return
		}
	}
	r, ok := w.ask(target, "TXT")
	if !ok {
		return
	}
	recs := Select(unescapeAll(r.Records))
	sec := "§5.2"
	if how == "redirect" {
		sec = "§6.1"
	}
	switch len(recs) {
	case 0:
		w.syntax(domain, "term %q: %s has no SPF record (permerror, RFC 7208 %s)", term, target, sec)
	case 1:
		w.record(target, recs[0], append(stack[:len(stack):len(stack)], target))
	default:
		w.syntax(domain, "term %q: %s has %d SPF records (permerror, RFC 7208 §4.5, %s)", term, target, len(recs), sec)
	}
}

func (w *walker) syntax(domain, format string, args ...any) {
	w.res.Syntax = append(w.res.Syntax, domain+": "+fmt.Sprintf(format, args...))
}
