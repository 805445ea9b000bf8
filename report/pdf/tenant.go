package pdf

// The tenant-to-tenant section: what stands between the migrating
// domains and their removal from the source tenant.

import (
	"fmt"
	"strconv"

	"github.com/preflight-scan/preflight/report/content"
)

func (w *writer) tenant() {
	v := content.Tenant(w.rep, MaxExamples)
	if v == nil {
		return
	}
	w.need(90)
	w.heading("Tenant to tenant")
	w.para("A migrating domain can only be removed from the source tenant, and added to the target, when every count below is zero.", 9.5, colText)
	w.p.Ln(1)
	rows := make([][]string, 0, len(v.Zero))
	for _, z := range v.Zero {
		n, what := strconv.Itoa(z.Count), z.What
		if z.Status != "" {
			n = z.Status
			if z.Reason != "" {
				what += "\n" + z.Reason
			}
		}
		rows = append(rows, []string{z.RuleID, what, n})
	}
	w.table([]column{{"Rule", 20, "", false}, {"Must reach zero", contentW - 50, "", true}, {"Now", 30, "R", false}}, rows, 9.5, func(r, c int) *rgb {
		if c != 2 {
			return nil
		}
		z := v.Zero[r]
		switch {
		case z.Status != "":
			return &colUnknown
		case z.Count == 0:
			return &colOK
		}
		return &colBad
	})
	w.subheading("Domain-removal readiness")
	switch {
	case len(v.Domains) > 0:
		cols := []column{{"Domain", contentW - 20 - 24*float64(len(v.Kinds)), "", false}}
		for _, k := range v.Kinds {
			cols = append(cols, column{content.KindLabel(k), 24, "R", false})
		}
		cols = append(cols, column{"Total", 20, "R", false})
		var drows [][]string
		for _, d := range v.Domains {
			r := []string{d.Domain}
			for _, n := range d.ByKind {
				r = append(r, strconv.Itoa(n))
			}
			drows = append(drows, append(r, strconv.Itoa(d.Total)))
		}
		w.table(cols, drows, 9.5, nil)
		w.para("Source objects still holding each migrating domain in a UPN, primary SMTP, proxy (smtp:, SIP:) or external address (T2T-002). Move each value to the onmicrosoft.com domain or remove it; an unlicensed user needs a temporary licence before Exchange lets its alias go [004 s75]. findings.csv lists every object and value.", 8.5, colMuted)
	case v.Cleared:
		w.para("No source object holds a migrating domain any more: the domain can be removed from the source tenant.", 9.5, colOK)
	default:
		w.para("Not assessed: "+v.Zero[0].Reason, 9.5, colMuted)
	}
	w.itemList("Collisions with the target tenant (T2T-004)", "The target object already holds the address", v.Collisions, v.MoreCollisions,
		"Remove the address from the target object, or plan the move around it: the source object cannot take it.")
	w.itemList("Target contacts and mail users to delete (T2T-003)", "Migrating address", v.Contacts, v.MoreContacts,
		"Delete them before the final pass [004 s53, s87–88], or adding the domain to the target fails.")
	w.itemList("Mailboxes without their onmicrosoft.com address (T2T-001)", "Fix", v.NoOnMicrosoft, v.MoreNoOnMicrosoft,
		"Every source mailbox needs alias@<tenant>.onmicrosoft.com before the domain is removed [004 s25–28].")
	w.p.Ln(2)
}

// subheading writes a heading inside a section.
func (w *writer) subheading(s string) {
	w.need(20)
	w.p.Ln(2)
	w.font("B", 11)
	w.text(colAccent)
	w.p.CellFormat(contentW, 6, w.clean(s), "", 1, "L", false, 0, "")
	w.text(colText)
}

// itemList writes one list of the tenant section, nothing when empty.
func (w *writer) itemList(title, detail string, items []content.TenantItem, more int, what string) {
	if len(items) == 0 {
		return
	}
	w.subheading(title)
	w.para(what, 8.5, colMuted)
	w.p.Ln(1)
	rows := make([][]string, 0, len(items))
	for _, it := range items {
		obj := it.ID
		if it.Name != "" && it.Name != it.ID {
			obj = it.Name + "\n" + it.ID
		}
		rows = append(rows, []string{obj, it.Detail})
	}
	w.table([]column{{"Object", 72, "", true}, {detail, contentW - 72, "", false}}, rows, 9, nil)
	if more > 0 {
		w.para(fmt.Sprintf("… and %d more in findings.csv.", more), 8.5, colMuted)
	}
}
