package html

// The tenant-to-tenant section's model.

import (
	"strconv"

	"github.com/preflight-scan/preflight/report/content"
	"github.com/preflight-scan/preflight/report/model"
)

type tenantPage struct {
	Zero        []zeroRow
	Kinds       []string
	Domains     []content.DomainHeld
	Cleared     bool
	NotAssessed string
	Lists       []tenantList
}

type zeroRow struct {
	RuleID, What, Reason, Now, Class string
}

type tenantList struct {
	ID, Title, Detail, What string
	Items                   []content.TenantItem
	More                    int
}

func tenantSection(rep *model.Report) *tenantPage {
	v := content.Tenant(rep, MaxExamples)
	if v == nil {
		return nil
	}
	t := &tenantPage{Domains: v.Domains, Cleared: v.Cleared}
	for _, k := range v.Kinds {
		t.Kinds = append(t.Kinds, content.KindLabel(k))
	}
	for _, z := range v.Zero {
		r := zeroRow{RuleID: z.RuleID, What: z.What, Reason: z.Reason, Now: strconv.Itoa(z.Count), Class: "bad"}
		switch {
		case z.Status != "":
			r.Now, r.Class = z.Status, "muted"
		case z.Count == 0:
			r.Class = "ok"
		}
		t.Zero = append(t.Zero, r)
	}
	if len(v.Domains) == 0 && !v.Cleared {
		t.NotAssessed = v.Zero[0].Reason
	}
	for _, l := range []tenantList{
		{ID: "T2T-004", Title: "Collisions with the target tenant", Detail: "The target object already holds the address", Items: v.Collisions, More: v.MoreCollisions,
			What: "Remove the address from the target object, or plan the move around it: the source object cannot take it."},
		{ID: "T2T-003", Title: "Target contacts and mail users to delete", Detail: "Migrating address", Items: v.Contacts, More: v.MoreContacts,
			What: "Delete them before the final pass [004 s53, s87–88], or adding the domain to the target fails."},
		{ID: "T2T-001", Title: "Mailboxes without their onmicrosoft.com address", Detail: "Fix", Items: v.NoOnMicrosoft, More: v.MoreNoOnMicrosoft,
			What: "Every source mailbox needs alias@<tenant>.onmicrosoft.com before the domain is removed [004 s25–28]."},
	} {
		if len(l.Items) > 0 {
			t.Lists = append(t.Lists, l)
		}
	}
	return t
}
