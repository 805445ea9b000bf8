package cli

import (
	"os"
	"slices"
	"strings"

	"github.com/preflight-scan/preflight/collect/tenant"
	"github.com/preflight-scan/preflight/snapshot"
)

// tenantOptions are the tenant-to-tenant source flags.
type tenantOptions struct {
	Recipients       string
	Mailboxes        string
	Users            string
	ArchiveStats     string
	TargetRecipients string
}

// tenantCollectors returns the collectors of the source and the target
// tenant's exports the flags name. A missing file is a usage error.
func tenantCollectors(o *tenantOptions, env *runEnv) ([]snapshot.Collector, error) {
	for _, f := range []struct{ flag, path string }{
		{"recipients", o.Recipients}, {"mailboxes", o.Mailboxes}, {"users", o.Users},
		{"archive-stats", o.ArchiveStats}, {"target-recipients", o.TargetRecipients},
	} {
		if f.path == "" {
			continue
		}
		if _, err := os.Stat(f.path); err != nil {
			return nil, usagef("--%s: %v", f.flag, err)
		}
	}
	var cs []snapshot.Collector
	if o.Recipients != "" || o.Mailboxes != "" || o.Users != "" || o.ArchiveStats != "" {
		cs = append(cs, &tenant.Collector{Side: snapshot.SideSource, Recipients: o.Recipients, Mailboxes: o.Mailboxes,
			Users: o.Users, Archive: o.ArchiveStats, Lenient: env.lenient, Encoding: env.csvEncoding})
	}
	if o.TargetRecipients != "" {
		cs = append(cs, &tenant.Collector{Side: snapshot.SideTarget, Recipients: o.TargetRecipients, Lenient: env.lenient, Encoding: env.csvEncoding})
	}
	return cs, nil
}

// migratingDomains returns the --migrating-domain values, split on commas,
// lower case, without a trailing dot, sorted and deduplicated.
func migratingDomains(l listFlag) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range l {
		for _, d := range strings.Split(v, ",") {
			d = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(d), "."))
			if d != "" && !seen[d] {
				seen[d] = true
				out = append(out, d)
			}
		}
	}
	slices.Sort(out)
	return out
}
