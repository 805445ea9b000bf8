package cli

// The rule parameters the command line reads itself: the collectors'
// tables (blocklist zones, core endpoints) and the --plan override.
// Issue 14 replaces these with one resolver shared with the engine.

import (
	"fmt"
	"strings"

	"github.com/preflight-scan/preflight/checks"
	"github.com/preflight-scan/preflight/collect/dnsbl"
	"github.com/preflight-scan/preflight/collect/netprobe"
	"github.com/preflight-scan/preflight/rules"
)

// planOverrides sets --plan as the plan parameter of MBX-002 in the
// configuration's overrides (in place; creating them when the
// configuration has none) and returns them.
func planOverrides(profile, plan string, overrides map[string]map[string]any) (map[string]map[string]any, error) {
	if plan == "" {
		return overrides, nil
	}
	if profile != "exchange-online" {
		return nil, usagef("--plan applies to the exchange-online profile only (the %s quota does not depend on a plan)", profile)
	}
	if overrides == nil {
		overrides = map[string]map[string]any{}
	}
	if overrides["MBX-002"] == nil {
		overrides["MBX-002"] = map[string]any{}
	}
	overrides["MBX-002"]["plan"] = strings.ToLower(plan)
	return overrides, nil
}

// defaultParams returns the parameters of rules under the default profile
// (the zone tables and core endpoint list are the same in every profile).
func defaultParams(ids ...string) (map[string]checks.Params, error) {
	return collectorParams(&runEnv{}, ids...)
}

// collectorParams returns the parameters the collectors take from rules
// (zone tables, the core endpoint list): those of the scan's profile, or
// of the default profile where the scan's does not define the rule, with
// the configuration file's overrides applied. It uses the run's rules,
// loading them only when the run has none.
func collectorParams(env *runEnv, ids ...string) (map[string]checks.Params, error) {
	rs := env.rules
	if rs == nil {
		var err error
		if rs, err = rules.Load(); err != nil {
			return nil, fmt.Errorf("load rules: %w", err)
		}
	}
	out := map[string]checks.Params{}
	for _, r := range rs {
		for _, id := range ids {
			if r.ID != id {
				continue
			}
			prof := r.Profiles[env.profile]
			if prof == nil {
				prof = r.Profiles[rules.DefaultProfile]
			}
			if prof == nil {
				continue
			}
			p := checks.Params{}
			for k, v := range prof.Params {
				p[k] = v
			}
			for k, v := range env.overrides[id] {
				p[k] = v
			}
			out[id] = p
		}
	}
	for _, id := range ids {
		if out[id] == nil {
			return nil, fmt.Errorf("rule %s has no %s parameters", id, rules.DefaultProfile)
		}
	}
	return out, nil
}

// zones returns the zones of a flag, or the rule's default_zones.
func zones(flagv listFlag, p checks.Params, kind string) ([]dnsbl.Zone, error) {
	names := split(flagv)
	if len(names) == 0 {
		var prm struct {
			Default []string `json:"default_zones"`
		}
		if err := p.Decode(&prm); err != nil {
			return nil, err
		}
		names = prm.Default
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
func blocklistTable(params map[string]checks.Params) (map[string]dnsbl.ZoneInfo, error) {
	table := map[string]dnsbl.ZoneInfo{}
	for _, id := range []string{"BL-001", "BL-002"} {
		var bp struct {
			Zones map[string]dnsbl.ZoneInfo `json:"zones"`
		}
		if err := params[id].Decode(&bp); err != nil {
			return nil, fmt.Errorf("rule %s: %w", id, err)
		}
		for k, v := range bp.Zones {
			table[k] = v
		}
	}
	return table, nil
}

// coreEndpoints returns the core endpoints of NET-001 that
// --probe-defaults probes.
func coreEndpoints(net001 checks.Params) ([]netprobe.Target, error) {
	var prm struct {
		Core []struct {
			Host    string `json:"host"`
			Port    int    `json:"port"`
			Purpose string `json:"purpose"`
		} `json:"core_endpoints"`
	}
	if err := net001.Decode(&prm); err != nil {
		return nil, fmt.Errorf("rule NET-001: %w", err)
	}
	var targets []netprobe.Target
	for _, e := range prm.Core {
		targets = append(targets, netprobe.Target{Host: e.Host, Port: e.Port, Required: true, Purpose: e.Purpose})
	}
	return targets, nil
}
