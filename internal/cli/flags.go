package cli

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/preflight-scan/preflight/config"
	"github.com/preflight-scan/preflight/rules"
)

// The help sections of the scan and evaluate flags, in the order --help
// and docs/flags.md show them.
const (
	groupGeneral   = "General"
	groupDirectory = "Directory"
	groupMailboxes = "Mailboxes"
	groupClients   = "Clients"
	groupTenant    = "Tenant to tenant"
	groupDNS       = "DNS and blocklists"
	groupNetwork   = "Network"
	groupOutputs   = "Rules and outputs"
	groupNightly   = "Nightly runs (configuration, baseline, history)"
)

// flagGroups returns the help sections in display order.
func flagGroups() []string {
	return []string{groupGeneral, groupDirectory, groupMailboxes, groupTenant, groupClients, groupDNS, groupNetwork, groupOutputs, groupNightly}
}

// groupAnnotation is the pflag annotation holding a flag's help section.
const groupAnnotation = "preflight_group"

// flagDef is one row of the scan flag table: a command-line flag, its
// help section, and its key and kind in the configuration file.
type flagDef struct {
	group string
	// name is the flag, --name. It is also the flag's configuration-file
	// key (see configKey).
	name  string
	value flagValue
	usage string
	// scanOnly flags are not flags of evaluate (which reads a snapshot
	// instead of sources).
	scanOnly bool
	// notInFile marks the flag the configuration file cannot set: the
	// file itself.
	notInFile bool
	// keyNote is said of the key in docs/flags.md.
	keyNote string
}

// configKey returns the key the configuration file sets the flag with
// (the flag's name: the keys are the flag names without the dashes), or
// "" when the file cannot set it.
func (d flagDef) configKey() string {
	if d.notInFile {
		return ""
	}
	return d.name
}

// flagValue binds a flag to a field and names its configuration kind.
type flagValue struct {
	kind   config.Kind
	define func(fs *pflag.FlagSet, name, usage string)
	// check, when set, validates the value once the command line and the
	// configuration file are applied (validateFlags), before any work:
	// every number and duration of the table is checked by construction.
	check func() error
}

func stringFlag(p *string, def string) flagValue {
	return flagValue{kind: config.String, define: func(fs *pflag.FlagSet, name, usage string) { fs.StringVar(p, name, def, usage) }}
}

func boolFlag(p *bool, def bool) flagValue {
	return flagValue{kind: config.Bool, define: func(fs *pflag.FlagSet, name, usage string) { fs.BoolVar(p, name, def, usage) }}
}

// intFlag is a whole number from least to most.
func intFlag(p *int, def, least, most int) flagValue {
	return flagValue{kind: config.Number,
		define: func(fs *pflag.FlagSet, name, usage string) { fs.IntVar(p, name, def, usage) },
		check: func() error {
			if *p < least || *p > most {
				return fmt.Errorf("%d: want a whole number from %d to %d", *p, least, most)
			}
			return nil
		}}
}

// floatFlag is a finite number, 0 or more (NaN, Inf and negative numbers
// are refused: "NaN Mbit/s" in a report is a bug).
func floatFlag(p *float64, def float64) flagValue {
	return flagValue{kind: config.Number,
		define: func(fs *pflag.FlagSet, name, usage string) { fs.Float64Var(p, name, def, usage) },
		check: func() error {
			if math.IsNaN(*p) || math.IsInf(*p, 0) || *p < 0 {
				return fmt.Errorf("%v: want a finite number, 0 or more", *p)
			}
			return nil
		}}
}

// durationFlag is a positive duration; a string in the configuration
// file ("30s", "2m").
func durationFlag(p *time.Duration, def time.Duration) flagValue {
	return flagValue{kind: config.String,
		define: func(fs *pflag.FlagSet, name, usage string) { fs.DurationVar(p, name, def, usage) },
		check: func() error {
			if *p <= 0 {
				return fmt.Errorf("%v: want a positive duration such as 30s or 2m", *p)
			}
			return nil
		}}
}

func listFlagOf(p *listFlag) flagValue {
	return flagValue{kind: config.List, define: func(fs *pflag.FlagSet, name, usage string) { fs.Var(p, name, usage) }}
}

// validateFlags checks every value of defs that has a check, whether the
// command line or the configuration file set it: a bad one is a usage
// error (exit 2) before any source is read.
func validateFlags(defs []flagDef) error {
	for _, d := range defs {
		if d.value.check == nil {
			continue
		}
		if err := d.value.check(); err != nil {
			return usagef("--%s %v", d.name, err)
		}
	}
	return nil
}

// scanFlagDefs is the table of the scan and evaluate flags, bound to the
// fields of o. Evaluate has the rows that are not scanOnly.
func scanFlagDefs(o *scanOptions) []flagDef {
	d, m, t, n, out, x := &o.directoryOptions, &o.mailboxOptions, &o.tenantOptions, &o.networkOptions, &o.outputOptions, &o.nightlyOptions
	mg := &o.migrationOptions
	return []flagDef{
		{group: groupGeneral, name: "sample", value: boolFlag(&out.Sample, false), scanOnly: true,
			usage: "scan the bundled sample organisation (no server, no files)"},
		{group: groupGeneral, name: "offline", value: boolFlag(&n.Offline, false), scanOnly: true,
			usage: "no DNS, blocklist or network probes (reported as not assessed), for exports analysed away from the customer's network; the endpoints file, the firewall allow-list and the egress addresses are still read (rules NET-002, NET-003)"},
		{group: groupGeneral, name: "lenient", value: boolFlag(&out.Lenient, false), scanOnly: true,
			usage: "skip malformed CSV rows (counted in the source status) instead of failing"},
		{group: groupGeneral, name: "csv-encoding", value: stringFlag(&out.CSVEncoding, ""), scanOnly: true,
			usage: "encoding `NAME` of the CSV exports that have no byte-order mark (a mark wins): windows-1252 for Windows PowerShell 5.1's Export-Csv -Encoding Default in Western Europe, windows-1250, windows-1251, iso-8859-15, ibm850, koi8-r... (WHATWG or IANA names); default UTF-8, where an invalid byte exits 2 naming the line"},
		{group: groupGeneral, name: "timeout", value: durationFlag(&out.Timeout, 2*time.Minute),
			usage: "per-operation network timeout (LDAP, IMAP)"},
		{group: groupGeneral, name: "quiet", value: boolFlag(&out.Quiet, false),
			usage: "no progress on stderr"},

		{group: groupDirectory, name: "ldap-url", value: stringFlag(&d.LDAPURL, ""), scanOnly: true,
			usage: "directory server `URL`: ldaps://host[:636] or ldap://host[:389] (StartTLS)"},
		{group: groupDirectory, name: "bind-user", value: stringFlag(&d.BindUser, ""), scanOnly: true,
			usage: "bind as `USER`: user@domain or a DN"},
		{group: groupDirectory, name: "bind-password-env", value: stringFlag(&d.BindPasswordEnv, ""), scanOnly: true,
			usage: "name of the environment variable `VAR` holding the bind password"},
		{group: groupDirectory, name: "bind-password-file", value: stringFlag(&d.BindPasswordFile, ""), scanOnly: true,
			usage: "`FILE` holding the bind password"},
		{group: groupDirectory, name: "ldap-ca-file", value: stringFlag(&d.LDAPCAFile, ""), scanOnly: true,
			usage: "PEM `FILE` of the CA certificates that verify the directory server (used instead of the system roots)"},
		{group: groupDirectory, name: "base-dn", value: stringFlag(&d.BaseDN, ""), scanOnly: true,
			usage: "search only this base `DN` (default: every domain of the forest)"},
		{group: groupDirectory, name: "ldap-insecure-plaintext", value: boolFlag(&d.LDAPInsecurePlaintext, false), scanOnly: true,
			usage: "allow a simple bind without TLS (sends the password in clear)"},
		{group: groupDirectory, name: "ldif", value: listFlagOf(&d.LDIF), scanOnly: true,
			usage: "read directory objects from an LDIF `FILE` (repeatable)"},

		{group: groupMailboxes, name: "mailbox-stats", value: stringFlag(&m.MailboxStats, ""), scanOnly: true,
			usage: "Get-MailboxStatistics CSV export `FILE`"},
		{group: groupMailboxes, name: "folder-stats", value: stringFlag(&m.FolderStats, ""), scanOnly: true,
			usage: "Get-MailboxFolderStatistics CSV export `FILE`"},
		{group: groupMailboxes, name: "mailbox-usage", value: stringFlag(&m.MailboxUsage, ""), scanOnly: true,
			usage: "Microsoft 365 admin center mailbox usage report CSV `FILE`"},
		{group: groupMailboxes, name: "imap-url", value: stringFlag(&m.IMAPURL, ""), scanOnly: true,
			usage: "live IMAP source `URL`: imaps://host[:993] or imap://host[:143] (STARTTLS)"},
		{group: groupMailboxes, name: "imap-accounts", value: stringFlag(&m.IMAPAccounts, ""), scanOnly: true,
			usage: "CSV `FILE` of IMAP accounts: user[,identity][,password|password_env|password_file]"},
		{group: groupMailboxes, name: "imap-admin-user", value: stringFlag(&m.IMAPAdminUser, ""), scanOnly: true,
			usage: "administrator login `USER` that opens the accounts' mailboxes (no per-account passwords)"},
		{group: groupMailboxes, name: "imap-admin-mode", value: stringFlag(&m.IMAPAdminMode, "master"), scanOnly: true,
			usage: "`MODE` in which the admin opens a mailbox: master (Dovecot LOGIN user*admin) or authzid (SASL PLAIN authorisation identity: Dovecot, Cyrus, Zimbra)"},
		{group: groupMailboxes, name: "imap-master-separator", value: stringFlag(&m.IMAPMasterSeparator, "*"), scanOnly: true,
			usage: "separator `SEP` between user and admin in master mode (Dovecot auth_master_user_separator)"},
		{group: groupMailboxes, name: "imap-password-env", value: stringFlag(&m.IMAPPasswordEnv, ""), scanOnly: true,
			usage: "name of the environment variable `VAR` holding the IMAP admin password"},
		{group: groupMailboxes, name: "imap-password-file", value: stringFlag(&m.IMAPPasswordFile, ""), scanOnly: true,
			usage: "`FILE` holding the IMAP admin password"},
		{group: groupMailboxes, name: "imap-ca-file", value: stringFlag(&m.IMAPCAFile, ""), scanOnly: true,
			usage: "PEM `FILE` of CA certificates to verify the IMAP server with"},

		{group: groupTenant, name: "recipients", value: stringFlag(&t.Recipients, ""), scanOnly: true,
			usage: "source tenant's Get-EXORecipient (or Get-Recipient) CSV export `FILE`, EmailAddresses joined with ';' (docs/tenant-exports.md)"},
		{group: groupTenant, name: "mailboxes", value: stringFlag(&t.Mailboxes, ""), scanOnly: true,
			usage: "source tenant's Get-EXOMailbox CSV export `FILE` (forwarding, holds, archive)"},
		{group: groupTenant, name: "users", value: stringFlag(&t.Users, ""), scanOnly: true,
			usage: "source tenant's Get-MgUser CSV export `FILE` (UPN, proxy addresses, licences)"},
		{group: groupTenant, name: "archive-stats", value: stringFlag(&t.ArchiveStats, ""), scanOnly: true,
			usage: "Get-EXOMailboxStatistics -Archive CSV export `FILE` (rule MBX-009)"},
		{group: groupTenant, name: "target-recipients", value: stringFlag(&t.TargetRecipients, ""), scanOnly: true,
			usage: "target tenant's Get-EXORecipient CSV export `FILE` (collisions, contacts to delete)"},
		{group: groupTenant, name: "migrating-domain", value: listFlagOf(&out.Migrating),
			usage: "`DOMAIN` that moves from the source to the target tenant (repeatable)"},
		{group: groupTenant, name: "target-domain", value: stringFlag(&mg.TargetDomain, ""),
			usage: "`DOMAIN` the target addresses of migration-batches.csv are formed at (the source address's local part @DOMAIN; default: the target recipients' onmicrosoft.com domain, else their most common primary domain)"},
		{group: groupTenant, name: "batch-mapping", value: stringFlag(&mg.BatchMapping, ""),
			usage: "CSV `FILE` with source and target columns: the target address of each mailbox in migration-batches.csv (mailboxes not in it get --target-domain's)"},

		{group: groupClients, name: "clients", value: stringFlag(&m.Clients, ""), scanOnly: true,
			usage: "client software inventory CSV `FILE` (MAP Toolkit or host,product,version)"},

		{group: groupDNS, name: "domain", value: listFlagOf(&n.Domains), scanOnly: true,
			usage: "mail `DOMAIN` to check (repeatable; default: discovered from the directory)"},
		{group: groupDNS, name: "resolver", value: listFlagOf(&n.Resolvers), scanOnly: true,
			usage: "DNS resolver `HOST:PORT` (repeatable; default: /etc/resolv.conf)"},
		{group: groupDNS, name: "dnsbl-zone", value: listFlagOf(&n.DNSBLZones), scanOnly: true,
			usage: "IP blocklist `ZONE` (repeatable; default: the zones of rule BL-001; \"none\" asks none)"},
		{group: groupDNS, name: "rhsbl-zone", value: listFlagOf(&n.RHSBLZones), scanOnly: true,
			usage: "domain blocklist `ZONE` (repeatable; default: the zones of rule BL-002; \"none\" asks none)"},
		{group: groupDNS, name: "dns-timeout", value: durationFlag(&n.DNSTimeout, 2*time.Second), scanOnly: true,
			usage: "timeout of one DNS try against one resolver"},
		{group: groupDNS, name: "dns-retries", value: intFlag(&n.DNSRetries, 1, 0, 10), scanOnly: true,
			usage: "times the resolver list is tried again after a failed lookup"},
		{group: groupDNS, name: "dns-concurrency", value: intFlag(&n.DNSConcurrency, 16, 1, 1024), scanOnly: true,
			usage: "DNS lookups in flight at once"},
		{group: groupDNS, name: "dns-deadline", value: durationFlag(&n.DNSDeadline, 10*time.Minute), scanOnly: true,
			usage: "overall deadline of the DNS and blocklist collection"},
		{group: groupDNS, name: "dns-authoritative", value: boolFlag(&n.DNSAuthoritative, true), scanOnly: true,
			usage: "also ask each domain's own name server for its MX (no recursion), to read the configured TTL; --dns-authoritative=false trusts the resolver's cache TTL"},

		{group: groupNetwork, name: "egress-ip", value: listFlagOf(&n.EgressIPs), scanOnly: true,
			usage: "public egress `IP` of the organisation (repeatable): counted for NET-003 and, unless offline, looked up in the IP blocklists (BL-001)"},
		{group: groupNetwork, name: "firewall-allowlist", value: stringFlag(&n.FirewallAllowlist, ""), scanOnly: true,
			usage: "`FILE` of the CIDRs the firewall / proxy allows, one a line, # comments (rule NET-002)"},
		{group: groupNetwork, name: "endpoints", value: stringFlag(&n.Endpoints, ""), scanOnly: true,
			usage: "Microsoft 365 endpoint web service JSON `FILE` (endpoints.office.com/endpoints/worldwide): required sets are probed (NET-001, not when offline) and their ranges checked (NET-002)"},
		{group: groupNetwork, name: "probe", value: listFlagOf(&n.Probes), scanOnly: true,
			usage: "extra `HOST:PORT` to probe (repeatable; prefix tls:// or starttls:// to choose the TLS mode, tcp:// for none; by default 587 is STARTTLS, 443/465/993/995 TLS)"},
		{group: groupNetwork, name: "probe-defaults", value: boolFlag(&n.ProbeDefaults, false), scanOnly: true,
			usage: "also probe the built-in core endpoints of rule NET-001 (outlook.office365.com:443, smtp.office365.com:587, ...) and port 25 of each domain's Exchange Online MX host"},
		{group: groupNetwork, name: "probe-timeout", value: durationFlag(&n.ProbeTimeout, 5*time.Second), scanOnly: true,
			usage: "connect and protocol-step timeout of each network probe"},

		{group: groupOutputs, name: "profile", value: stringFlag(&out.Profile, rules.DefaultProfile),
			usage: "rule `PROFILE`: " + strings.Join(rules.Profiles(), ", ")},
		{group: groupOutputs, name: "plan", value: stringFlag(&out.Plan, ""),
			usage: "Exchange Online `PLAN` the mailboxes move to, for the quota rule MBX-002 (plan1, plan2, business, e1, e3, e5, f3, kiosk; exchange-online profile)"},
		{group: groupOutputs, name: "cutover-date", value: stringFlag(&out.CutoverDate, ""),
			usage: "planned cutover `YYYY-MM-DD` (default: the scan date)"},
		{group: groupOutputs, name: "phase", value: stringFlag(&out.Phase, "pre-cutover"),
			usage: "migration `PHASE`: pre-cutover or post-cutover"},
		{group: groupOutputs, name: "sync-scope", value: stringFlag(&out.SyncScope, "mail-enabled"),
			usage: "which users, contacts and groups the directory rules judge: `SCOPE` mail-enabled (only objects with mail attributes, as Exchange sees them) or all (everything Entra Connect synchronises unless filtered; use it when mail lives outside AD, e.g. on POP/IMAP)"},
		{group: groupOutputs, name: "tenant", value: stringFlag(&out.Tenant, ""),
			usage: "Microsoft 365 tenant `NAME`, the prefix of its initial domain (fabrikam for fabrikam.onmicrosoft.com), for the DKIM CNAMEs of DNS-008 and the onmicrosoft.com addresses of T2T-001 (default: from the directory's or the tenant exports' onmicrosoft.com addresses)"},
		{group: groupOutputs, name: "bandwidth-mbps", value: floatFlag(&out.BandwidthMbps, 0),
			usage: "migration bandwidth in Mbit/s, for the migration estimate and the wave size of migration-batches.csv (3 mailboxes per Mbit/s)"},
		{group: groupOutputs, name: "out", value: stringFlag(&out.Out, "."),
			usage: "`DIR` receiving report.json, report.pdf, report.html, findings.csv, addresses.csv, migration-batches.csv (\"-\": a single report format to stdout)"},
		{group: groupOutputs, name: "format", value: listFlagOf(&out.Formats),
			usage: "output `FORMATS`, comma-separated or repeated: json, table, pdf, html, csv, jsonl, addresses (addresses.csv), batches (migration-batches.csv) (default json,table)"},
		{group: groupOutputs, name: "fail-on", value: stringFlag(&out.FailOn, "none"),
			usage: "exit 1 when a finding is at or above this `SEVERITY`: critical, high, medium, low, info, none"},
		{group: groupOutputs, name: "save-snapshot", value: stringFlag(&out.SaveSnapshot, ""), scanOnly: true,
			usage: "also save the collected data to `FILE` (gzip) for preflight evaluate"},

		{group: groupNightly, name: "config", value: stringFlag(&x.Config, ""), notInFile: true,
			usage: "YAML configuration `FILE` (flags override it)"},
		{group: groupNightly, name: "baseline", value: stringFlag(&x.Baseline, ""),
			usage: "earlier report `FILE` (report.json) to mark findings new or existing against"},
		{group: groupNightly, name: "fail-on-new", value: stringFlag(&x.FailOnNew, ""),
			usage: "exit 1 only for new findings at or above this `SEVERITY` (without a baseline every finding is new)"},
		{group: groupNightly, name: "history", value: stringFlag(&x.History, ""),
			keyNote: "or a mapping of `dir` and `keep` (how many reports to keep, default 30)",
			usage:   "`DIR` keeping the last reports; the latest complete one is the baseline"},
	}
}

// commandFlagDefs returns the rows of scan (evaluate false) or evaluate.
func commandFlagDefs(o *scanOptions, evaluate bool) []flagDef {
	all := scanFlagDefs(o)
	if !evaluate {
		return all
	}
	var defs []flagDef
	for _, d := range all {
		if !d.scanOnly {
			defs = append(defs, d)
		}
	}
	return defs
}

// defineFlags defines the flags of defs on fs, in table order, each
// annotated with its help section.
func defineFlags(fs *pflag.FlagSet, defs []flagDef) {
	fs.SortFlags = false
	for _, d := range defs {
		d.value.define(fs, d.name, d.usage)
		_ = fs.SetAnnotation(d.name, groupAnnotation, []string{d.group})
	}
}

// configFlags tells the configuration file which keys it may hold and of
// which kind: one per flag of the table, keyed by the flag's name. (The
// config package itself refuses config and history as flag keys: history
// is its own section.)
func configFlags(defs []flagDef) config.Flags {
	kinds := config.Flags{}
	for _, d := range defs {
		kinds[d.name] = d.value.kind
	}
	return kinds
}

// listFlag is a repeatable string flag; each value may also be a
// comma-separated list, split where it is used.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

// Set appends one value.
func (l *listFlag) Set(v string) error {
	*l = append(*l, v)
	return nil
}

// Type names the value in help when the usage gives no name.
func (l *listFlag) Type() string { return "list" }
