package checks

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/snapshot"
)

// addDNS registers the dns checks.
func addDNS(r Registry) {
	r["dns.mx"] = Typed(newMXCheck)
	r["dns.mx_ttl"] = Typed(newMXTTLCheck)
	r["dns.spf"] = Typed(newSPFCheck)
	r["dns.autodiscover"] = Typed(newAutodiscoverCheck)
	r["dns.teams"] = Typed(newTeamsCheck)
	r["dns.ms_txt"] = Typed(newMSTXTCheck)
	r["dns.dmarc"] = Typed(newDMARCCheck)
	r["dns.dkim"] = Typed(newDKIMCheck)
	r["dns.mta_sts"] = Typed(newMTASTSCheck)
}

// dnsCheck runs judge over every domain of the snapshot once all records
// are in. With no domain at all the check is skipped.
func dnsCheck(judge func(x *dnsIndex, d string, out *Output)) Check {
	x := newDNSIndex()
	return Funcs{
		ObserveFunc: func(r *snapshot.Record, _ *Output) { x.observe(r) },
		FinishFunc: func(out *Output) {
			names := x.names()
			if len(names) == 0 {
				out.Skip("no mail domain was looked up (give --domain or scan a directory)")
				return
			}
			for _, d := range names {
				out.Judged(1)
				judge(x, d, out)
			}
		},
	}
}

// dashed turns example.com into example-com, the MX token of Exchange
// Online.
func dashed(d string) string { return strings.ReplaceAll(d, ".", "-") }

func expand(tmpl, domain string) string {
	return strings.ToLower(strings.NewReplacer("{domain}", domain, "{dashed}", dashed(domain)).Replace(tmpl))
}

// DNS-001.
type mxParams struct {
	ExpectedMX     string   `json:"expected_mx"`
	AcceptSuffixes []string `json:"accept_suffixes"`
}

func newMXCheck(prm mxParams, env Env) (Check, error) {
	if prm.ExpectedMX == "" {
		return nil, fmt.Errorf("param expected_mx missing")
	}
	post := env.Phase == "post-cutover"
	return dnsCheck(func(x *dnsIndex, d string, out *Output) {
		r := x.need(out, d, d, "MX")
		if r == nil {
			return
		}
		if r.Outcome != snapshot.LookupFound {
			out.Add(x.domainFinding(d, "missing", fmt.Sprintf("%s has no MX record (%s): mail to the domain cannot be delivered", d, r.Outcome),
				map[string]any{"observed": r.Outcome, "expected": expand(prm.ExpectedMX, d)}))
			return
		}
		all, top := mxHosts(r.Answers)
		if len(top) == 1 && (top[0] == "" || top[0] == ".") {
			out.Add(x.domainFinding(d, "null", fmt.Sprintf("%s has a null MX (\"0 .\"): the domain says it accepts no mail", d),
				map[string]any{"observed": all}))
			return
		}
		if !post {
			return
		}
		want := expand(prm.ExpectedMX, d)
		for _, h := range top {
			if h == want {
				return
			}
			for _, s := range prm.AcceptSuffixes {
				if strings.HasSuffix(h, strings.ToLower(s)) {
					return
				}
			}
		}
		accept := want
		if len(prm.AcceptSuffixes) > 0 {
			accept += " (or a host ending in " + strings.Join(prm.AcceptSuffixes, ", ") + ")"
		}
		out.Add(x.domainFinding(d, "target", fmt.Sprintf("after cutover the most preferred MX of %s should be %s; it is %s", d, accept, strings.Join(top, ", ")),
			map[string]any{"observed": all, "expected": want, "phase": env.Phase}))
	}), nil
}

// DNS-002.
type mxTTLParams struct {
	MaxTTL    float64 `json:"max_ttl_seconds" param:"min=0"`
	LeadHours float64 `json:"lead_hours" param:"min=0"`
}

func newMXTTLCheck(prm mxTTLParams, env Env) (Check, error) {
	if prm.MaxTTL <= 0 {
		return nil, fmt.Errorf("param max_ttl_seconds must be positive")
	}
	if env.Phase == "post-cutover" {
		return Funcs{FinishFunc: func(out *Output) {
			out.Skip("the MX TTL matters before the cutover only (phase post-cutover)")
		}}, nil
	}
	return dnsCheck(func(x *dnsIndex, d string, out *Output) {
		r := x.need(out, d, d, "MX")
		if r == nil || r.Outcome != snapshot.LookupFound {
			return
		}
		// A recursive resolver returns the time left in its cache: a TTL
		// above the limit is certain, one below may hide a longer
		// configured TTL. The authoritative answer, when asked, decides.
		observed, from := r.TTL, "resolver "+r.Resolver+" (cache time, may be counted down)"
		if auth := x.getAuth(d, d, "MX"); auth != nil {
			if auth.Outcome == snapshot.LookupFound {
				observed, from = auth.TTL, "authoritative server "+auth.Resolver
			} else if float64(r.TTL) <= prm.MaxTTL {
				why := auth.Outcome
				if auth.Error != "" {
					why += ": " + auth.Error
				}
				out.Fail("%s: configured MX TTL unknown: the domain's name server %s gave no MX answer (%s), and the resolver's %d s may be a counted-down cache time (--dns-authoritative=false accepts it)", d, auth.Resolver, why, r.TTL)
				return
			}
		}
		ttl := float64(observed)
		if ttl <= prm.MaxTTL {
			return
		}
		ttlH := ttl / 3600
		ahead := math.Max(prm.LeadHours, math.Ceil(ttlH))
		ev := map[string]any{
			"observed": observed, "threshold": prm.MaxTTL, "lead_hours": prm.LeadHours,
			"hours_ahead": ahead, "ttl_from": from,
		}
		var when string
		if !env.CutoverDate.IsZero() {
			start := env.Cutover().Add(-time.Duration(ahead * float64(time.Hour)))
			ev["cutover_date"] = env.Cutover().Format("2006-01-02")
			ev["start_by"] = start.UTC().Format(time.RFC3339)
			when = " (by " + start.UTC().Format("2006-01-02 15:04 MST") + ")"
			if env.Now.After(start) {
				when += "; that time has already passed"
			}
		} else {
			when = " (no --cutover-date given)"
		}
		msg := fmt.Sprintf("MX TTL of %s is %d s (%.1f h), above %g s: lower it to %g s at least %g h before the cutover%s; if it cannot be lowered, change the MX at least %g h (the TTL) before the cutover",
			d, observed, ttlH, prm.MaxTTL, prm.MaxTTL, ahead, when, math.Ceil(ttlH))
		out.Add(x.domainFinding(d, "", msg, ev))
	}), nil
}

// DNS-003.
type spfParams struct {
	RequiredIncludes []string `json:"required_includes"`
	MaxLookups       int      `json:"max_lookups" param:"min=1"`
	MaxVoidLookups   int      `json:"max_void_lookups" param:"min=0"`
}

func newSPFCheck(prm spfParams, _ Env) (Check, error) {
	if prm.MaxLookups <= 0 || prm.MaxVoidLookups < 0 {
		return nil, fmt.Errorf("params max_lookups and max_void_lookups must be set")
	}
	return dnsCheck(func(x *dnsIndex, d string, out *Output) {
		if x.need(out, d, d, "TXT") == nil {
			return
		}
		res := x.spf(d)
		if len(res.Failures) > 0 {
			out.Fail("%s: SPF not evaluated, %d lookups failed: %s", d, len(res.Failures), strings.Join(res.Failures, "; "))
			return
		}
		switch {
		case res.Count == 0:
			out.Add(x.domainFinding(d, "missing", fmt.Sprintf("%s has no SPF record (no TXT starting with v=spf1)", d),
				map[string]any{"expected": "v=spf1 include:" + strings.Join(prm.RequiredIncludes, " ") + " -all"}))
			return
		case res.Count > 1:
			out.Add(x.domainFinding(d, "multiple", fmt.Sprintf("%s has %d SPF records; RFC 7208 §4.5 allows one (receivers return permerror)", d, res.Count),
				map[string]any{"observed": res.Count, "threshold": 1}))
			return
		}
		if len(prm.RequiredIncludes) > 0 {
			ok := false
			for _, inc := range prm.RequiredIncludes {
				if res.HasInclude(inc) {
					ok = true
				}
			}
			if !ok {
				out.Add(x.domainFinding(d, "include", fmt.Sprintf("SPF of %s does not include %s: mail sent by the service will fail SPF", d, strings.Join(prm.RequiredIncludes, " or ")),
					map[string]any{"observed": res.Record, "expected": "include:" + prm.RequiredIncludes[0]}))
			}
		}
		if res.Lookups > prm.MaxLookups {
			out.Add(x.domainFinding(d, "lookups", fmt.Sprintf("SPF of %s needs %d DNS lookups after expanding includes, above the limit of %d (permerror, RFC 7208 §4.6.4)", d, res.Lookups, prm.MaxLookups),
				map[string]any{"observed": res.Lookups, "threshold": prm.MaxLookups, "includes": res.Includes}))
		}
		if res.Voids > prm.MaxVoidLookups {
			out.Add(x.domainFinding(d, "void", fmt.Sprintf("SPF of %s makes %d void lookups (NXDOMAIN or no data), above the limit of %d (permerror, RFC 7208 §4.6.4)", d, res.Voids, prm.MaxVoidLookups),
				map[string]any{"observed": res.Voids, "threshold": prm.MaxVoidLookups}))
		}
		if len(res.Syntax) > 0 {
			out.Add(x.domainFinding(d, "syntax", fmt.Sprintf("SPF of %s has errors: %s", d, strings.Join(res.Syntax, "; ")),
				map[string]any{"observed": res.Record, "errors": res.Syntax}))
		}
	}), nil
}

// DNS-004.
type autodiscoverParams struct {
	ExpectedCNAME string `json:"expected_cname"`
}

func newAutodiscoverCheck(prm autodiscoverParams, env Env) (Check, error) {
	return dnsCheck(func(x *dnsIndex, d string, out *Output) {
		cn := x.need(out, d, "autodiscover."+d, "CNAME")
		srv := x.need(out, d, "_autodiscover._tcp."+d, "SRV")
		if cn == nil || srv == nil {
			return
		}
		hasCN := cn.Outcome == snapshot.LookupFound
		hasSRV := srv.Outcome == snapshot.LookupFound
		ev := map[string]any{"cname": cn.Answers, "srv": srv.Answers}
		switch {
		case hasCN && hasSRV:
			out.Add(x.domainFinding(d, "both", fmt.Sprintf("%s has both an autodiscover CNAME and an _autodiscover._tcp SRV record: use one, never both", d), ev))
			return
		case !hasCN && !hasSRV:
			msg := fmt.Sprintf("%s has no autodiscover CNAME and no _autodiscover._tcp SRV record: Outlook cannot find the mailbox", d)
			if cn.Outcome == snapshot.LookupNoData {
				msg = fmt.Sprintf("autodiscover.%s exists but is no CNAME, and there is no _autodiscover._tcp SRV record", d)
			}
			if prm.ExpectedCNAME != "" {
				ev["expected"] = prm.ExpectedCNAME
			}
			out.Add(x.domainFinding(d, "missing", msg, ev))
			return
		}
		if hasCN && prm.ExpectedCNAME != "" {
			want := strings.ToLower(prm.ExpectedCNAME)
			if len(cn.Answers) > 0 && cn.Answers[0] != want {
				f := x.domainFinding(d, "target", fmt.Sprintf("autodiscover.%s points at %s, not %s", d, cn.Answers[0], want),
					map[string]any{"observed": cn.Answers[0], "expected": want, "phase": env.Phase})
				if env.Phase != "post-cutover" {
					f.Message += " (change it at cutover)"
					f.Severity = model.SeverityLow
				}
				out.Add(f)
			}
		}
	}), nil
}

// DNS-005.
type teamsRecord struct {
	Name   string `json:"name"`
	Type   string `json:"type"`
	Target string `json:"target"`
	Port   int    `json:"port,omitempty"`
}

type teamsParams struct {
	Records []teamsRecord `json:"records"`
}

func newTeamsCheck(prm teamsParams, _ Env) (Check, error) {
	if len(prm.Records) == 0 {
		return nil, fmt.Errorf("param records is empty")
	}
	return dnsCheck(func(x *dnsIndex, d string, out *Output) {
		for _, want := range prm.Records {
			name := want.Name + "." + d
			r := x.need(out, d, name, want.Type)
			if r == nil {
				continue
			}
			exp := strings.ToLower(want.Target)
			if want.Port > 0 {
				exp = fmt.Sprintf("%s:%d", exp, want.Port)
			}
			ev := map[string]any{"record": want.Type + " " + name, "expected": exp, "observed": r.Answers}
			if r.Outcome != snapshot.LookupFound {
				out.Add(x.domainFinding(d, want.Type+" "+want.Name, fmt.Sprintf("%s %s is missing (%s); expected %s", want.Type, name, r.Outcome, exp), ev))
				continue
			}
			ok := false
			for _, a := range r.Answers {
				if want.Type == "SRV" {
					var prio, weight, port int
					var target string
					if _, err := fmt.Sscanf(a, "%d %d %d %s", &prio, &weight, &port, &target); err == nil &&
						target == strings.ToLower(want.Target) && (want.Port == 0 || port == want.Port) {
						ok = true
					}
				} else if a == strings.ToLower(want.Target) {
					ok = true
				}
			}
			if !ok {
				out.Add(x.domainFinding(d, want.Type+" "+want.Name, fmt.Sprintf("%s %s is %s; expected %s", want.Type, name, strings.Join(r.Answers, ", "), exp), ev))
			}
		}
	}), nil
}

// DNS-006.
type msTXTParams struct {
	Prefix string `json:"prefix"`
}

func newMSTXTCheck(prm msTXTParams, _ Env) (Check, error) {
	if prm.Prefix == "" {
		return nil, fmt.Errorf("param prefix missing")
	}
	return dnsCheck(func(x *dnsIndex, d string, out *Output) {
		r := x.need(out, d, d, "TXT")
		if r == nil {
			return
		}
		for _, a := range r.Answers {
			if strings.HasPrefix(strings.ToLower(a), strings.ToLower(prm.Prefix)) {
				return
			}
		}
		out.Add(x.domainFinding(d, "", fmt.Sprintf("%s has no %s… verification TXT record (needed to add the domain to the tenant, unless it is verified otherwise)", d, prm.Prefix),
			map[string]any{"observed": r.Answers, "expected": prm.Prefix + "…"}))
	}), nil
}
