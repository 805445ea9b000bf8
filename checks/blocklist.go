package checks

import (
	"fmt"
	"sort"
	"strings"

	"github.com/preflight-scan/preflight/blocklist"
	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/snapshot"
)

// addBlocklist registers the blocklist checks.
func addBlocklist(r Registry) {
	r["blocklist.ip"] = Typed(func(p BlocklistParams, _ Env) (Check, error) { return newBlocklistCheck(p, "ip") })
	r["blocklist.domain"] = Typed(func(p BlocklistParams, _ Env) (Check, error) { return newBlocklistCheck(p, "domain") })
}

// BlocklistParams are BL-001 / BL-002's parameters. DefaultZones is read
// by the command line (the zones asked when --dnsbl-zone / --rhsbl-zone
// is not given); Zones decodes answers (the blocklist collector reads
// them too).
type BlocklistParams struct {
	DefaultZones []string                      `json:"default_zones"`
	Zones        map[string]blocklist.ZoneInfo `json:"zones"`
}

type zoneState struct {
	selfTests map[string]*snapshot.BlocklistResult
	listed    []*snapshot.BlocklistResult
	// zoneErr is the first error code the zone answered a subject with
	// (refused, rate limited); zoneErrs counts them. The zone's other
	// answers still count: a listing is not discarded because another
	// query was refused.
	zoneErr  string
	zoneErrs int
	// selfErr is an error code answered to a self-test query: then no
	// answer of the zone can be trusted.
	selfErr   string
	failures  int
	firstFail string
	subjects  int
}

type blocklistCheck struct {
	kind  string
	prm   BlocklistParams
	zones map[string]*zoneState
	// MX hosts and failed address lookups, to report subjects that could
	// not be looked up because their address is unknown (ip lists only).
	mxHosts    map[string]bool
	addrFailed map[string]string
}

func newBlocklistCheck(p BlocklistParams, kind string) (Check, error) {
	return &blocklistCheck{kind: kind, prm: p, zones: map[string]*zoneState{}, mxHosts: map[string]bool{}, addrFailed: map[string]string{}}, nil
}

func (c *blocklistCheck) zone(name string) *zoneState {
	z := c.zones[name]
	if z == nil {
		z = &zoneState{selfTests: map[string]*snapshot.BlocklistResult{}}
		c.zones[name] = z
	}
	return z
}

func (c *blocklistCheck) Observe(r *snapshot.Record, _ *Output) {
	if r.DNS != nil && c.kind == "ip" {
		d := r.DNS
		switch {
		case d.Type == "MX" && d.Outcome == snapshot.LookupFound:
			all, _ := mxHosts(d.Answers)
			for _, a := range all {
				if _, h, ok := strings.Cut(a, " "); ok && h != "" && h != "." {
					c.mxHosts[h] = true
				}
			}
		case (d.Type == "A" || d.Type == "AAAA") && isLookupFailure(d.Outcome):
			c.addrFailed[strings.ToLower(d.Name)] = fmt.Sprintf("%s %s: %s %s", d.Type, d.Name, d.Outcome, d.Error)
		}
		return
	}
	b := r.Blocklist
	if b == nil || b.Kind != c.kind {
		return
	}
	z := c.zone(strings.ToLower(b.Zone))
	if b.SelfTest {
		cp := *b
		z.selfTests[strings.ToLower(b.Subject)] = &cp
	} else {
		z.subjects++
	}
	if isLookupFailure(b.Outcome) {
		if !b.SelfTest {
			z.failures++
			if z.firstFail == "" {
				z.firstFail = fmt.Sprintf("%s: %s %s", b.Subject, b.Outcome, b.Error)
			}
		}
		return
	}
	if b.Outcome != snapshot.LookupFound {
		return
	}
	v := blocklist.Decode(c.prm.Zones[strings.ToLower(b.Zone)], b.Answers)
	if v.ZoneError != "" {
		switch {
		case b.SelfTest:
			if z.selfErr == "" {
				z.selfErr = fmt.Sprintf("%s for the self-test %s", v.ZoneError, b.Subject)
			}
		default:
			z.zoneErrs++
			if z.zoneErr == "" {
				z.zoneErr = fmt.Sprintf("%s for %s", v.ZoneError, b.Subject)
			}
		}
		return
	}
	if !b.SelfTest && v.Listed {
		cp := *b
		cp.Meaning = v.Meaning
		z.listed = append(z.listed, &cp)
	}
}

func (c *blocklistCheck) Finish(out *Output) {
	for h := range c.mxHosts {
		if why, ok := c.addrFailed[h]; ok {
			out.Fail("address of MX host %s unknown, so not looked up: %s", h, why)
		}
	}
	names := make([]string, 0, len(c.zones))
	subjects := 0
	for n, z := range c.zones {
		names = append(names, n)
		subjects += z.subjects
	}
	sort.Strings(names)
	if subjects == 0 && len(out.Errors) == 0 {
		what := "sending address (no MX address found and no --egress-ip)"
		if c.kind == "domain" {
			what = "mail domain"
		}
		out.Skip("no %s was looked up in a blocklist", what)
		return
	}
	for _, n := range names {
		z := c.zones[n]
		if reason := c.distrust(z); reason != "" {
			out.Fail("blocklist %s not used: %s", n, reason)
			continue
		}
		if z.failures > 0 {
			out.Fail("blocklist %s: %d lookups failed (first: %s)", n, z.failures, z.firstFail)
		}
		if z.zoneErrs > 0 {
			out.Fail("blocklist %s answered %d of %d lookups with an error code, so those subjects were not judged (first: %s)", n, z.zoneErrs, z.subjects, z.zoneErr)
		}
		out.Judged(int64(z.subjects - z.failures - z.zoneErrs))
		info := c.prm.Zones[n]
		for _, b := range z.listed {
			obj := model.Object{Kind: "ip", ID: b.Subject, Name: b.Reason}
			if c.kind == "domain" {
				obj = model.Object{Kind: "domain", ID: b.Subject}
			}
			ev := map[string]any{"zone": n, "answers": b.Answers, "meaning": b.Meaning, "reason": b.Reason}
			if info.Note != "" {
				ev["note"] = info.Note
			}
			out.Add(Finding{
				Object: obj, Key: n,
				Message:  fmt.Sprintf("%s is listed on %s: %s", b.Subject, n, strings.Join(b.Meaning, ", ")),
				Evidence: ev, Severity: model.Severity(info.Severity),
			})
		}
	}
}

// distrust returns why a zone's answers cannot be trusted, or "".
func (c *blocklistCheck) distrust(z *zoneState) string {
	if z.selfErr != "" {
		return z.selfErr
	}
	tests := blocklist.SelfTests(c.kind)
	for _, t := range tests {
		r := z.selfTests[t.Subject]
		if r == nil {
			return fmt.Sprintf("the RFC 5782 self-test entry %s was not looked up", t.Subject)
		}
		if isLookupFailure(r.Outcome) {
			return fmt.Sprintf("self-test %s failed: %s %s", t.Subject, r.Outcome, r.Error)
		}
		listed := r.Outcome == snapshot.LookupFound
		switch {
		case t.Listed && !listed:
			return fmt.Sprintf("the zone does not list the RFC 5782 test entry %s (%s): it is dead, misnamed or not a blocklist", t.Subject, r.Outcome)
		case !t.Listed && listed:
			return fmt.Sprintf("the zone lists %s, which RFC 5782 says must never be listed: it lists everything (expired or hijacked zone)", t.Subject)
		}
	}
	return ""
}
