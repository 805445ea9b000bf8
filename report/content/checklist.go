package content

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
