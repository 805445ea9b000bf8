package cli

import (
	"flag"

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
}

func (o *networkOptions) register(fs *flag.FlagSet) {
	fs.Var(&o.Domains, "domain", "mail `DOMAIN` to check (repeatable; default: discovered from the directory)")
	fs.Var(&o.Resolvers, "resolver", "DNS resolver `HOST:PORT` (repeatable; default: /etc/resolv.conf)")
	fs.Var(&o.DNSBLZones, "dnsbl-zone", "IP blocklist `ZONE` (repeatable)")
	fs.Var(&o.RHSBLZones, "rhsbl-zone", "domain blocklist `ZONE` (repeatable)")
	fs.Var(&o.EgressIPs, "egress-ip", "public egress `IP` of the organisation (repeatable)")
	fs.StringVar(&o.FirewallAllowlist, "firewall-allowlist", "", "file of allowed CIDRs")
	fs.StringVar(&o.Endpoints, "endpoints", "", "Microsoft 365 endpoints JSON file")
	fs.Var(&o.Probes, "probe", "extra `HOST:PORT` to probe (repeatable)")
}

// networkCollectors returns the DNS, blocklist and network collectors; they
// run last, after the directory has been read, so that domains and user
// counts can be taken from tally. An error is a usage error.
func networkCollectors(o *networkOptions, env *runEnv, tally *snapshot.Tally) ([]snapshot.Collector, error) {
	return nil, nil
}
