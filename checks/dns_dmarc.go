package checks

import (
	"fmt"
	"strings"

	"github.com/preflight-scan/preflight/mailauth/dmarc"
	"github.com/preflight-scan/preflight/snapshot"
)

// DNS-007.
type dmarcParams struct {
	WeakPolicies []string `json:"weak_policies"`
}

func newDMARCCheck(prm dmarcParams, _ Env) (Check, error) {
	return dnsCheck(func(x *dnsIndex, d string, out *Output) {
		r := x.need(out, d, dmarc.Name(d), "TXT")
		if r == nil {
			return
		}
		recs, misplaced := dmarc.Select(r.Answers)
		policyDomain := d
		inherited := false
		if len(recs) == 0 && len(misplaced) == 0 {
			// RFC 7489 §6.6.3: a domain without a record falls back to
			// its organisational domain's.
			if org := dmarc.OrgDomain(d); org != d {
				o := x.need(out, d, dmarc.Name(org), "TXT")
				if o == nil {
					return
				}
				recs, misplaced = dmarc.Select(o.Answers)
				policyDomain, inherited = org, true
			}
		}
		ev := map[string]any{"record": dmarc.Name(policyDomain)}
		switch {
		case len(recs) == 0 && len(misplaced) > 0:
			ev["observed"] = misplaced
			out.Add(x.domainFinding(d, "invalid", fmt.Sprintf("%s has a DMARC record that does not start with v=DMARC1, so receivers discard it: tag v= must be first (RFC 7489 §6.4, §6.6.3)", dmarc.Name(policyDomain)), ev))
			return
		case len(recs) == 0:
			msg := fmt.Sprintf("_dmarc.%s has no DMARC record (%s)", d, r.Outcome)
			if inherited {
				msg = fmt.Sprintf("_dmarc.%s has no DMARC record (%s) and neither has its organisational domain %s", d, r.Outcome, policyDomain)
			}
			ev["observed"] = r.Answers
			out.Add(x.domainFinding(d, "missing", msg, ev))
			return
		case len(recs) > 1:
			ev["observed"] = recs
			out.Add(x.domainFinding(d, "multiple", fmt.Sprintf("%s has %d DMARC records: receivers ignore them all (RFC 7489 §6.6.3)", dmarc.Name(policyDomain), len(recs)), ev))
			return
		}
		rec := dmarc.Parse(recs[0])
		ev["observed"] = rec.Raw
		of := "DMARC record of " + d
		if inherited {
			of = fmt.Sprintf("DMARC record of %s (inherited from the organisational domain %s)", d, policyDomain)
			ev["inherited_from"] = policyDomain
		}
		if len(rec.Problems) > 0 {
			ev["errors"] = rec.Problems
			out.Add(x.domainFinding(d, "invalid", fmt.Sprintf("%s is invalid: %s", of, strings.Join(rec.Problems, "; ")), ev))
		}
		// External report destinations must authorise the reports.
		for _, dest := range rec.Destinations(policyDomain) {
			name := dmarc.ReportAuthName(policyDomain, dest)
			a := x.need(out, d, name, "TXT")
			if a == nil {
				continue
			}
			if a.Outcome == snapshot.LookupFound && dmarc.Authorises(a.Answers) {
				continue
			}
			out.Add(x.domainFinding(d, "report:"+dest, fmt.Sprintf("%s sends reports to %s, which does not accept them: %s TXT has no v=DMARC1 record (%s), so receivers drop the reports (RFC 7489 §7.1)", of, dest, name, a.Outcome),
				map[string]any{"record": dmarc.Name(policyDomain), "destination": dest, "expected": name + " TXT \"v=DMARC1\"", "observed": a.Answers}))
		}
		pol := rec.P
		if inherited && rec.SP != "" {
			pol = rec.SP
		}
		for _, w := range prm.WeakPolicies {
			if pol != "" && pol == strings.ToLower(w) {
				tag := "p"
				if inherited && rec.SP != "" {
					tag = "sp"
				}
				who := d
				if inherited {
					who = fmt.Sprintf("%s (inherited from the organisational domain %s)", d, policyDomain)
				}
				out.Add(x.domainFinding(d, "policy", fmt.Sprintf("DMARC policy of %s is %s=%s: spoofed mail is not rejected", who, tag, pol),
					map[string]any{"observed": rec.Raw, "threshold": "p=quarantine or p=reject"}))
			}
		}
	}), nil
}
