package checks

import (
	"fmt"
	"sort"
	"strings"

	"github.com/preflight-scan/preflight/mailauth/spf"
	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/snapshot"
)

// dnsIndex keeps the DNS answers of a snapshot per mail domain, so that a
// check can judge a domain once all its answers are in. It holds only DNS
// records (a few dozen per domain).
type dnsIndex struct {
	domains map[string]map[string]*snapshot.DNSResult
}

func newDNSIndex() *dnsIndex {
	return &dnsIndex{domains: map[string]map[string]*snapshot.DNSResult{}}
}

func dnsKey(name, qtype string) string {
	return strings.ToLower(strings.TrimSuffix(name, ".")) + "/" + strings.ToUpper(qtype)
}

func (x *dnsIndex) observe(r *snapshot.Record) {
	if r.DNS == nil || r.DNS.Domain == "" {
		return
	}
	d := strings.ToLower(r.DNS.Domain)
	m := x.domains[d]
	if m == nil {
		m = map[string]*snapshot.DNSResult{}
		x.domains[d] = m
	}
	c := *r.DNS
	c.Answers = append([]string(nil), r.DNS.Answers...)
	c.SeenIn = append([]string(nil), r.DNS.SeenIn...)
	k := dnsKey(c.Name, c.Type)
	if c.Authoritative {
		k += "/auth"
	}
	m[k] = &c
}

// getAuth returns the answer to name/qtype that a name server of the
// domain gave without recursion, or nil when none was asked.
func (x *dnsIndex) getAuth(domain, name, qtype string) *snapshot.DNSResult {
	return x.domains[domain][dnsKey(name, qtype)+"/auth"]
}

// names returns the domains in order.
func (x *dnsIndex) names() []string {
	out := make([]string, 0, len(x.domains))
	for d := range x.domains {
		out = append(out, d)
	}
	sort.Strings(out)
	return out
}

// get returns the answer to name/qtype recorded for domain.
func (x *dnsIndex) get(domain, name, qtype string) *snapshot.DNSResult {
	return x.domains[domain][dnsKey(name, qtype)]
}

// need returns the answer to name/qtype, or reports on out why the check
// cannot use it (not recorded, or a failed lookup) and returns nil. A nil
// return must never lead to a finding or a pass for that domain.
func (x *dnsIndex) need(out *Output, domain, name, qtype string) *snapshot.DNSResult {
	r := x.get(domain, name, qtype)
	if r == nil {
		out.Fail("%s: %s %s was not looked up (snapshot lacks it)", domain, qtype, name)
		return nil
	}
	if isLookupFailure(r.Outcome) {
		msg := fmt.Sprintf("%s: %s %s lookup failed: %s", domain, qtype, name, r.Outcome)
		if r.Error != "" {
			msg += " (" + r.Error + ")"
		}
		out.Fail("%s", msg)
		return nil
	}
	return r
}

// seenIn returns where the domain was found.
func (x *dnsIndex) seenIn(domain string) []string {
	if r := x.get(domain, domain, "MX"); r != nil {
		return r.SeenIn
	}
	return nil
}

// spf analyses domain's SPF policy from the recorded answers.
func (x *dnsIndex) spf(domain string) *spf.Result {
	return spf.Analyse(domain, func(name, qtype string) spf.Response {
		r := x.get(domain, name, qtype)
		if r == nil {
			return spf.Response{Outcome: snapshot.LookupError, Err: "not recorded in the snapshot"}
		}
		return spf.Response{Outcome: r.Outcome, Records: r.Answers, Err: r.Error}
	})
}

func isLookupFailure(outcome string) bool {
	switch outcome {
	case snapshot.LookupFound, snapshot.LookupNXDomain, snapshot.LookupNoData:
		return false
	}
	return true
}

// domainFinding starts a finding about a mail domain.
func (x *dnsIndex) domainFinding(domain, key, msg string, ev map[string]any) Finding {
	if ev == nil {
		ev = map[string]any{}
	}
	if s := x.seenIn(domain); len(s) > 0 {
		ev["seen_in"] = s
	}
	return Finding{Object: model.Object{Kind: "domain", ID: domain}, Key: key, Message: msg, Evidence: ev}
}

// mxHosts parses recorded MX answers ("PREF HOST") into hosts sorted by
// preference; the second result holds the most preferred hosts.
func mxHosts(answers []string) (all []string, top []string) {
	best := -1
	type mx struct {
		pref int
		host string
	}
	var ms []mx
	for _, a := range answers {
		var p int
		var h string
		if _, err := fmt.Sscanf(a, "%d %s", &p, &h); err != nil {
			continue
		}
		ms = append(ms, mx{p, strings.TrimSuffix(strings.ToLower(h), ".")})
	}
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].pref < ms[j].pref })
	for _, m := range ms {
		all = append(all, fmt.Sprintf("%d %s", m.pref, m.host))
		if best < 0 || m.pref == best {
			best = m.pref
			top = append(top, m.host)
		}
	}
	return all, top
}
