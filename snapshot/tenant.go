package snapshot

// The sides of a tenant-to-tenant move a Recipient belongs to.
const (
	SideSource = "source"
	SideTarget = "target"
)

// Recipient is one Exchange recipient (mailbox, mail user, contact, group)
// of the source or the target tenant of a tenant-to-tenant move, merged
// from the recipient, mailbox and user exports that describe it.
type Recipient struct {
	// Side is SideSource or SideTarget.
	Side string `json:"side"`
	// Identity, ExchangeGUID, UPN and PrimarySMTP are the keys objects are
	// matched by across the exports.
	Identity     string `json:"identity,omitempty"`
	ExchangeGUID string `json:"exchange_guid,omitempty"`
	UPN          string `json:"upn,omitempty"`
	DisplayName  string `json:"display_name,omitempty"`
	Alias        string `json:"alias,omitempty"`
	// RecipientType and RecipientTypeDetails are Exchange's (UserMailbox,
	// SharedMailbox, MailContact, MailUser, GroupMailbox, ...).
	RecipientType        string `json:"recipient_type,omitempty"`
	RecipientTypeDetails string `json:"recipient_type_details,omitempty"`
	PrimarySMTP          string `json:"primary_smtp,omitempty"`
	// ExternalAddress is ExternalEmailAddress (contacts and mail users).
	ExternalAddress string `json:"external_address,omitempty"`
	// Addresses are the proxy addresses as exported, with their prefix
	// (SMTP:, smtp:, SIP:, X500:), sorted and without duplicates.
	Addresses []string `json:"addresses,omitempty"`
	// Forwarding is ForwardingSmtpAddress, ForwardTo ForwardingAddress.
	Forwarding        string   `json:"forwarding,omitempty"`
	ForwardTo         string   `json:"forward_to,omitempty"`
	DeliverAndForward bool     `json:"deliver_and_forward,omitempty"`
	LitigationHold    bool     `json:"litigation_hold,omitempty"`
	InPlaceHolds      []string `json:"in_place_holds,omitempty"`
	// HoldKnown is set when an export gave LitigationHoldEnabled or
	// InPlaceHolds: only then does "no hold" mean no hold.
	HoldKnown     bool   `json:"hold_known,omitempty"`
	ArchiveStatus string `json:"archive_status,omitempty"`
	// ArchiveGUID is ArchiveGuid (the archive mailbox's GUID; the archive
	// statistics export's MailboxGuid), lower case; all zeros means none.
	ArchiveGUID string `json:"archive_guid,omitempty"`
	// AutoExpandingArchive is AutoExpandingArchiveEnabled; AutoExpandKnown
	// is set when an export gave the column.
	AutoExpandingArchive bool `json:"auto_expanding_archive,omitempty"`
	AutoExpandKnown      bool `json:"auto_expand_known,omitempty"`
	// ArchiveQuotaBytes and RecoverableQuotaBytes are the mailbox's
	// ArchiveQuota and RecoverableItemsQuota when exported (0 unknown or
	// Unlimited).
	ArchiveQuotaBytes     int64 `json:"archive_quota_bytes,omitempty"`
	RecoverableQuotaBytes int64 `json:"recoverable_quota_bytes,omitempty"`
	// Archive is set when an archive statistics export covered the object.
	Archive *ArchiveInfo `json:"archive,omitempty"`
	// Delegates are the mailboxes' GrantSendOnBehalfTo entries, when
	// exported.
	Delegates []string `json:"delegates,omitempty"`
	// Licensed is "true" or "false" when a user export gave the assigned
	// licences, "" when unknown.
	Licensed string `json:"licensed,omitempty"`
	// Exports names the exports that described the object (recipients,
	// mailboxes, users).
	Exports []string `json:"exports,omitempty"`
	Origin  string   `json:"origin,omitempty"`
}

// ArchiveInfo is what an archive statistics export
// (Get-EXOMailboxStatistics -Archive) says of one recipient's archive.
type ArchiveInfo struct {
	TotalBytes   int64 `json:"total_bytes"`
	DeletedBytes int64 `json:"deleted_bytes,omitempty"`
}
