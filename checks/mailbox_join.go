package checks

import (
	"hash/fnv"
	"strings"

	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/snapshot"
)

// owners is the compact join index the mailbox checks use to name the
// person behind a mailbox or folder. Directory users arrive first in the
// stream, then mailboxes, then folders; each key (legacyExchangeDN,
// msExchMailboxGuid, SMTP addresses, UPN, sAMAccountName, display name,
// and a mailbox's own Identity) is kept only as a 64-bit hash pointing at
// a small owner entry, so the index grows with users and mailboxes, never
// with folder rows.
type owners struct {
	keys    keyIndex
	entries []owner
}

type owner struct {
	label string // display name
	dn    string // directory DN, "" when not joined
	guid  string // mailbox GUID, for fingerprints
}

// ambiguous marks a key held by two different owners (two users with the
// same display name): it joins nobody.
const ambiguous = int32(-1)

func newOwners() *owners { return &owners{keys: keyIndex{}} }

// ownerFeed is a mailbox check's view of the owner index. With the
// evaluation's shared stage (Env.Shared) the stage fills the one index all
// mailbox rules read, so k mailbox rules cost one index, not k, and the
// check's observe does nothing; without it the check fills an index of its
// own.
type ownerFeed struct {
	*owners
	own       bool
	noMailbox bool
}

func (f *ownerFeed) observe(r *snapshot.Record) {
	if !f.own || (f.noMailbox && r.Dir != nil) {
		return
	}
	f.owners.observe(r)
}

// ownerIndex returns the owner index a mailbox check reads, asking the
// shared stage to build it.
func (e Env) ownerIndex() *ownerFeed {
	if e.Shared == nil {
		return &ownerFeed{owners: newOwners(), own: true, noMailbox: e.NoMailboxSource}
	}
	if e.Shared.owners == nil {
		e.Shared.owners = newOwners()
		e.Shared.noMailbox = e.NoMailboxSource
	}
	return &ownerFeed{owners: e.Shared.owners}
}

func joinKey(s string) (uint64, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return 0, false
	}
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64(), true
}

// keyIndex maps the hashes of an entry's join keys (folded, trimmed) to
// the entry's index; a key two entries hold is ambiguous and joins neither.
type keyIndex map[uint64]int32

// add files keys under entry idx.
func (k keyIndex) add(idx int32, keys ...string) {
	for _, key := range keys {
		h, ok := joinKey(key)
		if !ok {
			continue
		}
		if prev, seen := k[h]; seen && prev != idx {
			k[h] = ambiguous
			continue
		}
		k[h] = idx
	}
}

// lookup returns the entry of the first key that names exactly one.
func (k keyIndex) lookup(keys ...string) (int32, bool) {
	for _, key := range keys {
		h, ok := joinKey(key)
		if !ok {
			continue
		}
		if i, seen := k[h]; seen && i >= 0 {
			return i, true
		}
	}
	return 0, false
}

func (ix *owners) add(idx int32, keys ...string) { ix.keys.add(idx, keys...) }

func (ix *owners) find(keys ...string) (owner, bool) {
	if i, ok := ix.keys.lookup(keys...); ok {
		return ix.entries[i], true
	}
	return owner{}, false
}

// observe indexes directory users and mailboxes; other records are
// ignored.
func (ix *owners) observe(r *snapshot.Record) {
	switch {
	case r.Dir != nil && r.Dir.Kind == snapshot.KindUser:
		o := r.Dir
		ix.entries = append(ix.entries, owner{label: o.Label(), dn: o.DN, guid: o.First("msexchmailboxguid")})
		idx := int32(len(ix.entries) - 1)
		_, addrs := o.SMTPAddresses()
		ix.add(idx, o.First("legacyexchangedn"), o.First("msexchmailboxguid"), o.First("userprincipalname"))
		ix.add(idx, addrs...)
		ix.add(idx, o.First("displayname"), o.First("samaccountname"))
	case r.Mailbox != nil:
		m := r.Mailbox
		own, ok := ix.find(m.MailboxGUID, m.LegacyDN, m.PrimarySMTP, m.Identity, m.DisplayName)
		if !ok {
			own = owner{label: m.DisplayName}
			if own.label == "" {
				own.label = m.Identity
			}
		}
		if own.guid == "" {
			own.guid = m.MailboxGUID
		}
		ix.entries = append(ix.entries, own)
		idx := int32(len(ix.entries) - 1)
		// A mailbox's own keys point at the joined owner; they do not
		// override a directory user's keys.
		for _, k := range []string{m.Identity, m.MailboxGUID, m.LegacyDN, m.PrimarySMTP, m.DisplayName} {
			if h, ok := joinKey(k); ok {
				if _, seen := ix.keys[h]; !seen {
					ix.keys[h] = idx
				}
			}
		}
	}
}

// mailboxKeys are the keys a mailbox identity string may match: the whole
// identity and, for "domain/OU/Name" identities, the last segment.
func mailboxKeys(id string) []string {
	keys := []string{id}
	if i := strings.LastIndexByte(id, '/'); i >= 0 && i < len(id)-1 {
		keys = append(keys, id[i+1:])
	}
	return keys
}

// forMailbox returns the finding object of a mailbox, named after its
// directory user when the join succeeds.
func (ix *owners) forMailbox(m *snapshot.Mailbox) (Finding, owner) {
	keys := append([]string{m.MailboxGUID, m.LegacyDN, m.PrimarySMTP}, mailboxKeys(m.Identity)...)
	keys = append(keys, m.DisplayName)
	own, ok := ix.find(keys...)
	if !ok {
		own = owner{label: m.DisplayName, guid: m.MailboxGUID}
	}
	if own.label == "" {
		own.label = m.Identity
	}
	f := Finding{Object: model.Object{Kind: "mailbox", ID: m.Identity, Name: own.label}}
	if own.guid != "" {
		f.Identity = own.guid
	}
	f.Evidence = map[string]any{}
	if own.dn != "" {
		f.Evidence["user_dn"] = own.dn
	}
	return f, own
}

// forFolder returns the finding object of a folder ("mailbox\path").
func (ix *owners) forFolder(fo *snapshot.Folder) (Finding, owner) {
	own, ok := ix.find(mailboxKeys(fo.Mailbox)...)
	if !ok || own.label == "" {
		own.label = fo.Mailbox
	}
	f := Finding{Object: model.Object{Kind: "folder", ID: fo.Mailbox + `\` + strings.TrimPrefix(fo.Path, "/"), Name: own.label + ": " + fo.Path}}
	f.Evidence = map[string]any{"mailbox": fo.Mailbox, "folder_path": fo.Path, "folder_type": fo.Type}
	if own.dn != "" {
		f.Evidence["user_dn"] = own.dn
	}
	return f, own
}
