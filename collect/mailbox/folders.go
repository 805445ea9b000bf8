package mailbox

import (
	"context"
	"strings"

	"github.com/preflight-scan/preflight/collect/csvin"
	"github.com/preflight-scan/preflight/snapshot"
)

// Folder types, spelled as Exchange's FolderType values.
const (
	TypeInbox        = "Inbox"
	TypeSentItems    = "SentItems"
	TypeDeletedItems = "DeletedItems"
	TypeCalendar     = "Calendar"
	TypeContacts     = "Contacts"
	TypeDrafts       = "Drafts"
	TypeJunkEmail    = "JunkEmail"
	TypeOutbox       = "Outbox"
	TypeRoot         = "Root"
	TypeUserCreated  = "User Created"
)

// canonicalTypes maps a normalised FolderType to Exchange's spelling, so
// that "sentitems", "Sent Items" and "SentItems" compare equal.
var canonicalTypes = map[string]string{
	"inbox": TypeInbox, "sentitems": TypeSentItems, "deleteditems": TypeDeletedItems,
	"calendar": TypeCalendar, "contacts": TypeContacts, "drafts": TypeDrafts,
	"junkemail": TypeJunkEmail, "outbox": TypeOutbox, "root": TypeRoot,
	"usercreated": TypeUserCreated, "tasks": "Tasks", "notes": "Notes", "journal": "Journal",
}

// CanonicalType returns Exchange's spelling of a FolderType value (any
// case, with or without spaces); unknown types are returned trimmed.
func CanonicalType(t string) string {
	if c, ok := canonicalTypes[csvin.Normalize(t)]; ok {
		return c
	}
	return strings.TrimSpace(t)
}

// pathNames are the well-known top-level folder names in the languages
// most often met, used only when an export has no FolderType column.
var pathNames = map[string]string{
	"inbox": TypeInbox, "posteingang": TypeInbox, "boîte de réception": TypeInbox,
	"bandeja de entrada": TypeInbox, "posta in arrivo": TypeInbox, "postvak in": TypeInbox,
	"sent items": TypeSentItems, "gesendete elemente": TypeSentItems, "éléments envoyés": TypeSentItems,
	"elementos enviados": TypeSentItems, "posta inviata": TypeSentItems, "verzonden items": TypeSentItems,
	"deleted items": TypeDeletedItems, "gelöschte elemente": TypeDeletedItems, "éléments supprimés": TypeDeletedItems,
	"elementos eliminados": TypeDeletedItems, "posta eliminata": TypeDeletedItems, "verwijderde items": TypeDeletedItems,
	"calendar": TypeCalendar, "kalender": TypeCalendar, "calendrier": TypeCalendar, "calendario": TypeCalendar, "agenda": TypeCalendar,
	"contacts": TypeContacts, "kontakte": TypeContacts, "contactos": TypeContacts, "contatti": TypeContacts, "contactpersonen": TypeContacts,
	"drafts": TypeDrafts, "entwürfe": TypeDrafts, "brouillons": TypeDrafts, "borradores": TypeDrafts,
	"junk e-mail": TypeJunkEmail, "junk email": TypeJunkEmail, "junk-e-mail": TypeJunkEmail, "courrier indésirable": TypeJunkEmail,
	"outbox": TypeOutbox, "postausgang": TypeOutbox, "boîte d'envoi": TypeOutbox, "bandeja de salida": TypeOutbox,
}

// TypeFromPath guesses a folder's type from its path when the export has
// no FolderType: a well-known top-level name (in English, German, French,
// Spanish, Italian or Dutch) gives its type, the root "/" is Root, and
// anything else is User Created.
func TypeFromPath(path string) string {
	p := strings.Trim(path, "/")
	if p == "" {
		return TypeRoot
	}
	if strings.Contains(p, "/") {
		return TypeUserCreated
	}
	if t, ok := pathNames[strings.ToLower(p)]; ok {
		return t
	}
	return TypeUserCreated
}

// Depth is a folder path's depth below the mailbox root: "/" is 0,
// "/Inbox" 1, "/Inbox/A" 2. Exchange writes a "/" inside a folder name as
// U+F8FF, so "/" always separates levels.
func Depth(path string) int {
	p := strings.Trim(path, "/")
	if p == "" {
		return 0
	}
	return strings.Count(p, "/") + 1
}

func parentPath(path string) string {
	p := strings.TrimRight(path, "/")
	i := strings.LastIndexByte(p, '/')
	if i <= 0 {
		return "/"
	}
	return p[:i]
}

// IdentityOfFolder derives the mailbox identity from a folder's Identity
// ("mailboxIdentity\folder\path", as Exchange writes it) and FolderPath.
func IdentityOfFolder(identity, path string) string {
	p := strings.Trim(path, "/")
	if p != "" {
		suffix := `\` + strings.ReplaceAll(p, "/", `\`)
		if strings.HasSuffix(identity, suffix) {
			return identity[:len(identity)-len(suffix)]
		}
	} else if strings.HasSuffix(identity, `\`) {
		return strings.TrimSuffix(identity, `\`)
	}
	if i := strings.IndexByte(identity, '\\'); i >= 0 {
		return identity[:i]
	}
	return identity
}

// folderStats streams Get-MailboxFolderStatistics rows. Folders of one
// mailbox are held until the mailbox changes, to count each folder's
// direct subfolders; then they are emitted.
func (r *run) folderStats(ctx context.Context) error {
	t := r.t
	idCol, err := t.Require("Identity")
	if err != nil {
		return err
	}
	mbxCol := t.Col("Mailbox", "MailboxIdentity", "PrimarySmtpAddress")
	pathCol := t.Col("FolderPath")
	typeCol := t.Col("FolderType")
	if pathCol < 0 && typeCol < 0 {
		_, err := t.Require("FolderPath")
		return err
	}
	itemsCol, err := t.Require("ItemsInFolder")
	if err != nil {
		return err
	}
	sizeCol := t.Col("FolderSize")
	topCol := t.Col("TopSubjectSize")

	var cur string
	var batch []*snapshot.Folder
	children := map[string]int64{}
	flush := func() error {
		for _, f := range batch {
			f.Subfolders = children[f.Path]
			if err := r.put(&snapshot.Record{Folder: f}); err != nil {
				return err
			}
		}
		batch = batch[:0]
		clear(children)
		return nil
	}
	err = r.rows(ctx, func(row csvin.Row) error {
		id := row.Get(idCol)
		path := row.Get(pathCol)
		if path == "" && id != "" {
			// No FolderPath column: take it from the identity.
			if i := strings.IndexByte(id, '\\'); i >= 0 {
				path = "/" + strings.ReplaceAll(id[i+1:], `\`, "/")
			}
		}
		mbx := row.Get(mbxCol)
		if mbx == "" {
			mbx = IdentityOfFolder(id, path)
		}
		if mbx == "" {
			return row.Bad(idCol, "folder has no mailbox identity")
		}
		f := &snapshot.Folder{Mailbox: mbx, Path: path, Depth: Depth(path), Origin: r.origin(row.Line)}
		if ft := row.Get(typeCol); ft != "" {
			f.Type = CanonicalType(ft)
		} else {
			f.Type = TypeFromPath(path)
		}
		var ok bool
		var err error
		if f.Items, ok, err = count(row, itemsCol); !ok {
			return err
		}
		if sizeCol >= 0 && row.Get(sizeCol) != "" {
			if f.Bytes, ok, err = size(row, sizeCol); !ok {
				return err
			}
		}
		if topCol >= 0 && row.Get(topCol) != "" {
			if f.LargestItemBytes, ok, err = size(row, topCol); !ok {
				return err
			}
		}
		if mbx != cur {
			if err := flush(); err != nil {
				return err
			}
			cur = mbx
		}
		if f.Depth > 0 {
			children[parentPath(path)]++
		}
		batch = append(batch, f)
		return nil
	})
	if err != nil {
		return err
	}
	return flush()
}
