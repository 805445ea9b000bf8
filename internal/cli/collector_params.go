package cli

// The rule parameters the collectors need (blocklist zones and how to read
// their answers, the core endpoints) and the --plan override. Every value
// comes from the one resolver the engine uses too (engine.Resolver).

import (
	"fmt"
	"strings"

	"github.com/preflight-scan/preflight/blocklist"
	"github.com/preflight-scan/preflight/checks"
	"github.com/preflight-scan/preflight/collect/dnsbl"
	"github.com/preflight-scan/preflight/collect/netprobe"
	"github.com/preflight-scan/preflight/engine"
	"github.com/preflight-scan/preflight/rules"
)

// planOverrides returns the configuration's overrides with --plan as the
// plan parameter of MBX-002. The configuration's maps are not modified:
// the result is a copy when --plan is given.
func planOverrides(profile, plan string, overrides map[string]map[string]any) (map[string]map[string]any, error) {
	if plan == "" {
		return overrides, nil
	}
	if profile != "exchange-online" {
		return nil, usagef("--plan applies to the exchange-online profile only (the %s quota does not depend on a plan)", profile)
	}
	out := make(map[string]map[string]any, len(overrides)+1)
	for id, m := range overrides {
		out[id] = m
	}
	mbx := map[string]any{}
	for k, v := range overrides["MBX-002"] {
		mbx[k] = v
	}
	mbx["plan"] = strings.ToLower(plan)
	out["MBX-002"] = mbx
	return out, nil
}

// resolver returns the run's parameter resolver: the one prepareScan made
// for the scan's profile and overrides, or (for a run without one) one for
// the default profile without overrides.
func (env *runEnv) resolver() (*engine.Resolver, error) {
	if env.params != nil {
		return env.params, nil
	}
	rs := env.rules
	if rs == nil {
		var err error
		if rs, err = rules.Load(); err != nil {
			return nil, fmt.Errorf("load rules: %w", err)
		}
	}
	res, err := engine.NewResolver(rs, checks.Default(), rules.DefaultProfile, nil)
	if err != nil {
		return nil, err
	}
	env.params = res
	return res, nil
}

// collectorTables are the rule parameters the network collectors take.
type collectorTables struct {
	bl001, bl002 checks.BlocklistParams
	net001       checks.ReachabilityParams
}

// readCollectorTables resolves BL-001, BL-002 and NET-001 for the
// collectors.
func readCollectorTables(env *runEnv) (*collectorTables, error) {
	res, err := env.resolver()
	if err != nil {
		return nil, err
	}
	t := &collectorTables{}
	if t.bl001, err = engine.CollectorParams[checks.BlocklistParams](res, "BL-001"); err != nil {
		return nil, err
	}
	if t.bl002, err = engine.CollectorParams[checks.BlocklistParams](res, "BL-002"); err != nil {
		return nil, err
	}
	if t.net001, err = engine.CollectorParams[checks.ReachabilityParams](res, "NET-001"); err != nil {
		return nil, err
	}
	return t, nil
}

// zones returns the zones of a flag, or the rule's default_zones.
func zones(flagv listFlag, p checks.BlocklistParams, kind string) ([]dnsbl.Zone, error) {
	names := split(flagv)
	if len(names) == 0 {
		names = p.DefaultZones
	}
	var out []dnsbl.Zone
	for _, n := range names {
		n = strings.ToLower(strings.TrimSuffix(n, "."))
		if n == "none" {
			return nil, nil
		}
		if !strings.Contains(n, ".") || strings.ContainsAny(n, " /:@") {
			return nil, usagef("blocklist zone %q: not a DNS zone", n)
		}
		out = append(out, dnsbl.Zone{Name: n, Kind: kind})
	}
	return out, nil
}

// blocklistTable returns the zone tables of BL-001 and BL-002: how to
// read each zone's answers.
func (t *collectorTables) blocklistTable() map[string]blocklist.ZoneInfo {
	table := map[string]blocklist.ZoneInfo{}
	for _, p := range []checks.BlocklistParams{t.bl001, t.bl002} {
		for k, v := range p.Zones {
			table[k] = v
		}
	}
	return table
}

// coreEndpoints returns the core endpoints of NET-001 that
// --probe-defaults probes.
func coreEndpoints(net001 checks.ReachabilityParams) []netprobe.Target {
	var targets []netprobe.Target
	for _, e := range net001.CoreEndpoints {
		targets = append(targets, netprobe.Target{Host: e.Host, Port: e.Port, Required: true, Purpose: e.Purpose})
	}
	return targets
}
