package snapshot

import "strings"

// Reasons SystemReason gives for a directory object that is never
// synchronised as a recipient. They are the keys of the report's
// "excluded" counts.
const (
	ExcludedCritical        = "critical-system-object"
	ExcludedConflict        = "replication-conflict"
	ExcludedMachineAccount  = "machine-account"
	ExcludedArbitration     = "exchange-arbitration-mailbox"
	ExcludedDiscovery       = "exchange-discovery-mailbox"
	ExcludedMonitoring      = "exchange-monitoring-mailbox"
	ExcludedAuditLog        = "exchange-audit-log-mailbox"
	ExcludedAuxAuditLog     = "exchange-aux-audit-log-mailbox"
	ExcludedSystemAttendant = "exchange-system-attendant"
	ExcludedSystemMailbox   = "exchange-system-mailbox"
	ExcludedExchangeSystem  = "exchange-system-object"
	ExcludedSystemName      = "exchange-system-name"
	ExcludedWellKnown       = "well-known-account"
)

// msExchRecipientTypeDetails values of objects that are Exchange's own,
// never a person or a shared resource (Exchange's RecipientTypeDetails
// enumeration; each value is one bit).
var systemRecipientTypes = []struct {
	value  int64
	reason string
}{
	{8192, ExcludedSystemAttendant},           // SystemAttendantMailbox
	{16384, ExcludedSystemMailbox},            // SystemMailbox (mailbox database)
	{4194304, ExcludedExchangeSystem},         // MicrosoftExchange
	{8388608, ExcludedArbitration},            // ArbitrationMailbox
	{16777216, ExcludedExchangeSystem},        // MailboxPlan
	{536870912, ExcludedDiscovery},            // DiscoveryMailbox
	{549755813888, ExcludedMonitoring},        // MonitoringMailbox (HealthMailbox…)
	{4398046511104, ExcludedAuditLog},         // AuditLogMailbox
	{70368744177664, ExcludedAuxAuditLog},     // AuxAuditLogMailbox
	{140737488355328, ExcludedExchangeSystem}, // SupervisoryReviewPolicyMailbox
}

// SystemReason says why a directory object is a well-known system or
// service object that is never synchronised as a recipient, or "" when it
// is not one: critical system objects, replication conflicts, accounts
// whose name ends in "$", Exchange's system mailboxes by
// msExchRecipientTypeDetails or by their well-known names (SystemMailbox{…},
// Migration.8f3e7716…, FederatedEmail.4c1f4d8b…, DiscoverySearchMailbox,
// HealthMailbox…, SM_ accounts) and the built-in accounts (krbtgt, Guest,
// DefaultAccount, WDAGUtilityAccount…). Name prefixes are chosen so they
// cannot hide real people ("IWAM_", not "iwam", which matched "Iwamoto").
func SystemReason(o *DirObject) string {
	if v := o.First("iscriticalsystemobject"); v != "" && strings.EqualFold(strings.TrimSpace(v), "TRUE") {
		return ExcludedCritical
	}
	if strings.Contains(o.DN, "CNF:") && (strings.Contains(o.DN, `\0ACNF:`) || strings.Contains(o.DN, `\0aCNF:`) || strings.Contains(o.DN, "\nCNF:")) {
		return ExcludedConflict
	}
	if n, ok := o.Int("msexchrecipienttypedetails"); ok && n > 0 {
		for _, t := range systemRecipientTypes {
			if n == t.value {
				return t.reason
			}
		}
	}
	cn := o.First("cn")
	if cn == "" {
		cn = FirstRDNValue(o.DN)
	}
	if strings.HasSuffix(cn, "$") {
		return ExcludedMachineAccount
	}
	if cn != "" {
		if r := wellKnownName(cn); r != "" {
			return r
		}
	}
	if o.Kind != KindUser {
		return ""
	}
	if sam := o.First("samaccountname"); sam != "" {
		if strings.HasSuffix(sam, "$") {
			return ExcludedMachineAccount
		}
		if exchangeSMAccount(sam) {
			return ExcludedSystemName
		}
		switch {
		case hasPrefixFold(sam, "CAS_"), hasPrefixFold(sam, "SUPPORT_"), hasPrefixFold(sam, "MSOL_"):
			return ExcludedWellKnown
		case builtinAccount(sam):
			return ExcludedWellKnown
		}
	}
	if nick := o.First("mailnickname"); nick != "" {
		if hasPrefixFold(nick, "CAS_") {
			return ExcludedWellKnown
		}
		if hasPrefixFold(nick, "SystemMailbox") {
			return ExcludedSystemName
		}
	}
	return ""
}

// exchangeSMAccount reports whether a sAMAccountName is one Exchange gives
// its system mailboxes: "SM_" and at least eight hexadecimal digits
// ("SM_8f3e7716a2b24b1c8").
func exchangeSMAccount(sam string) bool {
	if len(sam) < 11 || !hasPrefixFold(sam, "SM_") {
		return false
	}
	for i := 3; i < len(sam); i++ {
		c := sam[i] | 0x20
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// builtinAccount reports whether a name is one of Windows' built-in
// accounts, as the whole name.
func builtinAccount(name string) bool {
	for _, b := range []string{"krbtgt", "Guest", "DefaultAccount", "WDAGUtilityAccount"} {
		if strings.EqualFold(name, b) {
			return true
		}
	}
	return false
}

// wellKnownName returns the exclusion reason for a cn that is one of the
// well-known system and service account names (by prefix, ASCII case
// ignored), or "". It dispatches on the first letter: every directory
// object passes here.
func wellKnownName(cn string) string {
	yes := func(b bool, reason string) string {
		if b {
			return reason
		}
		return ""
	}
	switch cn[0] | 0x20 {
	case 'a':
		return yes(hasPrefixFold(cn, "Admini"), ExcludedWellKnown)
	case 'c':
		return yes(hasPrefixFold(cn, "CAS_{"), ExcludedWellKnown)
	case 'd':
		if hasPrefixFold(cn, "DiscoverySearchMailbox") {
			return ExcludedSystemName
		}
		return yes(strings.EqualFold(cn, "DefaultAccount"), ExcludedWellKnown)
	case 'e':
		return yes(hasPrefixFold(cn, "Exchange Online-ApplicationAccount"), ExcludedSystemName)
	case 'f':
		return yes(hasPrefixFold(cn, "FederatedEmail"), ExcludedSystemName)
	case 'g':
		return yes(strings.EqualFold(cn, "Guest"), ExcludedWellKnown)
	case 'h':
		if hasPrefixFold(cn, "HealthMailbox") {
			return ExcludedSystemName
		}
		return yes(hasPrefixFold(cn, "HTTPConnector"), ExcludedWellKnown)
	case 'i':
		return yes(hasPrefixFold(cn, "IUSR_") || hasPrefixFold(cn, "IWAM_"), ExcludedWellKnown)
	case 'k':
		return yes(hasPrefixFold(cn, "krbtgt"), ExcludedWellKnown)
	case 'm':
		if hasPrefixFold(cn, "Migration.8f3e7716-2011-43e4-96b1-aba62d229136") {
			return ExcludedSystemName
		}
		return yes(hasPrefixFold(cn, "MSOL_"), ExcludedWellKnown)
	case 's':
		if hasPrefixFold(cn, "SystemMailbox") {
			return ExcludedSystemName
		}
		return yes(hasPrefixFold(cn, "support_"), ExcludedWellKnown)
	case 'w':
		return yes(hasPrefixFold(cn, "WWIOadmini") || strings.EqualFold(cn, "WDAGUtilityAccount"), ExcludedWellKnown)
	}
	return ""
}

// hasPrefixFold is strings.HasPrefix ignoring ASCII case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// FirstRDNValue returns the value of a DN's first RDN ("Jane" for
// "CN=Jane,OU=x"), escapes left as they are.
func FirstRDNValue(dn string) string {
	end := len(dn)
	for i := 0; i < len(dn); i++ {
		if dn[i] == '\\' {
			i++
			continue
		}
		if dn[i] == ',' {
			end = i
			break
		}
	}
	_, v, _ := strings.Cut(dn[:end], "=")
	return strings.TrimSpace(v)
}
