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
	"net/netip"
	"strconv"
	"strings"
)

// Limits of RFC 7208 §4.6.4.
const (
	MaxLookups     = 10
	MaxVoidLookups = 2
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

// Select returns the SPF records among a domain's TXT strings.
func Select(txts []string) []string {
	var out []string
	for _, t := range txts {
		l := strings.ToLower(t)
		if l == "v=spf1" || strings.HasPrefix(l, "v=spf1 ") {
			out = append(out, t)
		}
	}
	return out
}

// Analyse walks domain's SPF policy through lookup.
func Analyse(domain string, lookup LookupFunc) *Result {
	domain = strings.ToLower(strings.TrimSuffix(domain, "."))
	res := &Result{}
	w := &walker{lookup: lookup, res: res}
	resp := lookup(domain, "TXT")
	if failed(resp.Outcome) {
		res.Failures = append(res.Failures, fmt.Sprintf("TXT %s: %s", domain, reason(resp)))
		return res
	}
	recs := Select(resp.Records)
	res.Count = len(recs)
	if len(recs) != 1 {
		return res
	}
	res.Record = recs[0]
	w.record(domain, recs[0], []string{domain})
	return res
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
	followed int
}

// ask makes one counted lookup; it returns the response and whether the
// walk may use it.
func (w *walker) ask(name, qtype string) (Response, bool) {
	w.res.Lookups++
	if strings.Contains(name, "%") {
		// A macro needs the sender: counted, not asked.
		return Response{}, false
	}
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
// for loop detection.
func (w *walker) record(domain, rec string, stack []string) {
	terms := strings.Fields(rec)[1:]
	var redirect string
	hasAll := false
	seenMod := map[string]bool{}
	for _, term := range terms {
		lt := strings.ToLower(term)
		if name, val, ok := modifier(lt); ok {
			if seenMod[name] && (name == "redirect" || name == "exp") {
				w.syntax(domain, "modifier %s= given twice", name)
			}
			seenMod[name] = true
			if !validDomainSpec(val) {
				w.syntax(domain, "bad domain in %q", term)
				continue
			}
			if name == "redirect" {
				redirect = val
			}
			continue
		}
		q := lt
		if q != "" && strings.ContainsRune("+-~?", rune(q[0])) {
			q = q[1:]
		}
		mech, arg, _ := strings.Cut(q, ":")
		if i := strings.IndexByte(mech, '/'); i >= 0 {
			arg2 := mech[i:]
			mech = mech[:i]
			if arg != "" {
				w.syntax(domain, "bad term %q", term)
				continue
			}
			arg = arg2
		}
		switch mech {
		case "all":
			if strings.Contains(q, ":") || q != "all" {
				w.syntax(domain, "bad term %q", term)
			}
			hasAll = true
		case "include":
			if arg == "" || !validDomainSpec(arg) {
				w.syntax(domain, "bad include %q", term)
				continue
			}
			w.include(domain, arg, stack, "include")
		case "a", "mx":
			target, ok := targetWithCIDR(arg, domain)
			if !ok {
				w.syntax(domain, "bad term %q", term)
				continue
			}
			qt := "A"
			if mech == "mx" {
				qt = "MX"
			}
			w.ask(target, qt)
		case "ptr":
			if arg != "" && !validDomainSpec(arg) {
				w.syntax(domain, "bad term %q", term)
				continue
			}
			w.res.Lookups++ // needs the sender's address: counted, not asked
		case "exists":
			if arg == "" || !validDomainSpec(arg) {
				w.syntax(domain, "bad term %q", term)
				continue
			}
			w.ask(arg, "A")
		case "ip4", "ip6":
			if !validIP(mech, arg) {
				w.syntax(domain, "bad address in %q", term)
			}
		default:
			w.syntax(domain, "unknown mechanism %q", term)
		}
	}
	if redirect != "" && !hasAll {
		w.include(domain, redirect, stack, "redirect")
	}
}

func (w *walker) include(domain, target string, stack []string, how string) {
	target = strings.TrimSuffix(target, ".")
	w.res.Includes = append(w.res.Includes, target)
	for _, s := range stack {
		if s == target {
			w.syntax(domain, "%s loop back to %s", how, target)
			w.res.Lookups++
			return
		}
	}
	r, ok := w.ask(target, "TXT")
	if !ok {
		return
	}
	recs := Select(r.Records)
	switch len(recs) {
	case 0:
		w.syntax(domain, "%s:%s has no SPF record (permerror)", how, target)
	case 1:
		w.record(target, recs[0], append(stack[:len(stack):len(stack)], target))
	default:
		w.syntax(domain, "%s:%s has %d SPF records (permerror)", how, target, len(recs))
	}
}

func (w *walker) syntax(domain, format string, args ...any) {
	w.res.Syntax = append(w.res.Syntax, domain+": "+fmt.Sprintf(format, args...))
}

// modifier splits "name=value" when term is a modifier.
func modifier(term string) (string, string, bool) {
	name, val, ok := strings.Cut(term, "=")
	if !ok || name == "" || strings.ContainsAny(name, ":/") {
		return "", "", false
	}
	for i, c := range name {
		if !(c >= 'a' && c <= 'z' || i > 0 && (c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.')) {
			return "", "", false
		}
	}
	return name, val, true
}

// targetWithCIDR parses the argument of a or mx ("", "domain",
// "domain/24", "/24//64").
func targetWithCIDR(arg, domain string) (string, bool) {
	spec := arg
	cidr := ""
	if i := strings.IndexByte(arg, '/'); i >= 0 {
		spec, cidr = arg[:i], arg[i:]
	}
	if cidr != "" {
		v4, v6, dual := strings.Cut(cidr[1:], "//")
		if !dual && strings.HasPrefix(cidr, "//") {
			v4, v6 = "", cidr[2:]
		}
		if v4 != "" && !inRange(v4, 32) || v6 != "" && !inRange(v6, 128) || (v4 == "" && v6 == "") {
			return "", false
		}
	}
	if spec == "" {
		return domain, true
	}
	if !validDomainSpec(spec) {
		return "", false
	}
	return spec, true
}

func inRange(s string, limit int) bool {
	n, err := strconv.Atoi(s)
	return err == nil && n >= 0 && n <= limit && !strings.HasPrefix(s, "+")
}

func validIP(mech, arg string) bool {
	addr, bits, hasBits := strings.Cut(arg, "/")
	a, err := netip.ParseAddr(addr)
	if err != nil || a.Zone() != "" {
		return false
	}
	if mech == "ip4" && !a.Is4() || mech == "ip6" && a.Is4() {
		return false
	}
	if hasBits {
		limit := 32
		if mech == "ip6" {
			limit = 128
		}
		return inRange(bits, limit)
	}
	return true
}

// validDomainSpec checks a domain-spec loosely: labels of allowed
// characters, macros in %{...} form, at least one dot after expansion.
func validDomainSpec(s string) bool {
	if s == "" || len(s) > 253*2 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' {
			if i+1 >= len(s) {
				return false
			}
			switch s[i+1] {
			case '%', '_', '-':
				i++
				continue
			case '{':
				j := strings.IndexByte(s[i:], '}')
				if j < 0 || j < 3 || !strings.ContainsRune("slodiphcrtv", rune(s[i+2])) {
					return false
				}
				i += j
				continue
			}
			return false
		}
		if c <= ' ' || c > '~' {
			return false
		}
	}
	if strings.Contains(s, "..") || strings.HasPrefix(s, ".") {
		return false
	}
	return strings.Contains(strings.TrimSuffix(s, "."), ".") || strings.Contains(s, "%{")
}
