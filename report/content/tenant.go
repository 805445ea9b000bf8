package content

import (
	"fmt"
	"sort"
	"strings"

	"github.com/preflight-scan/preflight/report/model"
)

// TenantView is the tenant-to-tenant section of the PDF and HTML reports:
// what stands between the migrating domains and their removal from the
// source tenant, drawn from the T2T rules' checks and findings.
type TenantView struct {
	// Domains are the migrating domains still held by source objects,
	// with the objects by kind (T2T-002), sorted by domain.
	Domains []DomainHeld
	// Kinds are the object kinds of the Domains table, in a fixed order.
	Kinds []string
	// Cleared is said when T2T-002 judged objects and none holds a
	// migrating domain.
	Cleared bool
	// Zero are the counts that must reach zero before the domain moves.
	Zero []ZeroCount
	// Collisions (T2T-004), Contacts (T2T-003) and NoOnMicrosoft
	// (T2T-001) are the first findings of each, up to the examples
	// limit; the More fields count the rest.
	Collisions, Contacts, NoOnMicrosoft             []TenantItem
	MoreCollisions, MoreContacts, MoreNoOnMicrosoft int
}

// DomainHeld is one migrating domain and the source objects still
// holding it.
type DomainHeld struct {
	Domain string
	// ByKind counts the objects by kind, in the order of TenantView.Kinds.
	ByKind []int
	Total  int
}

// ZeroCount is one count that must reach zero.
type ZeroCount struct {
	RuleID, What string
	Count        int
	// Status is "" when judged, else "not assessed"; Reason says why.
	Status, Reason string
}

// TenantItem is one object of a list.
type TenantItem struct {
	ID, Name, Detail string
}

// tenantKinds is the order of the object kinds in the Domains table.
var tenantKinds = []string{"mailbox", "user", "group", "contact", "other"}

// KindLabel names an object kind in the tenant section's table.
func KindLabel(k string) string {
	switch k {
	case "mailbox":
		return "Mailboxes"
	case "user":
		return "Mail users"
	case "group":
		return "Groups"
	case "contact":
		return "Contacts"
	}
	return "Other"
}

// Tenant returns the tenant-to-tenant section of rep, nil when the scan
// judged no tenant exports (every T2T check skipped, no T2T finding).
func Tenant(rep *model.Report, examples int) *TenantView {
	checks := map[string]model.Check{}
	judged := false
	for _, c := range rep.Checks {
		switch c.RuleID {
		case "T2T-001", "T2T-002", "T2T-003", "T2T-004":
			checks[c.RuleID] = c
			if c.Status != model.StatusSkipped && c.Status != model.StatusNotApplicable {
				judged = true
			}
		}
	}
	byRule := map[string][]model.Finding{}
	for _, f := range rep.Findings {
		if f.Suppressed == nil && strings.HasPrefix(f.RuleID, "T2T-") {
			byRule[f.RuleID] = append(byRule[f.RuleID], f)
			judged = true
		}
	}
	if !judged {
		return nil
	}
	v := &TenantView{}
	v.domains(byRule["T2T-002"])
	if c, ok := checks["T2T-002"]; ok && len(v.Domains) == 0 && c.Evaluated > 0 && c.Status != model.StatusError && c.Status != model.StatusSkipped {
		v.Cleared = true
	}
	for _, z := range []struct{ id, what string }{
		{"T2T-002", "Source objects still holding a migrating domain"},
		{"T2T-004", "Target objects colliding with a source address"},
		{"T2T-003", "Target contacts and mail users to delete"},
		{"T2T-001", "Source mailboxes without their onmicrosoft.com address"},
	} {
		zc := ZeroCount{RuleID: z.id, What: z.what, Count: len(byRule[z.id])}
		if c, ok := checks[z.id]; !ok {
			zc.Status, zc.Reason = "not assessed", "the rule did not run"
		} else if c.Status == model.StatusSkipped || c.Status == model.StatusError {
			zc.Status, zc.Reason = "not assessed", strings.TrimPrefix(c.Error, "not assessed: ")
		}
		v.Zero = append(v.Zero, zc)
	}
	v.Collisions, v.MoreCollisions = items(byRule["T2T-004"], examples, observedText)
	v.Contacts, v.MoreContacts = items(byRule["T2T-003"], examples, observedText)
	v.NoOnMicrosoft, v.MoreNoOnMicrosoft = items(byRule["T2T-001"], examples, func(f model.Finding) string {
		// The check's message names the address to add.
		if _, add, ok := strings.Cut(f.Message, "; add smtp:"); ok {
			add, _, _ = strings.Cut(add, " ")
			return "add smtp:" + add
		}
		if t, ok := f.Evidence["tenant"].(string); ok && t != "" {
			local, _, _ := strings.Cut(f.Object.ID, "@")
			return fmt.Sprintf("add smtp:%s@%s.onmicrosoft.com", local, t)
		}
		return ""
	})
	return v
}

func (v *TenantView) domains(fs []model.Finding) {
	counts := map[string]map[string]int{}
	kinds := map[string]bool{}
	for _, f := range fs {
		migrating := strList(f.Evidence["domains"])
		seen := map[string]bool{}
		for _, o := range strList(f.Evidence["observed"]) {
			d := domainIn(o, migrating)
			if d == "" || seen[d] {
				continue
			}
			seen[d] = true
			if counts[d] == nil {
				counts[d] = map[string]int{}
			}
			k := f.Object.Kind
			if !contains(tenantKinds, k) {
				k = "other"
			}
			counts[d][k]++
			kinds[k] = true
		}
	}
	for _, k := range tenantKinds {
		if kinds[k] {
			v.Kinds = append(v.Kinds, k)
		}
	}
	for d, byKind := range counts {
		row := DomainHeld{Domain: d}
		for _, k := range v.Kinds {
			row.ByKind = append(row.ByKind, byKind[k])
			row.Total += byKind[k]
		}
		v.Domains = append(v.Domains, row)
	}
	sort.Slice(v.Domains, func(i, j int) bool { return v.Domains[i].Domain < v.Domains[j].Domain })
}

// domainIn returns the migrating domain an observed value ("UPN
// a@contoso.com", "proxy smtp:b@sub.contoso.com") is in: the listed
// domain it equals or is a subdomain of, else its own domain when no list
// is known.
func domainIn(observed string, migrating []string) string {
	f := strings.Fields(observed)
	if len(f) == 0 {
		return ""
	}
	_, d, ok := strings.Cut(f[len(f)-1], "@")
	if !ok {
		return ""
	}
	d = strings.ToLower(strings.TrimSuffix(d, "."))
	if len(migrating) == 0 {
		return d
	}
	for _, m := range migrating {
		m = strings.ToLower(m)
		if d == m || strings.HasSuffix(d, "."+m) {
			return m
		}
	}
	return ""
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// strList reads a list of strings from evidence, as the engine gives it
// ([]string) or as JSON decodes it ([]any); a single string is a list
// of one.
func strList(v any) []string {
	switch v := v.(type) {
	case []string:
		return v
	case string:
		if v == "" {
			return nil
		}
		return []string{v}
	case []any:
		var out []string
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func observedText(f model.Finding) string {
	return strings.Join(strList(f.Evidence["observed"]), ", ")
}

// items returns the first n findings as list items, ordered by object
// ID, and how many are left out.
func items(fs []model.Finding, n int, detail func(model.Finding) string) ([]TenantItem, int) {
	sorted := append([]model.Finding(nil), fs...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Object.ID < sorted[j].Object.ID })
	var out []TenantItem
	for i, f := range sorted {
		if i == n {
			return out, len(sorted) - n
		}
		out = append(out, TenantItem{ID: f.Object.ID, Name: f.Object.Name, Detail: detail(f)})
	}
	return out, 0
}
