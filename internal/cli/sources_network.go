package cli

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/preflight-scan/preflight/checks"
	"github.com/preflight-scan/preflight/collect/dnsbl"
	"github.com/preflight-scan/preflight/collect/dnscheck"
	"github.com/preflight-scan/preflight/collect/netprobe"
	"github.com/preflight-scan/preflight/resolver"
	"github.com/preflight-scan/preflight/rules"
	"github.com/preflight-scan/preflight/snapshot"
)

// networkOptions are the DNS, blocklist and network source flags.
type networkOptions struct {
	Domains           listFlag
	Resolvers         listFlag
	DNSBLZones        listFlag
	RHSBLZones        listFlag
	EgressIPs         listFlag
	FirewallAllowlist string
	Endpoints         string
	Probes            listFlag
	ProbeDefaults     bool
	// Offline skips every DNS, blocklist and network source.
	Offline          bool
	DNSTimeout       time.Duration
	DNSRetries       int
	DNSConcurrency   int
	DNSDeadline      time.Duration
	ProbeTimeout     time.Duration
	DNSAuthoritative bool
	// resolvConf is the resolver configuration read when --resolver is
	// not given (tests point it elsewhere).
	resolvConf string
	// flags is the scan's flag set, to see whether --sample was given.
	flags *flag.FlagSet
}

// sample reports whether the scan is of the bundled sample organisation,
// whose made-up domains are not looked up unless named with --domain (the
// sample needs no network).
func (o *networkOptions) sample() bool {
	if o.flags == nil {
		return false
	}
	f := o.flags.Lookup("sample")
	return f != nil && f.Value.String() == "true"
}

func (o *networkOptions) register(fs *flag.FlagSet) {
	o.flags = fs
	fs.Var(&o.Domains, "domain", "mail `DOMAIN` to check (repeatable; default: discovered from the directory)")
	fs.Var(&o.Resolvers, "resolver", "DNS resolver `HOST:PORT` (repeatable; default: /etc/resolv.conf)")
	fs.Var(&o.DNSBLZones, "dnsbl-zone", "IP blocklist `ZONE` (repeatable; default: the zones of rule BL-001; \"none\" asks none)")
	fs.Var(&o.RHSBLZones, "rhsbl-zone", "domain blocklist `ZONE` (repeatable; default: the zones of rule BL-002; \"none\" asks none)")
	fs.Var(&o.EgressIPs, "egress-ip", "public egress `IP` of the organisation (repeatable)")
	fs.StringVar(&o.FirewallAllowlist, "firewall-allowlist", "", "`FILE` of the CIDRs the firewall / proxy allows, one a line, # comments (rule NET-002)")
	fs.StringVar(&o.Endpoints, "endpoints", "", "Microsoft 365 endpoint web service JSON `FILE` (endpoints.office.com/endpoints/worldwide): required sets are probed (NET-001) and their ranges checked (NET-002)")
	fs.Var(&o.Probes, "probe", "extra `HOST:PORT` to probe (repeatable; prefix tls:// or starttls:// to choose the TLS mode, tcp:// for none; by default 587 is STARTTLS, 443/465/993/995 TLS)")
	fs.BoolVar(&o.Offline, "offline", false, "no DNS, blocklist or network checks (they are reported as not assessed); for exports analysed away from the customer's network")
	fs.BoolVar(&o.ProbeDefaults, "probe-defaults", false, "also probe the built-in core endpoints of rule NET-001 (outlook.office365.com:443, smtp.office365.com:587, ...) and port 25 of each domain's Exchange Online MX host")
	fs.DurationVar(&o.DNSTimeout, "dns-timeout", 2*time.Second, "timeout of one DNS try against one resolver")
	fs.IntVar(&o.DNSRetries, "dns-retries", 1, "times the resolver list is tried again after a failed lookup")
	fs.IntVar(&o.DNSConcurrency, "dns-concurrency", 16, "DNS lookups in flight at once")
	fs.DurationVar(&o.DNSDeadline, "dns-deadline", 10*time.Minute, "overall deadline of the DNS and blocklist collection")
	fs.BoolVar(&o.DNSAuthoritative, "dns-authoritative", true, "also ask each domain's own name server for its MX (no recursion), to read the configured TTL; false trusts the resolver's cache TTL")
	fs.DurationVar(&o.ProbeTimeout, "probe-timeout", 5*time.Second, "connect and protocol-step timeout of each network probe")
}

// split returns the values of a list flag, comma-separated values split,
// blanks dropped.
func split(l listFlag) []string {
	var out []string
	for _, v := range l {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// networkCollectors returns the DNS, blocklist and network collectors; they
// run last, after the directory has been read, so that domains and user
// counts can be taken from tally. An error is a usage error.
func networkCollectors(o *networkOptions, env *runEnv, tally *snapshot.Tally) ([]snapshot.Collector, error) {
	if o.Offline {
		if o.any() {
			return nil, usagef("--offline cannot be combined with --domain, --egress-ip, --firewall-allowlist, --endpoints, --probe or --probe-defaults")
		}
		return nil, nil
	}
	if o.DNSTimeout <= 0 || o.DNSConcurrency <= 0 || o.DNSRetries < 0 || o.DNSDeadline <= 0 || o.ProbeTimeout <= 0 {
		return nil, usagef("--dns-timeout, --dns-concurrency, --dns-deadline and --probe-timeout must be positive, --dns-retries not negative")
	}
	var domains []dnscheck.Domain
	seen := map[string]bool{}
	for _, d := range split(o.Domains) {
		d = strings.ToLower(strings.TrimSuffix(d, "."))
		if !strings.Contains(d, ".") || strings.ContainsAny(d, " /:@") {
			return nil, usagef("--domain %q: not a domain name", d)
		}
		if !seen[d] {
			seen[d] = true
			domains = append(domains, dnscheck.Domain{Name: d, SeenIn: []string{"command line"}})
		}
	}
	if len(domains) == 0 && tally != nil && !o.sample() {
		for _, d := range tally.MailDomains() {
			domains = append(domains, dnscheck.Domain{Name: d.Name, SeenIn: d.SeenIn})
		}
	}
	var egress []netip.Addr
	for _, s := range split(o.EgressIPs) {
		a, err := netip.ParseAddr(s)
		if err != nil || a.Zone() != "" {
			return nil, usagef("--egress-ip %q: not an IP address", s)
		}
		egress = append(egress, a.Unmap())
	}

	params, err := collectorParams(env, "BL-001", "BL-002", "NET-001")
	if err != nil {
		return nil, err
	}
	ipZones, err := zones(o.DNSBLZones, params["BL-001"], "ip")
	if err != nil {
		return nil, err
	}
	domZones, err := zones(o.RHSBLZones, params["BL-002"], "domain")
	if err != nil {
		return nil, err
	}

	var out []snapshot.Collector
	needDNS := len(domains) > 0 || (len(egress) > 0 && len(ipZones) > 0)
	var res resolver.Resolver
	var servers []string
	if needDNS || len(o.Resolvers) > 0 {
		servers = split(o.Resolvers)
		if len(servers) == 0 {
			conf := o.resolvConf
			if conf == "" {
				conf = "/etc/resolv.conf"
			}
			if servers, err = resolver.SystemServers(conf); err != nil {
				return nil, usagef("no DNS resolver: %v (give --resolver HOST:PORT)", err)
			}
		}
		c, err := resolver.New(resolver.Config{Servers: servers, Timeout: o.DNSTimeout, Retries: o.DNSRetries})
		if err != nil {
			return nil, usagef("--resolver: %v", err)
		}
		servers = c.Servers()
		for _, srv := range servers {
			if err := requireLoopbackServer(srv); err != nil {
				return nil, usagef("resolver: %v", err)
			}
		}
		res = resolver.NewCache(c)
	}
	via := "via " + strings.Join(servers, ", ")
	var dc *dnscheck.Collector
	if len(domains) > 0 {
		dc = &dnscheck.Collector{
			Resolver: res, Name: "dns " + via, Domains: domains,
			Concurrency: o.DNSConcurrency, Deadline: o.DNSDeadline, Progress: env.progress,
		}
		if o.DNSAuthoritative {
			dc.Direct = directResolvers(o.DNSTimeout)
		}
		out = append(out, dc)
	}
	var zs []dnsbl.Zone
	if len(domains) > 0 || len(egress) > 0 {
		zs = append(zs, ipZones...)
	}
	if len(domains) > 0 {
		zs = append(zs, domZones...)
	}
	if len(zs) > 0 {
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
		out = append(out, &dnsbl.Collector{
			Resolver: res, Name: "blocklists " + via, Zones: zs, Table: table,
			Concurrency: o.DNSConcurrency, Deadline: o.DNSDeadline, Progress: env.progress,
			Subjects: func() []dnsbl.Subject {
				var ss []dnsbl.Subject
				if dc != nil {
					for _, s := range dc.Subjects() {
						ss = append(ss, dnsbl.Subject{Value: s.Addr.String(), Kind: "ip", Reason: s.Reason})
					}
				}
				for _, a := range egress {
					ss = append(ss, dnsbl.Subject{Value: a.String(), Kind: "ip", Reason: "--egress-ip"})
				}
				for _, d := range domains {
					ss = append(ss, dnsbl.Subject{Value: d.Name, Kind: "domain", Reason: "mail domain"})
				}
				return ss
			},
		})
	}

	np, err := o.netprobe(env, params["NET-001"], domains, egress, servers)
	if err != nil {
		return nil, err
	}
	if np != nil {
		out = append(out, np)
	}
	return out, nil
}

// netprobe builds the network collector, or nil when no network input was
// given.
func (o *networkOptions) netprobe(env *runEnv, net001 checks.Params, domains []dnscheck.Domain, egress []netip.Addr, servers []string) (*netprobe.Collector, error) {
	if o.Endpoints == "" && o.FirewallAllowlist == "" && len(o.Probes) == 0 && !o.ProbeDefaults && len(egress) == 0 {
		return nil, nil
	}
	c := &netprobe.Collector{Name: "network probes from this host", Timeout: o.ProbeTimeout, Progress: env.progress, Allow: requireLoopback}
	if len(egress) > 0 {
		c.EgressIPs = egress
	}
	if o.Endpoints != "" {
		f, err := netprobe.ReadFile(o.Endpoints)
		if err != nil {
			return nil, err
		}
		eps, err := netprobe.ParseEndpoints(o.Endpoints, f)
		f.Close()
		if err != nil {
			return nil, err
		}
		c.Targets = append(c.Targets, netprobe.TargetsFromEndpoints(eps)...)
		c.Ranges = netprobe.RangesFromEndpoints(eps)
	}
	if o.FirewallAllowlist != "" {
		f, err := netprobe.ReadFile(o.FirewallAllowlist)
		if err != nil {
			return nil, err
		}
		allow, err := netprobe.ParseAllowlist(o.FirewallAllowlist, f)
		f.Close()
		if err != nil {
			return nil, err
		}
		c.Allowlist = append([]netip.Prefix{}, allow...)
		c.AllowlistName = o.FirewallAllowlist
	}
	for _, p := range split(o.Probes) {
		t, err := netprobe.ParseTarget(p)
		if err != nil {
			return nil, usagef("--probe: %v", err)
		}
		c.Targets = append(c.Targets, t)
	}
	if o.ProbeDefaults {
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
		for _, e := range prm.Core {
			c.Targets = append(c.Targets, netprobe.Target{Host: e.Host, Port: e.Port, Required: true, Purpose: e.Purpose})
		}
		for _, d := range domains {
			c.Targets = append(c.Targets, netprobe.Target{Host: strings.ReplaceAll(d.Name, ".", "-") + ".mail.protection.outlook.com", Port: 25, Required: true, Purpose: "inbound SMTP to the Exchange Online MX of " + d.Name})
		}
	}
	if len(o.Resolvers) > 0 && len(servers) > 0 {
		srv := servers[0]
		c.Resolver = &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, srv)
		}}
	}
	return c, nil
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

// directResolvers returns a factory of non-recursive resolvers, one per
// name server, shared by the domains it serves.
func directResolvers(timeout time.Duration) func(string) resolver.Resolver {
	var mu sync.Mutex
	m := map[string]resolver.Resolver{}
	return func(srv string) resolver.Resolver {
		mu.Lock()
		defer mu.Unlock()
		if r, ok := m[srv]; ok {
			return r
		}
		if err := requireLoopbackServer(srv); err != nil {
			return failing{err}
		}
		c, err := resolver.New(resolver.Config{Servers: []string{srv}, Timeout: timeout, NoRecursion: true})
		if err != nil {
			return failing{err}
		}
		m[srv] = c
		return c
	}
}

// failing answers every question with an error.
type failing struct{ err error }

func (f failing) Lookup(ctx context.Context, name, qtype string) resolver.Answer {
	return resolver.Answer{Outcome: snapshot.LookupError, Err: f.err.Error()}
}
