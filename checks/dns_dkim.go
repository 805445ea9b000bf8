package checks

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/snapshot"
)

// NormalizeTenant checks a tenant name given by --tenant or the
// configuration: the prefix of the initial domain (fabrikam for
// fabrikam.onmicrosoft.com; the full initial domain is accepted and cut).
func NormalizeTenant(s string) (string, error) {
	t := strings.ToLower(strings.TrimSuffix(strings.TrimSpace(s), "."))
	t = strings.TrimSuffix(t, ".onmicrosoft.com")
	if t == "" || len(t) > 63 || t[0] == '-' || t[len(t)-1] == '-' {
		return "", errors.New("want the prefix of the tenant's initial domain, e.g. fabrikam for fabrikam.onmicrosoft.com")
	}
	for i := 0; i < len(t); i++ {
		if c := t[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return "", fmt.Errorf("%q is not allowed: want letters, digits and hyphens (the prefix of NAME.onmicrosoft.com)", rune(c))
		}
	}
	return t, nil
}

// tenantsSeen counts the tenant prefixes of the onmicrosoft.com addresses
// of directory users and groups (contacts' addresses belong to others).
type tenantsSeen map[string]int

func (ts tenantsSeen) observe(r *snapshot.Record) {
	o := r.Dir
	if o == nil || o.Kind == snapshot.KindContact {
		return
	}
	_, all := o.SMTPAddresses()
	if upn := o.First("userprincipalname"); upn != "" {
		all = append(all, upn)
	}
	for _, a := range all {
		_, dom, ok := strings.Cut(strings.ToLower(a), "@")
		if !ok {
			continue
		}
		p, ok := strings.CutSuffix(strings.TrimSuffix(dom, "."), ".onmicrosoft.com")
		if !ok {
			continue
		}
		p = strings.TrimSuffix(p, ".mail")
		if p != "" && !strings.Contains(p, ".") {
			ts[p]++
		}
	}
}

// pick returns the most frequent tenant and a note naming the others.
func (ts tenantsSeen) pick() (string, string) {
	if len(ts) == 0 {
		return "", ""
	}
	names := make([]string, 0, len(ts))
	for n := range ts {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		if ts[names[i]] != ts[names[j]] {
			return ts[names[i]] > ts[names[j]]
		}
		return names[i] < names[j]
	})
	from := fmt.Sprintf("the directory's onmicrosoft.com addresses (%d of %s.onmicrosoft.com", ts[names[0]], names[0])
	if len(names) > 1 {
		from += "; also seen: " + strings.Join(names[1:], ", ")
	}
	return names[0], from + ")"
}

// DNS-008.
type dkimParams struct {
	// Selectors are the selectors Exchange Online signs with.
	Selectors []string `json:"selectors"`
	// LegacySuffix is the zone of the CNAME targets of domains added
	// before May 2025 (<tenant>.onmicrosoft.com).
	LegacySuffix string `json:"legacy_suffix"`
	// NewSuffix is the zone of the newer targets
	// (<tenant>.<x>-v1.dkim.mail.microsoft).
	NewSuffix string `json:"new_suffix"`
}

// dkimTarget classifies a selector CNAME target.
type dkimTarget struct {
	legacy, modern *regexp.Regexp
}

func newDKIMTarget(prm dkimParams, sel, domain, tenant string) dkimTarget {
	t := "[a-z0-9-]+"
	if tenant != "" {
		t = regexp.QuoteMeta(tenant)
	}
	head := "^" + regexp.QuoteMeta(sel+"-"+dashed(domain)) + `\._domainkey\.` + t + `\.`
	return dkimTarget{
		legacy: regexp.MustCompile(head + regexp.QuoteMeta(prm.LegacySuffix) + `$`),
		modern: regexp.MustCompile(head + `[a-z0-9]+-v1\.` + regexp.QuoteMeta(prm.NewSuffix) + `$`),
	}
}

func (dt dkimTarget) matches(target string) bool {
	return dt.legacy.MatchString(target) || dt.modern.MatchString(target)
}

func newDKIMCheck(prm dkimParams, env Env) (Check, error) {
	if len(prm.Selectors) == 0 || prm.LegacySuffix == "" || prm.NewSuffix == "" {
		return nil, errors.New("params selectors, legacy_suffix and new_suffix must be set")
	}
	post := env.Phase == "post-cutover"
	x := newDNSIndex()
	seen := tenantsSeen{}
	return Funcs{
		ObserveFunc: func(r *snapshot.Record, _ *Output) {
			x.observe(r)
			if env.Tenant == "" {
				seen.observe(r)
			}
		},
		FinishFunc: func(out *Output) {
			names := x.names()
			if len(names) == 0 {
				out.Skip("no mail domain was looked up (give --domain or scan a directory)")
				return
			}
			tenant, from := env.Tenant, "--tenant or the configuration"
			if tenant == "" {
				tenant, from = seen.pick()
			}
			for _, d := range names {
				out.Judged(1)
				judgeDKIM(x, d, prm, tenant, from, post, out)
			}
		},
	}, nil
}

func judgeDKIM(x *dnsIndex, d string, prm dkimParams, tenant, from string, post bool, out *Output) {
	type sel struct {
		name, target, expected string
		ok                     bool
	}
	var sels []sel
	for _, s := range prm.Selectors {
		name := s + "._domainkey." + d
		r := x.need(out, d, name, "CNAME")
		if r == nil {
			return
		}
		t := "<tenant>"
		if tenant != "" {
			t = tenant
		}
		cur := sel{name: name, expected: s + "-" + dashed(d) + "._domainkey." + t + "." + prm.LegacySuffix}
		if r.Outcome == snapshot.LookupFound && len(r.Answers) > 0 {
			cur.target = strings.ToLower(strings.TrimSuffix(r.Answers[0], "."))
			cur.ok = newDKIMTarget(prm, s, d, tenant).matches(cur.target)
		}
		sels = append(sels, cur)
	}
	var missing, wrong []string
	ev := map[string]any{"tenant": tenant, "tenant_from": from}
	obs := map[string]any{}
	for _, s := range sels {
		switch {
		case s.target == "":
			missing = append(missing, s.name)
			obs[s.name] = nil
		case !s.ok:
			wrong = append(wrong, fmt.Sprintf("%s points at %s", s.name, s.target))
			obs[s.name] = s.target
		default:
			obs[s.name] = s.target
		}
	}
	ev["observed"] = obs
	if tenant == "" {
		ev["tenant"] = nil
		ev["tenant_from"] = "unknown: give --tenant NAME (the prefix of NAME.onmicrosoft.com)"
	}
	if len(missing) == 0 && len(wrong) == 0 {
		return
	}
	var exp []string
	for _, s := range sels {
		exp = append(exp, "CNAME "+s.name+" → "+s.expected)
	}
	ev["expected"] = exp
	keys := providerKeys(x, d, prm)
	ev["current_dkim_selectors"] = keys
	who := "tenant " + tenant + " (from " + from + ")"
	if tenant == "" {
		who = "the tenant (unknown: give --tenant NAME)"
	}
	var parts []string
	if len(missing) > 0 {
		parts = append(parts, strings.Join(missing, " and ")+" do not exist yet")
	}
	if len(wrong) > 0 {
		parts = append(parts, strings.Join(wrong, "; ")+", not at "+who)
	}
	msg := fmt.Sprintf("DKIM for Microsoft 365 of %s: %s; publish %s (or the newer *.dkim.mail.microsoft targets the Defender portal or Get-DkimSigningConfig shows for domains added since May 2025)",
		d, strings.Join(parts, "; "), strings.Join(exp, " and "))
	f := x.domainFinding(d, "dkim", "", ev)
	if post {
		// The rule's severity (medium): the catalogue's "after cutover".
		msg += ": after the cutover Exchange Online cannot DKIM-sign the domain's mail, so DMARC relies on SPF alone"
	} else {
		f.Severity = model.SeverityInfo
		msg += " before DKIM signing is enabled in Microsoft 365"
	}
	if len(keys) > 0 {
		msg += "; the current provider publishes DKIM keys at " + strings.Join(keys, ", ") + ": keep them until its mail stops"
	} else {
		msg += "; no DKIM key was found at the well-known selectors"
	}
	f.Message = msg
	out.Add(f)
}

// providerKeys lists the selectors under _domainkey.<d> whose TXT holds
// a DKIM key, except those that are the service's own CNAMEs.
func providerKeys(x *dnsIndex, d string, prm dkimParams) []string {
	own := map[string]bool{}
	for _, s := range prm.Selectors {
		if c := x.get(d, s+"._domainkey."+d, "CNAME"); c != nil && c.Outcome == snapshot.LookupFound {
			own[s] = true
		}
	}
	var keys []string
	suffix := "._domainkey." + d
	for _, r := range x.domains[d] {
		if r.Type != "TXT" || r.Outcome != snapshot.LookupFound || r.Authoritative || !strings.HasSuffix(r.Name, suffix) {
			continue
		}
		s := strings.TrimSuffix(r.Name, suffix)
		if own[s] || strings.Contains(s, ".") {
			continue
		}
		for _, a := range r.Answers {
			if l := strings.ToLower(a); strings.Contains(l, "v=dkim1") || strings.Contains(l, "p=") {
				keys = append(keys, s+"._domainkey")
				break
			}
		}
	}
	sort.Strings(keys)
	return keys
}
