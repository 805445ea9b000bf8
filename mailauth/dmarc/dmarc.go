// Package dmarc parses and validates DMARC policy records (RFC 7489) and
// names the DNS questions a static check of them needs: the record at
// _dmarc.<domain>, the organisational domain's record when the domain has
// none (§6.6.3, Public Suffix List), and the authorisation of external
// report destinations (§7.1). It is pure: no network or collector code.
package dmarc

import (
	"fmt"
	"net/mail"
	"strconv"
	"strings"

	"golang.org/x/net/publicsuffix"

	"github.com/preflight-scan/preflight/mailauth/spf"
)

// Record is a parsed DMARC record.
type Record struct {
	// Raw is the record text (octets).
	Raw string
	// Tags holds each tag's value by lower-case name (the first one when
	// a tag is repeated).
	Tags map[string]string
	// P, SP are the policies ("" when absent or invalid).
	P, SP string
	// RUA and RUF are the valid report URIs.
	RUA, RUF []URI
	// Problems lists what makes the record invalid or weak, each naming
	// the tag and the RFC section.
	Problems []string
}

// URI is one mailto: report destination.
type URI struct {
	Raw    string
	Addr   string
	Domain string
}

// Name returns the DNS name of a domain's DMARC record.
func Name(domain string) string { return "_dmarc." + domain }

// OrgDomain returns the organisational domain of domain (RFC 7489 §3.2:
// the public suffix plus one label), or domain itself when it cannot be
// determined.
func OrgDomain(domain string) string {
	domain = strings.ToLower(strings.TrimSuffix(domain, "."))
	org, err := publicsuffix.EffectiveTLDPlusOne(domain)
	if err != nil {
		return domain
	}
	return org
}

// ReportAuthName returns the name at which dest must authorise reports
// about policyDomain (RFC 7489 §7.1).
func ReportAuthName(policyDomain, dest string) string {
	return policyDomain + "._report._dmarc." + dest
}

// External reports whether reports about policyDomain sent to dest cross
// organisational domains and so need dest's authorisation (§7.1).
func External(policyDomain, dest string) bool {
	return OrgDomain(policyDomain) != OrgDomain(dest)
}

// Select returns the DMARC records among TXT strings (presentation form):
// those whose first tag is v=DMARC1 (§6.6.3). misplaced holds the strings
// that carry v=DMARC1 as a later tag, which receivers discard.
func Select(txts []string) (recs, misplaced []string) {
	for _, t := range txts {
		t = spf.UnescapeTXT(t)
		first, _, _ := strings.Cut(t, ";")
		k, v, _ := strings.Cut(first, "=")
		if strings.TrimSpace(k) == "v" && strings.TrimSpace(v) == "DMARC1" {
			recs = append(recs, t)
			continue
		}
		for _, tag := range strings.Split(t, ";") {
			k, v, _ := strings.Cut(tag, "=")
			if strings.EqualFold(strings.TrimSpace(k), "v") && strings.EqualFold(strings.TrimSpace(v), "DMARC1") {
				misplaced = append(misplaced, t)
				break
			}
		}
	}
	return recs, misplaced
}

var policies = map[string]bool{"none": true, "quarantine": true, "reject": true}

// Parse parses and validates a record selected by Select.
func Parse(rec string) *Record {
	r := &Record{Raw: rec, Tags: map[string]string{}}
	bad := func(format string, args ...any) { r.Problems = append(r.Problems, fmt.Sprintf(format, args...)) }
	for i, part := range strings.Split(rec, ";") {
		part = strings.Trim(part, " \t")
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		k, v = strings.ToLower(strings.Trim(k, " \t")), strings.Trim(v, " \t")
		if !ok || k == "" {
			bad("%q is not a tag=value pair (RFC 7489 §6.4)", part)
			continue
		}
		if _, dup := r.Tags[k]; dup {
			bad("tag %s= is given twice (RFC 7489 §6.4)", k)
			continue
		}
		r.Tags[k] = v
		if i == 0 {
			continue // v=DMARC1, checked by Select
		}
		switch k {
		case "v":
			bad("tag v= must be the first tag only (RFC 7489 §6.4)")
		case "p", "sp":
			if !policies[strings.ToLower(v)] {
				bad("tag %s=%s: the policy must be none, quarantine or reject (RFC 7489 §6.3)", k, v)
				continue
			}
			if k == "p" {
				r.P = strings.ToLower(v)
			} else {
				r.SP = strings.ToLower(v)
			}
		case "adkim", "aspf":
			if l := strings.ToLower(v); l != "r" && l != "s" {
				bad("tag %s=%s: alignment mode must be r or s (RFC 7489 §6.3)", k, v)
			}
		case "pct":
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || n > 100 || strings.HasPrefix(v, "+") {
				bad("tag pct=%s: must be an integer from 0 to 100 (RFC 7489 §6.3)", v)
			}
		case "ri":
			if n, err := strconv.ParseUint(v, 10, 32); err != nil || strings.HasPrefix(v, "+") {
				bad("tag ri=%s: must be a 32-bit unsigned number of seconds (RFC 7489 §6.3)", v)
			} else if n == 0 {
				bad("tag ri=0: the report interval must be positive (RFC 7489 §6.3)")
			}
		case "fo":
			for _, o := range strings.Split(v, ":") {
				if o = strings.TrimSpace(o); o != "0" && o != "1" && o != "d" && o != "s" {
					bad("tag fo=%s: %q is no failure reporting option (0, 1, d, s; RFC 7489 §6.3)", v, o)
					break
				}
			}
		case "rf":
			for _, f := range strings.Split(v, ":") {
				if !strings.EqualFold(strings.TrimSpace(f), "afrf") {
					bad("tag rf=%s: %q is no report format (afrf; RFC 7489 §6.3)", v, strings.TrimSpace(f))
					break
				}
			}
		case "rua", "ruf":
			uris := r.uris(k, v)
			if k == "rua" {
				r.RUA = uris
			} else {
				r.RUF = uris
			}
		}
	}
	if _, ok := r.Tags["p"]; !ok {
		bad("tag p= is missing: it is required (RFC 7489 §6.3)")
	}
	return r
}

// uris parses a comma-separated list of report URIs: each must be
// mailto:ADDRESS with an optional !SIZE (§6.2, §6.3).
func (r *Record) uris(tag, v string) []URI {
	var out []URI
	for _, raw := range strings.Split(v, ",") {
		raw = strings.TrimSpace(raw)
		if raw == "" {
			r.Problems = append(r.Problems, fmt.Sprintf("tag %s=%s: empty URI (RFC 7489 §6.3)", tag, v))
			continue
		}
		u := raw
		if i := strings.LastIndexByte(u, '!'); i >= 0 {
			size := u[i+1:]
			u = u[:i]
			n := strings.TrimRight(size, "kmgtKMGT")
			if _, err := strconv.ParseUint(n, 10, 64); err != nil || len(size)-len(n) > 1 {
				r.Problems = append(r.Problems, fmt.Sprintf("tag %s=: %q has a bad size limit (RFC 7489 §6.2)", tag, raw))
				continue
			}
		}
		scheme, addr, ok := strings.Cut(u, ":")
		if !ok || !strings.EqualFold(scheme, "mailto") {
			r.Problems = append(r.Problems, fmt.Sprintf("tag %s=: %q is not a mailto: URI, the only scheme receivers send reports to (RFC 7489 §6.3)", tag, raw))
			continue
		}
		a, err := mail.ParseAddress(addr)
		if err != nil || a.Name != "" {
			r.Problems = append(r.Problems, fmt.Sprintf("tag %s=: %q is no e-mail address (RFC 7489 §6.3)", tag, raw))
			continue
		}
		at := strings.LastIndexByte(a.Address, '@')
		dom := strings.ToLower(strings.TrimSuffix(a.Address[at+1:], "."))
		out = append(out, URI{Raw: raw, Addr: a.Address, Domain: dom})
	}
	return out
}

// Destinations returns the distinct domains of the record's report URIs
// that are outside policyDomain's organisational domain, in order.
func (r *Record) Destinations(policyDomain string) []string {
	var out []string
	seen := map[string]bool{}
	for _, u := range append(append([]URI(nil), r.RUA...), r.RUF...) {
		if !seen[u.Domain] && External(policyDomain, u.Domain) {
			seen[u.Domain] = true
			out = append(out, u.Domain)
		}
	}
	return out
}

// Authorises reports whether TXT strings at ReportAuthName hold a record
// starting with v=DMARC1 (§7.1).
func Authorises(txts []string) bool {
	recs, _ := Select(txts)
	return len(recs) > 0
}
