package checks

import (
	"fmt"
	"net/netip"
	"sort"
	"strconv"
	"strings"

	"github.com/preflight-scan/preflight/netrange"
	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/snapshot"
)

// addNetwork registers the network checks.
func addNetwork(r Registry) {
	r["network.reachability"] = Typed(newReachabilityCheck)
	r["network.ranges"] = Typed(newRangesCheck)
	r["network.nat"] = Typed(newNATCheck)
	r["network.tls_interception"] = Typed(newTLSInterceptionCheck)
}

func probeObject(p *snapshot.ProbeResult) model.Object {
	hp := p.Host + ":" + strconv.Itoa(p.Port)
	return model.Object{Kind: "endpoint", ID: hp, Name: p.Purpose}
}

// ReachabilityParams are NET-001's parameters. CoreEndpoints is read by
// the command line (the endpoints --probe-defaults probes).
type ReachabilityParams struct {
	// OptionalSeverity is the severity of an unreachable optional
	// endpoint.
	OptionalSeverity string `json:"optional_severity"`
	// CoreEndpoints are the service endpoints every site must reach.
	CoreEndpoints []CoreEndpoint `json:"core_endpoints"`
	// Ports is the port table of the profile's source (BPOS), shown with
	// the threshold in the report; nothing probes it by itself.
	Ports *PortTable `json:"ports,omitempty"`
}

// CoreEndpoint is one endpoint of NET-001's core list.
type CoreEndpoint struct {
	Host    string `json:"host"`
	Port    int    `json:"port" param:"min=1"`
	Purpose string `json:"purpose"`
}

// PortTable lists the ports a source names: required TCP ports and
// recommended ones.
type PortTable struct {
	TCP         []int `json:"tcp"`
	Recommended []int `json:"recommended,omitempty"`
}

// notProbed returns why the network source probed nothing (the
// probes_not_run fact), or "".
func notProbed(r *snapshot.Record) string {
	if r.Fact != nil && r.Fact.Name == snapshot.FactProbesNotRun {
		return r.Fact.Value
	}
	return ""
}

func newReachabilityCheck(prm ReachabilityParams, _ Env) (Check, error) {
	n := 0
	why := ""
	return Funcs{
		ObserveFunc: func(r *snapshot.Record, out *Output) {
			if w := notProbed(r); w != "" {
				why = w
			}
			pr := r.Probe
			if pr == nil {
				return
			}
			n++
			ev := map[string]any{"outcome": pr.Outcome, "address": pr.Address, "tls": pr.TLS, "required": pr.Required}
			if pr.Error != "" {
				ev["error"] = pr.Error
			}
			hp := pr.Host + ":" + strconv.Itoa(pr.Port)
			var msg string
			if pr.Outcome != snapshot.ProbeDNSError && pr.Outcome != snapshot.ProbeError {
				out.Judged(1)
			}
			switch pr.Outcome {
			case snapshot.ProbeOpen:
				return
			case snapshot.ProbeDNSError, snapshot.ProbeError:
				out.Fail("probe %s could not be made: %s %s", hp, pr.Outcome, pr.Error)
				return
			case snapshot.ProbeRefused:
				msg = fmt.Sprintf("%s refused the connection from this host (nothing listens there, or a firewall rejects it)", hp)
			case snapshot.ProbeTimeout:
				msg = fmt.Sprintf("%s did not answer from this host in time: blocked or filtered on the way (not necessarily down)", hp)
			case snapshot.ProbeReset:
				msg = fmt.Sprintf("%s reset the connection (a firewall or proxy in the path)", hp)
			case snapshot.ProbeTLSError:
				msg = fmt.Sprintf("%s accepted the connection but TLS failed: %s", hp, pr.Error)
			default:
				out.Fail("probe %s: unknown outcome %q", hp, pr.Outcome)
				return
			}
			f := Finding{Object: probeObject(pr), Key: pr.Outcome, Message: msg, Evidence: ev}
			if !pr.Required && prm.OptionalSeverity != "" {
				f.Severity = model.Severity(prm.OptionalSeverity)
			}
			out.Add(f)
		},
		FinishFunc: func(out *Output) {
			switch {
			case n == 0 && why != "":
				out.Skip("probes not run: %s", why)
			case n == 0:
				out.Skip("no endpoint was probed (give --endpoints, --probe or --probe-defaults)")
			}
		},
	}, nil
}

// NET-004.
type tlsParams struct {
	Ports []int `json:"ports"`
}

func newTLSInterceptionCheck(prm tlsParams, _ Env) (Check, error) {
	n := 0
	why := ""
	return Funcs{
		ObserveFunc: func(r *snapshot.Record, out *Output) {
			if w := notProbed(r); w != "" {
				why = w
			}
			pr := r.Probe
			if pr == nil || pr.TLS == "" || pr.Outcome != snapshot.ProbeOpen {
				return
			}
			if len(prm.Ports) > 0 {
				ok := false
				for _, p := range prm.Ports {
					ok = ok || p == pr.Port
				}
				if !ok {
					return
				}
			}
			n++
			out.Judged(1)
			if pr.ChainTrusted {
				return
			}
			out.Add(Finding{
				Object: probeObject(pr),
				Message: fmt.Sprintf("%s:%d presented a certificate issued by %q that the system roots do not trust: a TLS-inspecting proxy re-signs the traffic (exempt the service's ranges from inspection)",
					pr.Host, pr.Port, pr.Issuer),
				Evidence: map[string]any{"issuer": pr.Issuer, "error": pr.Error, "tls": pr.TLS},
			})
		},
		FinishFunc: func(out *Output) {
			switch {
			case n == 0 && why != "":
				out.Skip("probes not run: %s", why)
			case n == 0:
				out.Skip("no TLS endpoint was reached (probe port 443 with --endpoints, --probe or --probe-defaults)")
			}
		},
	}, nil
}

// NET-002.
type rangeParam struct {
	Prefix  string `json:"prefix"`
	Service string `json:"service"`
}

type rangesParams struct {
	Ranges []rangeParam `json:"ranges"`
}

func newRangesCheck(prm rangesParams, _ Env) (Check, error) {
	type req struct {
		p       netip.Prefix
		service string
	}
	var reqs []req
	for _, r := range prm.Ranges {
		pp, err := netrange.ParsePrefix(r.Prefix)
		if err != nil {
			return nil, fmt.Errorf("param ranges: %w", err)
		}
		reqs = append(reqs, req{pp, r.Service})
	}
	var allow []netip.Prefix
	given := false
	bad := ""
	return Funcs{
		ObserveFunc: func(r *snapshot.Record, _ *Output) {
			switch {
			case r.Fact != nil && r.Fact.Name == "firewall_allowlist":
				given = true
			case r.Fact != nil && r.Fact.Name == "firewall_allow":
				pp, err := netrange.ParsePrefix(r.Fact.Value)
				if err != nil {
					bad = r.Fact.Value
					return
				}
				allow = append(allow, pp)
			case r.Range != nil:
				pp, err := netrange.ParsePrefix(r.Range.Prefix)
				if err != nil {
					bad = r.Range.Prefix
					return
				}
				reqs = append(reqs, req{pp, r.Range.Service})
			}
		},
		FinishFunc: func(out *Output) {
			if bad != "" {
				out.Fail("snapshot holds a malformed prefix %q", bad)
				return
			}
			if !given {
				out.Skip("no firewall allow-list given (--firewall-allowlist)")
				return
			}
			if len(reqs) == 0 {
				out.Skip("no required address ranges known (give --endpoints)")
				return
			}
			seen := map[netip.Prefix]bool{}
			sort.SliceStable(reqs, func(i, j int) bool { return reqs[i].p.String() < reqs[j].p.String() })
			for _, rq := range reqs {
				if seen[rq.p] {
					continue
				}
				seen[rq.p] = true
				out.Judged(1)
				un := netrange.Uncovered(rq.p, allow)
				if len(un) == 0 {
					continue
				}
				var us []string
				for _, u := range un {
					us = append(us, u.String())
				}
				msg := fmt.Sprintf("required range %s (%s) is not allowed by the firewall allow-list", rq.p, rq.service)
				if !(len(un) == 1 && un[0] == rq.p) {
					msg = fmt.Sprintf("required range %s (%s) is only partly allowed; not covered: %s", rq.p, rq.service, strings.Join(us, ", "))
				}
				out.Add(Finding{
					Object:   model.Object{Kind: "ip", ID: rq.p.String(), Name: rq.service},
					Message:  msg,
					Evidence: map[string]any{"uncovered": us, "service": rq.service},
				})
			}
		},
	}, nil
}

// NET-003.
type natParams struct {
	MaxUsersPerIP float64 `json:"max_users_per_ip" param:"min=0"`
	MinUsers      float64 `json:"min_users" param:"min=0"`
	// EgressIPs and Users, when positive, replace the counts taken from
	// the snapshot.
	EgressIPs float64 `json:"egress_ips"`
	Users     float64 `json:"users"`
}

func newNATCheck(prm natParams, _ Env) (Check, error) {
	if prm.MaxUsersPerIP <= 0 {
		return nil, fmt.Errorf("param max_users_per_ip must be positive")
	}
	var users, allUsers int64
	egress := int64(-1)
	return Funcs{
		ObserveFunc: func(r *snapshot.Record, _ *Output) {
			switch {
			case r.Dir != nil && r.Dir.Kind == snapshot.KindUser:
				allUsers++
				if !r.Dir.Disabled() {
					users++
				}
			case r.Fact != nil && r.Fact.Name == "egress_ips":
				if n, err := strconv.ParseInt(r.Fact.Value, 10, 64); err == nil {
					egress = n
				}
			}
		},
		FinishFunc: func(out *Output) {
			u := users
			if prm.Users > 0 {
				u = int64(prm.Users)
			} else if allUsers == 0 {
				out.Skip("no user count (scan a directory, or set param users)")
				return
			}
			if float64(u) < prm.MinUsers {
				out.Judged(u)
				return
			}
			e := egress
			if prm.EgressIPs > 0 {
				e = int64(prm.EgressIPs)
			}
			if e <= 0 {
				out.Skip("%d users but the number of public egress addresses is unknown (give --egress-ip, or set param egress_ips)", u)
				return
			}
			out.Judged(u)
			ratio := float64(u) / float64(e)
			if ratio <= prm.MaxUsersPerIP {
				return
			}
			need := int64((float64(u) + prm.MaxUsersPerIP - 1) / prm.MaxUsersPerIP)
			out.Add(Finding{
				Object: model.Object{Kind: "directory", ID: "egress"},
				Message: fmt.Sprintf("%d enabled users share %d public egress address(es): %.0f users per address, above %g (each Outlook keeps up to 8 connections, up to 18 with add-ins; about 64,000 ports per address): use at least %d addresses, with source-IP stickiness",
					u, e, ratio, prm.MaxUsersPerIP, need),
				Evidence: map[string]any{"observed": ratio, "threshold": prm.MaxUsersPerIP, "users": u, "egress_ips": e, "needed_ips": need},
			})
		},
	}, nil
}
