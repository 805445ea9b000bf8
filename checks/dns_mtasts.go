package checks

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/preflight-scan/preflight/mailauth/mtasts"
	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/snapshot"
)

// DNS-009.
type mtaSTSParams struct {
	// ExpectedMX is the service's MX host ({domain}, {dashed}).
	ExpectedMX string `json:"expected_mx"`
	// AddPatterns are the mx: lines a policy needs for the service.
	AddPatterns []string `json:"add_patterns"`
	// AcceptSuffixes are further MX zones a pattern may cover instead
	// (the DNSSEC host <dashed>.<x>-v1.mx.microsoft).
	AcceptSuffixes []string `json:"accept_suffixes"`
}

// coversService reports whether an mx pattern covers the service's MX
// host, or a host of the domain under one of the accepted suffixes
// (<dashed>.<label>.<suffix>).
func (p mtaSTSParams) coversService(pattern, d string) bool {
	if mtasts.Matches(pattern, expand(p.ExpectedMX, d)) {
		return true
	}
	pattern = strings.ToLower(pattern)
	for _, s := range p.AcceptSuffixes {
		s = strings.ToLower(strings.TrimPrefix(s, "."))
		if mtasts.Matches(pattern, dashed(d)+"."+s) {
			return true
		}
		head, ok := strings.CutSuffix(pattern, "."+s)
		if !ok {
			continue
		}
		// head is "*.x-v1", "<dashed>.x-v1" or "*"
		first, rest, two := strings.Cut(head, ".")
		if two && !strings.Contains(rest, ".") && rest != "" && (first == "*" || first == dashed(d)) {
			return true
		}
	}
	return false
}

func newMTASTSCheck(prm mtaSTSParams, env Env) (Check, error) {
	if prm.ExpectedMX == "" || len(prm.AddPatterns) == 0 {
		return nil, errors.New("params expected_mx and add_patterns must be set")
	}
	return dnsCheck(func(x *dnsIndex, d string, out *Output) {
		r := x.need(out, d, mtasts.TXTName(d), "TXT")
		if r == nil {
			return
		}
		recs := mtasts.SelectRecords(r.Answers)
		if len(recs) == 0 {
			return // no MTA-STS: senders do not require TLS to the MX
		}
		rpt := x.need(out, d, mtasts.TLSRPTName(d), "TXT")
		if rpt == nil {
			return
		}
		tlsrpt := describeTLSRPT(rpt, d)
		ev := map[string]any{"record": mtasts.TXTName(d), "observed": recs, "tls_rpt": tlsrpt}
		if len(recs) > 1 {
			out.Add(x.domainFinding(d, "record", fmt.Sprintf("%s has %d MTA-STS records, so senders ignore MTA-STS for the domain (RFC 8461 §3.1); %s", mtasts.TXTName(d), len(recs), tlsrpt), ev))
			return
		}
		rec := mtasts.ParseRecord(recs[0])
		url := mtasts.PolicyURL(d)
		pr := x.need(out, d, url, mtasts.PolicyType)
		if pr == nil {
			return
		}
		ev["policy_url"] = url
		if pr.Outcome != snapshot.LookupFound || len(pr.Answers) == 0 {
			f := x.domainFinding(d, "policy", fmt.Sprintf("%s publishes an MTA-STS record but no policy (%s: %s): senders that cached an earlier policy keep applying it until its max_age ends; %s", d, url, pr.Error, tlsrpt), ev)
			f.Severity = model.SeverityLow
			out.Add(f)
			return
		}
		pol := mtasts.ParsePolicy(pr.Answers[0])
		ev["mode"], ev["mx"], ev["max_age"] = pol.Mode, pol.MX, pol.MaxAge
		var defects []string
		defects = append(defects, rec.Problems...)
		defects = append(defects, pol.Problems...)
		if pr.Error != "" {
			defects = append(defects, pr.Error)
		}
		if !pol.Valid() || len(rec.Problems) > 0 {
			ev["errors"] = defects
			f := x.domainFinding(d, "invalid", fmt.Sprintf("MTA-STS of %s is invalid, so senders ignore it: %s; %s", d, strings.Join(defects, "; "), tlsrpt), ev)
			f.Severity = model.SeverityLow
			out.Add(f)
			return
		}
		covered := false
		for _, m := range pol.MX {
			if prm.coversService(m, d) {
				covered = true
			}
		}
		if covered || pol.Mode == "none" {
			return
		}
		want := expand(prm.ExpectedMX, d)
		var add []string
		for _, a := range prm.AddPatterns {
			add = append(add, "mx: "+expand(a, d))
		}
		ev["expected"] = want
		ev["add_lines"] = add
		wait := time.Duration(pol.MaxAge) * time.Second
		ev["wait_seconds"] = pol.MaxAge
		days := fmt.Sprintf("%.1f days", wait.Hours()/24)
		if pol.Mode == "testing" {
			f := x.domainFinding(d, "testing", fmt.Sprintf("MTA-STS policy of %s is in testing mode with mx: %s, which does not match %s: senders only report the failures after the MX change (no mail is refused); add %s before switching to enforce; %s",
				d, strings.Join(pol.MX, ", "), want, lines(add), tlsrpt), ev)
			f.Severity = model.SeverityInfo
			out.Add(f)
			return
		}
		when := ""
		if !env.CutoverDate.IsZero() {
			by := env.Cutover().Add(-wait)
			ev["publish_by"] = by.UTC().Format(time.RFC3339)
			when = fmt.Sprintf(" (by %s for the cutover on %s)", by.UTC().Format("2006-01-02 15:04 MST"), env.Cutover().Format("2006-01-02"))
			if env.Now.After(by) {
				when += "; that time has already passed"
			}
		}
		msg := fmt.Sprintf("MTA-STS policy of %s is mode enforce with mx: %s, none of which matches %s: once the MX points there every MTA-STS-honouring sender refuses to deliver. Add %s to %s, change id=%s in %s TXT, and wait out max_age %d s (%s, senders cache the old policy that long) before changing the MX%s; %s",
			d, strings.Join(pol.MX, ", "), want, lines(add), url, rec.ID, mtasts.TXTName(d), pol.MaxAge, days, when, tlsrpt)
		if env.Phase == "post-cutover" {
			msg = fmt.Sprintf("MTA-STS policy of %s is mode enforce with mx: %s, none of which matches %s: MTA-STS-honouring senders refuse to deliver to the new MX. Add %s to %s and change id=%s in %s TXT now; senders holding the old policy keep refusing for up to max_age %d s (%s); %s",
				d, strings.Join(pol.MX, ", "), want, lines(add), url, rec.ID, mtasts.TXTName(d), pol.MaxAge, days, tlsrpt)
		}
		out.Add(x.domainFinding(d, "enforce", msg, ev))
	}), nil
}

// lines quotes policy lines for a message.
func lines(ls []string) string {
	q := make([]string, len(ls))
	for i, l := range ls {
		q[i] = fmt.Sprintf("%q", l)
	}
	return strings.Join(q, " and ")
}

// describeTLSRPT says where TLS failures are reported (RFC 8460).
func describeTLSRPT(r *snapshot.DNSResult, d string) string {
	recs := mtasts.SelectTLSRPT(r.Answers)
	switch {
	case len(recs) == 0:
		return fmt.Sprintf("no TLS-RPT record at %s (RFC 8460), so delivery failures go unreported", mtasts.TLSRPTName(d))
	case len(recs) > 1:
		return fmt.Sprintf("%s has %d TLS-RPT records, which senders ignore (RFC 8460 §3)", mtasts.TLSRPTName(d), len(recs))
	}
	t := mtasts.ParseTLSRPT(recs[0])
	if len(t.Problems) > 0 {
		return fmt.Sprintf("TLS-RPT record at %s is invalid: %s", mtasts.TLSRPTName(d), strings.Join(t.Problems, "; "))
	}
	return fmt.Sprintf("TLS-RPT reports go to %s", strings.Join(t.RUA, ", "))
}
