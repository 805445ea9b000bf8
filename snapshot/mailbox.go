package snapshot

// Mailbox is one mailbox from Get-MailboxStatistics, the Microsoft 365
// mailbox usage report, or a live IMAP account.
type Mailbox struct {
	// Identity is the mailbox's identity as the export wrote it; folders
	// join to it.
	Identity    string `json:"identity"`
	DisplayName string `json:"display_name,omitempty"`
	// PrimarySMTP, LegacyDN and MailboxGUID join the mailbox to a directory
	// user when both are scanned.
	PrimarySMTP string `json:"primary_smtp,omitempty"`
	LegacyDN    string `json:"legacy_dn,omitempty"`
	MailboxGUID string `json:"mailbox_guid,omitempty"`
	// TotalBytes is the mailbox size in bytes (items plus deleted items
	// when the export gives both).
	TotalBytes int64 `json:"total_bytes"`
	// DeletedBytes is the part of TotalBytes held in Recoverable Items
	// (TotalDeletedItemSize), which Exchange Online counts against its own
	// quota, not the mailbox quota.
	DeletedBytes int64 `json:"deleted_bytes,omitempty"`
	// DeletedKnown is set when the export gave the Recoverable Items size
	// (TotalDeletedItemSize, the usage report's Deleted Item Size), so
	// that a DeletedBytes of 0 means empty, not unknown.
	DeletedKnown bool `json:"deleted_known,omitempty"`
	// RecoverableQuotaBytes is the Recoverable Items quota in force when
	// the export gives it (the usage report's Deleted Item Quota): 30 GB,
	// or 100 GB for a mailbox on hold.
	RecoverableQuotaBytes int64 `json:"recoverable_quota_bytes,omitempty"`
	// TypeDetail is the mailbox's type when the export gives it
	// (MailboxTypeDetail: UserMailbox, SharedMailbox …; the usage report's
	// Recipient Type: User, Shared …).
	TypeDetail string `json:"type_detail,omitempty"`
	// HasArchive is "true" or "false" when the export says whether the
	// mailbox has an archive (the usage report's Has Archive), "" unknown.
	HasArchive string `json:"has_archive,omitempty"`
	ItemCount  int64  `json:"item_count"`
	// LargestItemBytes is the largest item's size, when the export holds it.
	LargestItemBytes int64 `json:"largest_item_bytes,omitempty"`
	// Source names the file and line (or IMAP account) this came from.
	Origin string `json:"origin,omitempty"`
}

// Folder is one mailbox folder from Get-MailboxFolderStatistics or IMAP.
type Folder struct {
	// Mailbox is the Identity of the mailbox holding the folder.
	Mailbox string `json:"mailbox"`
	// Path is the folder path as exported ("/Inbox/Projects").
	Path string `json:"path"`
	// Type is the Exchange FolderType (Inbox, SentItems, DeletedItems,
	// Calendar, Contacts, User Created, ...), or derived from the path.
	Type string `json:"type"`
	// Items and Bytes are the folder's own counts (not subfolders).
	Items int64 `json:"items"`
	Bytes int64 `json:"bytes,omitempty"`
	// Subfolders is the number of direct children, when known (-1 unknown).
	Subfolders int64 `json:"subfolders,omitempty"`
	// Depth is the folder's depth below the mailbox root (1 = top level).
	Depth int `json:"depth,omitempty"`
	// LargestItemBytes is the largest item's size, when the export holds it.
	LargestItemBytes int64  `json:"largest_item_bytes,omitempty"`
	Origin           string `json:"origin,omitempty"`
}

// ClientInstall is one product installed on one host, from a client
// software inventory.
type ClientInstall struct {
	Host    string `json:"host"`
	Product string `json:"product"`
	Version string `json:"version"`
	Origin  string `json:"origin,omitempty"`
}
