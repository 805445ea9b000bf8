package cli

import (
	"context"
	"net"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/preflight-scan/preflight/checks"
	"github.com/preflight-scan/preflight/collect/dnsbl"
	"github.com/preflight-scan/preflight/collect/dnscheck"
	"github.com/preflight-scan/preflight/collect/netprobe"
	"github.com/preflight-scan/preflight/internal/dialer"
	"github.com/preflight-scan/preflight/internal/dnsname"
	"github.com/preflight-scan/preflight/resolver"
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
	// Offline skips every DNS lookup, blocklist query and probe; the
	// endpoints file, the allow-list and the egress addresses are still
	// read (offlineCollectors).
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
	// sampleScan is set when the scan is of the bundled sample
	// organisation, whose made-up domains are not looked up unless named
	// with --domain (the sample needs no network).
	sampleScan bool
}

func (o *networkOptions) any() bool {
	return len(o.Domains) > 0 || len(o.EgressIPs) > 0 || o.FirewallAllowlist != "" || o.Endpoints != "" || len(o.Probes) > 0 || o.ProbeDefaults
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
		return o.offlineCollectors()
	}
	domains, err := o.mailDomains(tally)
	if err != nil {
		return nil, err
	}
	egress, err := o.egressIPs()
	if err != nil {
		return nil, err
	}
	params, err := readCollectorTables(env)
	if err != nil {
		return nil, err
	}
	ipZones, domZones, err := o.blocklistZones(params)
	if err != nil {
		return nil, err
	}

	var out []snapshot.Collector
	dns, err := o.dnsResolver(env, len(domains) > 0 || (len(egress) > 0 && len(ipZones) > 0))
	if err != nil {
		return nil, err
	}
	var dc *dnscheck.Collector
	if len(domains) > 0 {
		dc = o.dnsCollector(env, dns, domains)
		out = append(out, dc)
	}
	if zs := zonesToAsk(domains, egress, ipZones, domZones); len(zs) > 0 {
		out = append(out, o.blocklistCollector(env, dns, params, zs, blocklistSubjects(dc, egress, domains)))
	}
	np, err := o.netprobe(env, params.net001, domains, egress, dns.servers)
	if err != nil {
		return nil, err
	}
	if np != nil {
		out = append(out, np)
	}
	return out, nil
}

// offlineCollectors returns, under --offline, the network source that
// reads the files and addresses given (--endpoints, --firewall-allowlist,
// --egress-ip: NET-002's coverage arithmetic and NET-003's ratio need no
// network) and probes nothing, or none when none was given. The flags
// that only mean something with the network (--domain: DNS and
// blocklists; --probe, --probe-defaults: connections) are refused.
func (o *networkOptions) offlineCollectors() ([]snapshot.Collector, error) {
	var need []string
	if len(o.Domains) > 0 {
		need = append(need, "--domain")
	}
	if len(o.Probes) > 0 {
		need = append(need, "--probe")
	}
	if o.ProbeDefaults {
		need = append(need, "--probe-defaults")
	}
	if len(need) > 0 {
		return nil, usagef("--offline cannot be combined with %s: they need the network (--endpoints, --firewall-allowlist and --egress-ip are read offline)", strings.Join(need, ", "))
	}
	egress, err := o.egressIPs()
	if err != nil {
		return nil, err
	}
	if o.Endpoints == "" && o.FirewallAllowlist == "" && len(egress) == 0 {
		return nil, nil
	}
	// No dialer: nothing is resolved or connected to.
	c := &netprobe.Collector{Name: "network files (offline, no probes)", NotProbed: "--offline"}
	if err := o.readFiles(c, egress); err != nil {
		return nil, err
	}
	return []snapshot.Collector{c}, nil
}

// zonesToAsk returns the blocklist zones that have something to be asked
// about: IP zones when there are mail hosts or egress IPs, domain zones
// when there are domains.
func zonesToAsk(domains []dnscheck.Domain, egress []netip.Addr, ipZones, domZones []dnsbl.Zone) []dnsbl.Zone {
	var zs []dnsbl.Zone
	if len(domains) > 0 || len(egress) > 0 {
		zs = append(zs, ipZones...)
	}
	if len(domains) > 0 {
		zs = append(zs, domZones...)
	}
	return zs
}

// mailDomains returns the --domain names, or the mail domains found in
// the directory (not for the sample organisation).
func (o *networkOptions) mailDomains(tally *snapshot.Tally) ([]dnscheck.Domain, error) {
	var domains []dnscheck.Domain
	seen := map[string]bool{}
	for _, d := range split(o.Domains) {
		d = dnsname.Normalize(d)
		if err := dnsname.Check(d); err != nil {
			return nil, usagef("--domain %q: not a domain name: %v", d, err)
		}
		if !seen[d] {
			seen[d] = true
			domains = append(domains, dnscheck.Domain{Name: d, SeenIn: []string{"command line"}})
		}
	}
	if len(domains) == 0 && tally != nil && !o.sampleScan {
		for _, d := range tally.MailDomains() {
			domains = append(domains, dnscheck.Domain{Name: d.Name, SeenIn: d.SeenIn})
		}
	}
	return domains, nil
}

// egressIPs parses --egress-ip.
func (o *networkOptions) egressIPs() ([]netip.Addr, error) {
	var egress []netip.Addr
	for _, s := range split(o.EgressIPs) {
		a, err := netip.ParseAddr(s)
		if err != nil || a.Zone() != "" {
			return nil, usagef("--egress-ip %q: not an IP address", s)
		}
		egress = append(egress, a.Unmap())
	}
	return egress, nil
}

// blocklistZones returns the IP and domain blocklist zones to ask: those
// of the flags, or the rules' defaults.
func (o *networkOptions) blocklistZones(params *collectorTables) (ip, domain []dnsbl.Zone, err error) {
	if ip, err = zones(o.DNSBLZones, params.bl001, "ip"); err != nil {
		return nil, nil, err
	}
	if domain, err = zones(o.RHSBLZones, params.bl002, "domain"); err != nil {
		return nil, nil, err
	}
	return ip, domain, nil
}

// dnsSetup is the resolver the DNS and blocklist collectors share.
type dnsSetup struct {
	res resolver.Resolver
	// servers are the resolver's addresses (nil when no DNS is needed).
	servers []string
}

// via names the resolvers in the sources' names.
func (d dnsSetup) via() string { return "via " + strings.Join(d.servers, ", ") }

// dnsResolver returns the resolver of --resolver or the system's, when a
// collector needs DNS or --resolver was given.
func (o *networkOptions) dnsResolver(env *runEnv, needDNS bool) (dnsSetup, error) {
	if !needDNS && len(o.Resolvers) == 0 {
		return dnsSetup{}, nil
	}
	servers := split(o.Resolvers)
	if len(servers) == 0 {
		conf := o.resolvConf
		if conf == "" {
			conf = "/etc/resolv.conf"
		}
		var err error
		if servers, err = resolver.SystemServers(conf); err != nil {
			return dnsSetup{}, usagef("no DNS resolver: %v (give --resolver HOST:PORT)", err)
		}
	}
	c, err := resolver.New(resolver.Config{Servers: servers, Timeout: o.DNSTimeout, Retries: o.DNSRetries, Dialer: env.netDialer()})
	if err != nil {
		return dnsSetup{}, usagef("--resolver: %v", err)
	}
	servers = c.Servers()
	return dnsSetup{res: resolver.NewCache(c), servers: servers}, nil
}

// dnsCollector returns the collector of the domains' DNS records.
func (o *networkOptions) dnsCollector(env *runEnv, dns dnsSetup, domains []dnscheck.Domain) *dnscheck.Collector {
	dc := &dnscheck.Collector{
		Resolver: dns.res, Name: "dns " + dns.via(), Domains: domains,
		Concurrency: o.DNSConcurrency, Deadline: o.DNSDeadline, Progress: env.progress,
	}
	if o.DNSAuthoritative {
		dc.Direct = directResolvers(env.netDialer(), o.DNSTimeout)
	}
	// DNS-009: the MTA-STS policy over HTTPS (system roots), through the
	// same dialer and loopback guard as every probe.
	dc.MTASTS = &dnscheck.PolicyFetcher{Dialer: env.netDialer(), Timeout: o.ProbeTimeout}
	return dc
}

// blocklistCollector returns the collector asking zones about subjects.
func (o *networkOptions) blocklistCollector(env *runEnv, dns dnsSetup, params *collectorTables, zs []dnsbl.Zone, subjects func() []dnsbl.Subject) *dnsbl.Collector {
	return &dnsbl.Collector{
		Resolver: dns.res, Name: "blocklists " + dns.via(), Zones: zs, Table: params.blocklistTable(),
		Concurrency: o.DNSConcurrency, Deadline: o.DNSDeadline, Progress: env.progress,
		Subjects: subjects,
	}
}

// blocklistSubjects returns what the blocklists are asked about, once the
// DNS collector (dc, nil without domains) has run: the mail hosts'
// addresses, the egress IPs and the mail domains.
func blocklistSubjects(dc *dnscheck.Collector, egress []netip.Addr, domains []dnscheck.Domain) func() []dnsbl.Subject {
	return func() []dnsbl.Subject {
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
	}
}

// netprobe builds the network collector, or nil when no network input was
// given.
func (o *networkOptions) netprobe(env *runEnv, net001 checks.ReachabilityParams, domains []dnscheck.Domain, egress []netip.Addr, servers []string) (*netprobe.Collector, error) {
	if o.Endpoints == "" && o.FirewallAllowlist == "" && len(o.Probes) == 0 && !o.ProbeDefaults && len(egress) == 0 {
		return nil, nil
	}
	d := env.netDialer()
	c := &netprobe.Collector{Name: "network probes from this host", Timeout: o.ProbeTimeout, Progress: env.progress, Dialer: d}
	if err := o.readFiles(c, egress); err != nil {
		return nil, err
	}
	for _, p := range split(o.Probes) {
		t, err := netprobe.ParseTarget(p)
		if err != nil {
			return nil, usagef("--probe: %v", err)
		}
		c.Targets = append(c.Targets, t)
	}
	if o.ProbeDefaults {
		c.Targets = append(c.Targets, coreEndpoints(net001)...)
		for _, d := range domains {
			c.Targets = append(c.Targets, netprobe.Target{Host: strings.ReplaceAll(d.Name, ".", "-") + ".mail.protection.outlook.com", Port: 25, Required: true, Purpose: "inbound SMTP to the Exchange Online MX of " + d.Name})
		}
	}
	if len(o.Resolvers) > 0 && len(servers) > 0 {
		srv := servers[0]
		c.Dialer = &dialer.Dialer{LoopbackOnly: d.LoopbackOnly, Resolver: &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return d.DialContext(ctx, network, srv)
		}}}
	}
	return c, nil
}

// readEndpoints adds the targets and ranges of --endpoints to c.
func (o *networkOptions) readEndpoints(c *netprobe.Collector) error {
	if o.Endpoints == "" {
		return nil
	}
	f, err := netprobe.ReadFile(o.Endpoints)
	if err != nil {
		return err
	}
	eps, err := netprobe.ParseEndpoints(o.Endpoints, f)
	_ = f.Close() // read-only
	if err != nil {
		return err
	}
	c.Targets = append(c.Targets, netprobe.TargetsFromEndpoints(eps)...)
	c.Ranges = netprobe.RangesFromEndpoints(eps)
	return nil
}

// readAllowlist sets the firewall allow-list of --firewall-allowlist on c.
func (o *networkOptions) readAllowlist(c *netprobe.Collector) error {
	if o.FirewallAllowlist == "" {
		return nil
	}
	f, err := netprobe.ReadFile(o.FirewallAllowlist)
	if err != nil {
		return err
	}
	allow, err := netprobe.ParseAllowlist(o.FirewallAllowlist, f)
	_ = f.Close() // read-only
	if err != nil {
		return err
	}
	c.Allowlist = append([]netip.Prefix{}, allow...)
	c.AllowlistName = o.FirewallAllowlist
	return nil
}

// directResolvers returns a factory of non-recursive resolvers, one per
// name server, shared by the domains it serves.
func directResolvers(d *dialer.Dialer, timeout time.Duration) func(string) resolver.Resolver {
	var mu sync.Mutex
	m := map[string]resolver.Resolver{}
	return func(srv string) resolver.Resolver {
		mu.Lock()
		defer mu.Unlock()
		if r, ok := m[srv]; ok {
			return r
		}
		c, err := resolver.New(resolver.Config{Servers: []string{srv}, Timeout: timeout, NoRecursion: true, Dialer: d})
		if err != nil {
			return failing{err}
		}
		m[srv] = c
		return c
	}
}

// failing answers every question with an error.
type failing struct{ err error }

func (f failing) Lookup(_ context.Context, _, _ string) resolver.Answer {
	return resolver.Answer{Outcome: snapshot.LookupError, Err: f.err.Error()}
}

// readFiles gives the collector the egress addresses and reads the
// endpoints file and the allow-list, with or without probes.
func (o *networkOptions) readFiles(c *netprobe.Collector, egress []netip.Addr) error {
	if len(egress) > 0 {
		c.EgressIPs = egress
	}
	if err := o.readEndpoints(c); err != nil {
		return err
	}
	return o.readAllowlist(c)
}
