package content

import "github.com/preflight-scan/preflight/report/model"

// ChecklistItem is a migration step no scanner can verify: the customer
// ticks it off by hand.
type ChecklistItem struct {
	// When groups the step: before, cutover or after.
	When string
	Text string
	// Source is where the step comes from, as a seed tag.
	Source string
}

// Checklist returns the manual steps from the seed documents, in the
// order they fall in a project.
func Checklist() []ChecklistItem {
	return []ChecklistItem{
		{"Weeks before", "Make sure the technical contact address is correct and read every day: sync errors and migration notices go there.", "[002 §3.3.2.1], [000]"},
		{"Weeks before", "Confirm who owns each domain and that you can log in to its registrar; record every DNS record of each domain, not only the mail records.", "[004 s1–7], [003 Planning 1]"},
		{"Weeks before", "Inventory every application and device that sends or receives mail (multi-function devices, scanners, fax servers, line-of-business reports) and decide how each will send mail after the move. The MX record cannot move until they are handled.", "[002 §3.3.4.8]"},
		{"Weeks before", "Confirm at least two weeks ahead that the domains and sending IP addresses are on no blocklist (beyond the zones this scan queried).", "[004 s11]"},
		{"Weeks before", "Create two test accounts on each side and fill them with mail, folders, single and recurring meetings, contacts and tasks.", "[004 s19–21]"},
		{"Weeks before", "Plan the communications: 5 weeks before, tell managers; 4 weeks before, all users; 2 weeks before, managers approve the migration list and users get a reminder; 1 week before, users, managers and support staff; 1 day before, a reminder; afterwards, a welcome mail (users should set aside 2–3 hours).", "[002 §11]"},
		{"Weeks before", "List BlackBerry users and agree how their devices will be wiped and re-activated after the move.", "[002 §3.3.4.7], [000]"},
		{"Week of cutover", "One week before cutover, back up the user name (UPN), alias, primary SMTP address and proxy addresses of every mailbox and group.", "[004 s49–50]"},
		{"Week of cutover", "Ask for the MX record's TTL to be lowered (to about 5 minutes) at least 8 hours before the migration; if it cannot go that low, change the MX that long ahead.", "[004 s4, s61]"},
		{"Week of cutover", "Do not move the MX record until webmail shows the migrated mail and no mail-enabled application still needs the old server.", "[001 Step 4], [002 §3.5.8.3]"},
		{"Week of cutover", "Tell users how to set up their phones and tablets again: remove the old Exchange ActiveSync partnership, sign in with the e-mail address; send the iPhone and Android guides after cutover.", "[002 §3.5.10], [003 Phase 3.5]"},
		{"After cutover", "Run the test plan: send and receive internally and externally, check the sender address, a shared mailbox and a calendar invitation.", "[004 s94], [002 §12]"},
		{"After cutover", "Set \"Send on behalf\" permissions and mailbox quotas again; raised Outlook rules quotas are lost.", "[000]"},
		{"After cutover", "Restore the MX record's normal TTL (for example 1 hour).", "[004 s84]"},
		{"After cutover", "Remove the migration account's FullAccess permissions from the mailboxes.", "[004 s95]"},
		{"After cutover", "Back up the old mail system before you decommission it; do not leave it running \"for retrieval\".", "[002 §3.5.8]"},
	}
}

// tenantChecklist are the tenant-to-tenant runbook's steps that no export
// shows [004], by the group they join.
func tenantChecklist() []ChecklistItem {
	return []ChecklistItem{
		{"Weeks before", "Tenant to tenant: get domain administrator rights in the source tenant's admin portal; removing the domain there and adding it to the target needs them.", "[004 s9]"},
		{"Weeks before", "Tenant to tenant: review the source tenant's mail flow rules and connectors, and note which must be created again in the target (connection filter IP allow list, spam filter domain allow list).", "[004 s10, s77]"},
		{"Weeks before", "Tenant to tenant: agree which items the migration tool does not move; IM contacts cannot move to Teams, so set up IM federation for the weeks before cutover.", "[004 s8, s58]"},
		{"Weeks before", "Tenant to tenant: prepare the user communications (the project manager sends them) and confirm the migration date and time with the business.", "[004 s18, s46]"},
		{"Weeks before", "Tenant to tenant: create every user mailbox, shared mailbox, group, contact and resource in the target, with their mailbox and calendar delegations.", "[004 s15–17]"},
		{"Weeks before", "Tenant to tenant: set up both migration endpoints: an admin or service account with FullAccess on every source and target mailbox, EWS reachable on the source, and a test mailbox opened with that account in OWA; migrate the test accounts (pre-stage, then full) before anyone else.", "[004 s22–24, s29–31, s34–45]"},
		{"Week of cutover", "Tenant to tenant: export the target's contacts that carry the migrating domain and every mailbox's forwarding, for the back-out plan (addresses.csv is the backup of the source's addresses).", "[004 s49–54]"},
		{"Week of cutover", "Tenant to tenant: run the pre-stage pass of mail older than about 10 days, using the source's onmicrosoft.com addresses; add the domain to the target and note its TXT record, without verifying it yet.", "[004 s55–57]"},
		{"Week of cutover", "Tenant to tenant: one day before cutover, run the full pass and resolve its errors.", "[004 s59–60]"},
		{"Week of cutover", "Cutover day, source tenant: convert a federated domain to managed and turn off directory synchronisation where they apply; reset a SharePoint public website to the initial domain; remove Skype for Business and Teams licences (this removes the SIP addresses); set the default domain to onmicrosoft.com.", "[004 s62–66]"},
		{"Week of cutover", "Cutover day: for each unlicensed user that still holds an alias, assign a temporary licence, set the primary address to onmicrosoft.com, remove the aliases and take the licence off again (T2T-002 lists who).", "[004 s75]"},
		{"Week of cutover", "Cutover day: remove the domain from the source tenant, then wait up to 60 minutes before verifying it in the target.", "[004 s76, s105]"},
		{"Week of cutover", "Cutover day: verify the domain in the target and update the DNS records (allow about 20 minutes; a missing CNAME alone fails the check, choose Ignore incorrect DNS), then compare every record with View DNS settings after about an hour.", "[004 s78–80]"},
		{"Week of cutover", "Cutover day: clear forwarding in the target, add the aliases to its users and groups, run the final pass, delete the target contacts that carry the migrating addresses (T2T-003), then set the primary addresses of users, groups and shared mailboxes.", "[004 s81–91]"},
		{"After cutover", "Tenant to tenant: compare delegates and aliases of users and shared mailboxes between source and target, and run a last full pass.", "[004 s92–93]"},
		{"After cutover", "Tenant to tenant: take ownership of the domain and its DNS records if that was not done before.", "[004 s96]"},
		{"After cutover", "Tenant to tenant: keep the back-out plan ready until the move is accepted: restore primary addresses, proxies (from the backup), UPNs and Skype/Teams licences in the source, re-create the target's contacts and forwarding, reverse the DNS changes.", "[004 s97–115]"},
	}
}

// TenantToTenant reports whether rep is a tenant-to-tenant scan: one that
// judged the migrating domains (--migrating-domain with the source or the
// target tenant's exports: T2T-002, T2T-003 or T2T-004 assessed or
// finding something).
func TenantToTenant(rep *model.Report) bool {
	for _, c := range rep.Checks {
		switch c.RuleID {
		case "T2T-002", "T2T-003", "T2T-004":
			if c.Findings > 0 || (c.Status != model.StatusSkipped && c.Status != model.StatusNotApplicable) {
				return true
			}
		}
	}
	return false
}

// ChecklistFor returns the manual steps for rep: Checklist, and for a
// tenant-to-tenant scan the runbook's steps no export shows, each after
// the steps of its group.
func ChecklistFor(rep *model.Report) []ChecklistItem {
	base := Checklist()
	if rep == nil || !TenantToTenant(rep) {
		return base
	}
	extra := tenantChecklist()
	var out []ChecklistItem
	for i, it := range base {
		out = append(out, it)
		if i+1 < len(base) && base[i+1].When == it.When {
			continue
		}
		for _, t := range extra {
			if t.When == it.When {
				out = append(out, t)
			}
		}
	}
	return out
}
