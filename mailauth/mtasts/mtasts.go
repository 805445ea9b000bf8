// Package mtasts parses SMTP MTA Strict Transport Security records and
// policies (RFC 8461) and TLS reporting records (RFC 8460), and matches
// MX hosts against policy patterns. It is pure: the policy is fetched by
// the DNS collector; the check judges what was recorded.
package mtasts

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/preflight-scan/preflight/mailauth/spf"
)

// PolicyType is the pseudo record type under which the collector records
// the policy fetched over HTTPS (Answers: the body).
const PolicyType = "MTA-STS"

// MaxAgeLimit is the largest max_age a policy may give (RFC 8461 §3.2:
// 31557600 seconds, about a year).
const MaxAgeLimit = 31557600

// TXTName returns the name of a domain's MTA-STS record.
func TXTName(domain string) string { return "_mta-sts." + domain }

// PolicyHost returns the host serving the domain's policy.
func PolicyHost(domain string) string { return "mta-sts." + domain }

// PolicyURL returns the well-known URL of the domain's policy (§3.3).
func PolicyURL(domain string) string {
	return "https://" + PolicyHost(domain) + "/.well-known/mta-sts.txt"
}

// TLSRPTName returns the name of a domain's TLS-RPT record (RFC 8460 §3).
func TLSRPTName(domain string) string { return "_smtp._tls." + domain }

// Record is an MTA-STS TXT record.
type Record struct {
	Raw string
	ID  string
	// Problems names what is wrong, with the RFC section.
	Problems []string
}

// tags splits "k=v; k=v" (the field separator of RFC 8461 §3.1 and
// RFC 8460 §3), trimming spaces.
func tags(s string) [][2]string {
	var out [][2]string
	for _, f := range strings.Split(s, ";") {
		f = strings.Trim(f, " \t")
		if f == "" {
			continue
		}
		k, v, _ := strings.Cut(f, "=")
		out = append(out, [2]string{strings.Trim(k, " \t"), strings.Trim(v, " \t")})
	}
	return out
}

// SelectRecords returns the TXT strings (presentation form) that start
// with v=STSv1 (§3.1), unescaped.
func SelectRecords(txts []string) []string {
	var out []string
	for _, t := range txts {
		t = spf.UnescapeTXT(t)
		if ts := tags(t); len(ts) > 0 && ts[0][0] == "v" && ts[0][1] == "STSv1" {
			out = append(out, t)
		}
	}
	return out
}

// ParseRecord checks a record selected by SelectRecords: id= of 1 to 32
// letters and digits (§3.1).
func ParseRecord(rec string) *Record {
	r := &Record{Raw: rec}
	for _, kv := range tags(rec)[1:] {
		if kv[0] == "id" {
			if r.ID != "" {
				r.Problems = append(r.Problems, "tag id= is given twice (RFC 8461 §3.1)")
			}
			r.ID = kv[1]
		}
	}
	switch {
	case r.ID == "":
		r.Problems = append(r.Problems, "tag id= is missing (RFC 8461 §3.1)")
	case len(r.ID) > 32 || !alnum(r.ID):
		r.Problems = append(r.Problems, fmt.Sprintf("id=%s: must be 1 to 32 letters and digits (RFC 8461 §3.1)", r.ID))
	}
	return r
}

func alnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// Policy is a parsed policy file (§3.2).
type Policy struct {
	Mode   string
	MX     []string
	MaxAge int64
	// Problems names what makes the policy invalid, with the section.
	Problems []string
}

// Valid reports whether senders would apply the policy.
func (p *Policy) Valid() bool { return len(p.Problems) == 0 }

// ParsePolicy parses a policy body: "key: value" lines (CRLF or LF),
// version STSv1, mode enforce, testing or none, one or more mx patterns
// (not required in mode none), max_age 0 to 31557600.
func ParsePolicy(body string) *Policy {
	p := &Policy{MaxAge: -1}
	bad := func(format string, args ...any) { p.Problems = append(p.Problems, fmt.Sprintf(format, args...)) }
	version := ""
	seen := map[string]bool{}
	for i, line := range strings.Split(body, "\n") {
		line = strings.TrimSuffix(line, "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			bad("line %d %q is not \"key: value\" (RFC 8461 §3.2)", i+1, clip(line))
			continue
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if k != "mx" && seen[k] {
			bad("key %s is given twice (RFC 8461 §3.2)", k)
			continue
		}
		seen[k] = true
		switch k {
		case "version":
			version = v
		case "mode":
			p.Mode = v
		case "mx":
			p.MX = append(p.MX, strings.ToLower(strings.TrimSuffix(v, ".")))
		case "max_age":
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 || n > MaxAgeLimit || len(v) > 10 {
				bad("max_age: %s must be a number of seconds from 0 to %d (RFC 8461 §3.2)", clip(v), MaxAgeLimit)
				continue
			}
			p.MaxAge = n
		}
	}
	if version != "STSv1" {
		bad("version: must be STSv1 (RFC 8461 §3.2), is %q", clip(version))
	}
	switch p.Mode {
	case "enforce", "testing", "none":
	case "":
		bad("mode: is missing (RFC 8461 §3.2)")
	default:
		bad("mode: %s must be enforce, testing or none (RFC 8461 §3.2)", clip(p.Mode))
	}
	if p.MaxAge < 0 && !hasProblem(p.Problems, "max_age") {
		bad("max_age: is missing (RFC 8461 §3.2)")
	}
	if len(p.MX) == 0 && (p.Mode == "enforce" || p.Mode == "testing") {
		bad("mx: no pattern given, required in mode %s (RFC 8461 §3.2)", p.Mode)
	}
	for _, m := range p.MX {
		if !validPattern(m) {
			bad("mx: %s is not a host name or *.wildcard (RFC 8461 §3.2, §4.1)", clip(m))
		}
	}
	return p
}

func hasProblem(ps []string, s string) bool {
	for _, p := range ps {
		if strings.HasPrefix(p, s) {
			return true
		}
	}
	return false
}

func validPattern(m string) bool {
	m = strings.TrimPrefix(m, "*.")
	if m == "" || len(m) > 253 || !strings.Contains(m, ".") && m != "localhost" {
		return false
	}
	for _, l := range strings.Split(m, ".") {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

// Matches reports whether an mx pattern covers host (§4.1): a literal
// name, or "*." covering exactly one leftmost label.
func Matches(pattern, host string) bool {
	pattern = strings.ToLower(strings.TrimSuffix(pattern, "."))
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if rest, ok := strings.CutPrefix(pattern, "*."); ok {
		i := strings.IndexByte(host, '.')
		return i > 0 && host[i+1:] == rest
	}
	return pattern == host
}

// TLSRPT is a TLS reporting record (RFC 8460 §3).
type TLSRPT struct {
	Raw      string
	RUA      []string
	Problems []string
}

// SelectTLSRPT returns the TXT strings starting with v=TLSRPTv1.
func SelectTLSRPT(txts []string) []string {
	var out []string
	for _, t := range txts {
		t = spf.UnescapeTXT(t)
		if ts := tags(t); len(ts) > 0 && ts[0][0] == "v" && ts[0][1] == "TLSRPTv1" {
			out = append(out, t)
		}
	}
	return out
}

// ParseTLSRPT checks rua=: one or more mailto: or https: URIs (§3).
func ParseTLSRPT(rec string) *TLSRPT {
	r := &TLSRPT{Raw: rec}
	for _, kv := range tags(rec)[1:] {
		if kv[0] != "rua" {
			continue
		}
		for _, u := range strings.Split(kv[1], ",") {
			u = strings.TrimSpace(u)
			l := strings.ToLower(u)
			if strings.HasPrefix(l, "mailto:") && strings.Contains(u, "@") || strings.HasPrefix(l, "https://") && len(u) > len("https://") {
				r.RUA = append(r.RUA, u)
			} else {
				r.Problems = append(r.Problems, fmt.Sprintf("rua: %s is neither a mailto: nor an https: URI (RFC 8460 §3)", clip(u)))
			}
		}
	}
	if len(r.RUA) == 0 && len(r.Problems) == 0 {
		r.Problems = append(r.Problems, "tag rua= is missing (RFC 8460 §3)")
	}
	return r
}

func clip(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}
