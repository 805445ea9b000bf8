package checks

import (
	"strings"

	"github.com/preflight-scan/preflight/snapshot"
)

// The mailbox facts MBX-008…010 join to a mailbox's statistics: whether it
// is shared, on hold, has an archive with auto-expanding archiving, and the
// quotas the export gives. They come from the source tenant's exports
// (Recipient records: Get-EXOMailbox, Get-EXORecipient, Get-MgUser,
// Get-EXOMailboxStatistics -Archive) and from the on-premises directory
// where it holds them (msExchRecipientTypeDetails, msExchELCMailboxFlags,
// msExchLitigationHoldDate, msExchUserHoldPolicies, msExchArchiveGUID,
// msExchArchiveName).

// tri is a fact that may be unknown: an export that lacks a column says
// nothing, which is not "no".
type tri int8

const (
	triUnknown tri = iota
	triNo
	triYes
)

// or combines two readings of one fact: yes wins, then no.
func (t tri) or(u tri) tri {
	if t == triYes || u == triYes {
		return triYes
	}
	if t == triNo || u == triNo {
		return triNo
	}
	return triUnknown
}

func triOf(known, v bool) tri {
	switch {
	case !known:
		return triUnknown
	case v:
		return triYes
	}
	return triNo
}

// Directory values (msExchRecipientTypeDetails, msExchELCMailboxFlags).
const (
	rtdSharedMailbox       = 4           // SharedMailbox
	rtdRemoteSharedMailbox = 34359738368 // RemoteSharedMailbox (a shared mailbox in Exchange Online)
	elcLitigationHold      = 8           // msExchELCMailboxFlags bit LitigationHold
	zeroGUID               = "00000000-0000-0000-0000-000000000000"
)

// mbxState is what is known of a mailbox's type, holds, archive and
// quotas: what one source says (mbxFact) or all sources together (joined).
type mbxState struct {
	typeName   string
	shared     tri
	hold       tri
	holdWhy    string
	archive    tri
	archiveWhy string
	autoExpand tri
	// recoverableQuota and archiveQuota are the quotas the exports give
	// (0 unknown).
	archiveQuota, recoverableQuota int64
	licensed                       string
}

// absorb adds what f says to what s knows: a yes wins over a no, a no over
// unknown; the first quota and licence given stand.
func (s *mbxState) absorb(f mbxState) {
	s.shared = s.shared.or(f.shared)
	if s.typeName == "" || f.shared == triYes {
		s.typeName = f.typeName
	}
	if f.hold == triYes && s.hold != triYes {
		s.holdWhy = f.holdWhy
	}
	s.hold = s.hold.or(f.hold)
	if f.archive == triYes && s.archive != triYes {
		s.archiveWhy = f.archiveWhy
	}
	s.archive = s.archive.or(f.archive)
	s.autoExpand = s.autoExpand.or(f.autoExpand)
	if s.recoverableQuota == 0 {
		s.recoverableQuota = f.recoverableQuota
	}
	if s.archiveQuota == 0 {
		s.archiveQuota = f.archiveQuota
	}
	if s.licensed == "" {
		s.licensed = f.licensed
	}
}

// mbxFact is what one source says about one mailbox.
type mbxFact struct {
	mbxState
	// finding names the object when the fact alone makes a finding
	// (a shared mailbox on hold without statistics).
	finding Finding
	keys    []string
	// from says where the facts come from ("directory", "tenant export").
	from string
	// archiveBytes is the archive's size when an archive statistics
	// export covered the mailbox; -1 unknown.
	archiveBytes int64
	origin       string
}

// facts indexes the mailbox facts of one evaluation by join key. Tenant
// exports and the directory are kept apart (the same person is in both in
// a hybrid scan) and read together.
type facts struct {
	tenant, dir factIndex
}

type factIndex struct {
	keys    keyIndex
	entries []*mbxFact
}

func (ix *factIndex) add(f *mbxFact) {
	if ix.keys == nil {
		ix.keys = keyIndex{}
	}
	ix.entries = append(ix.entries, f)
	ix.keys.add(int32(len(ix.entries)-1), f.keys...)
}

func (ix *factIndex) find(keys ...string) *mbxFact {
	if i, ok := ix.keys.lookup(keys...); ok {
		return ix.entries[i]
	}
	return nil
}

func newFacts() *facts { return &facts{} }

// factsIndex returns the mailbox facts index a check reads: the shared
// stage's when there is one (filled once per record for every rule), else
// nil and the check feeds its own.
func (e Env) factsIndex() (*facts, bool) {
	if e.Shared == nil {
		return newFacts(), true
	}
	if e.Shared.facts == nil {
		e.Shared.facts = newFacts()
	}
	return e.Shared.facts, false
}

func (fs *facts) observe(r *snapshot.Record) {
	switch {
	case r.Recipient != nil && r.Recipient.Side != snapshot.SideTarget:
		if f := recipientFact(r.Recipient); f != nil {
			fs.tenant.add(f)
		}
	case r.Dir != nil && r.Dir.Kind == snapshot.KindUser:
		if f := dirFact(r.Dir); f != nil {
			fs.dir.add(f)
		}
	}
}

// activeHolds drops the exclusions ("-mbx…": the mailbox is excluded from
// an organisation-wide retention policy) from InPlaceHolds.
func activeHolds(hs []string) []string {
	var out []string
	for _, h := range hs {
		if h = strings.TrimSpace(h); h != "" && !strings.HasPrefix(h, "-") {
			out = append(out, h)
		}
	}
	return out
}

func recipientFact(r *snapshot.Recipient) *mbxFact {
	if RecipientKind(r) != "mailbox" && r.Archive == nil {
		return nil
	}
	f := &mbxFact{finding: forRecipient(r), from: "tenant export", archiveBytes: -1, origin: r.Origin,
		mbxState: mbxState{typeName: RecipientTypeOf(r), licensed: r.Licensed, archiveQuota: r.ArchiveQuotaBytes, recoverableQuota: r.RecoverableQuotaBytes}}
	f.keys = []string{r.ExchangeGUID, r.UPN, r.PrimarySMTP, r.Identity}
	for _, a := range r.Addresses {
		if strings.HasPrefix(strings.ToLower(a), "smtp:") {
			f.keys = append(f.keys, addrBare(a))
		}
	}
	f.keys = append(f.keys, r.DisplayName)
	if d := r.RecipientTypeDetails; d != "" {
		f.shared = triOf(true, strings.EqualFold(d, "SharedMailbox") || strings.EqualFold(d, "RemoteSharedMailbox"))
	}
	switch held := activeHolds(r.InPlaceHolds); {
	case r.LitigationHold:
		f.hold, f.holdWhy = triYes, "litigation hold (LitigationHoldEnabled)"
	case len(held) > 0:
		f.hold, f.holdWhy = triYes, "in-place or retention hold (InPlaceHolds "+strings.Join(held, ";")+")"
	case r.HoldKnown:
		f.hold = triNo
	}
	switch {
	case r.Archive != nil:
		f.archive, f.archiveWhy, f.archiveBytes = triYes, "archive statistics exported", r.Archive.TotalBytes
	case strings.EqualFold(r.ArchiveStatus, "Active"):
		f.archive, f.archiveWhy = triYes, "ArchiveStatus Active"
	case r.ArchiveGUID != "" && r.ArchiveGUID != zeroGUID:
		f.archive, f.archiveWhy = triYes, "ArchiveGuid "+r.ArchiveGUID
	case r.ArchiveStatus != "":
		f.archive = triNo
	}
	f.autoExpand = triOf(r.AutoExpandKnown, r.AutoExpandingArchive)
	return f
}

func dirFact(o *snapshot.DirObject) *mbxFact {
	rtd, hasType := o.Int("msexchrecipienttypedetails")
	if !hasType && !o.Has("msexchmailboxguid") && !o.Has("msexcharchiveguid") {
		return nil
	}
	f := &mbxFact{finding: ForDir(o), from: "directory", archiveBytes: -1, origin: o.DN}
	_, addrs := o.SMTPAddresses()
	f.keys = append([]string{o.First("msexchmailboxguid"), o.First("legacyexchangedn"), o.First("userprincipalname")}, addrs...)
	f.keys = append(f.keys, o.First("displayname"), o.First("cn"), o.First("samaccountname"))
	if hasType {
		f.shared = triOf(true, rtd == rtdSharedMailbox || rtd == rtdRemoteSharedMailbox)
		f.typeName = "msExchRecipientTypeDetails " + o.First("msexchrecipienttypedetails")
	}
	flags, hasFlags := o.Int("msexchelcmailboxflags")
	holds := activeHolds(o.Attrs["msexchuserholdpolicies"])
	switch {
	case hasFlags && flags&elcLitigationHold != 0:
		f.hold, f.holdWhy = triYes, "litigation hold (msExchELCMailboxFlags)"
	case len(holds) > 0:
		f.hold, f.holdWhy = triYes, "in-place or retention hold (msExchUserHoldPolicies "+strings.Join(holds, ";")+")"
	case !hasFlags && o.Has("msexchlitigationholddate"):
		f.hold, f.holdWhy = triYes, "litigation hold (msExchLitigationHoldDate)"
	case hasFlags:
		f.hold = triNo
	}
	if g := o.First("msexcharchiveguid"); g != "" && g != zeroGUID {
		f.archive, f.archiveWhy = triYes, "msExchArchiveGUID "+g
	} else if n := o.First("msexcharchivename"); n != "" {
		f.archive, f.archiveWhy = triYes, "msExchArchiveName "+n
	}
	return f
}

// joined is every fact known of one mailbox, from its statistics, the
// tenant exports and the directory.
type joined struct {
	mbxState
	tenant, dir *mbxFact
}

// join looks up a mailbox's facts by its keys (GUID, legacyExchangeDN,
// addresses, identity, display name, in that order) and combines them
// with what the mailbox statistics themselves say.
func (fs *facts) join(m *snapshot.Mailbox) joined {
	keys := append([]string{m.MailboxGUID, m.LegacyDN, m.PrimarySMTP}, mailboxKeys(m.Identity)...)
	keys = append(keys, m.DisplayName)
	j := joinFacts(fs.tenant.find(keys...), fs.dir.find(keys...))
	switch t := strings.ToLower(m.TypeDetail); {
	case t == "":
	case t == "shared" || t == "sharedmailbox":
		j.shared, j.typeName = triYes, m.TypeDetail
	case j.shared == triUnknown:
		j.shared, j.typeName = triNo, m.TypeDetail
	}
	switch m.HasArchive {
	case "true":
		if j.archive != triYes {
			j.archive, j.archiveWhy = triYes, "Has Archive True (usage report)"
		}
	case "false":
		j.archive = j.archive.or(triNo)
	}
	if m.RecoverableQuotaBytes > 0 {
		j.recoverableQuota = m.RecoverableQuotaBytes
	}
	return j
}

func joinFacts(t, d *mbxFact) joined {
	j := joined{tenant: t, dir: d}
	for _, f := range []*mbxFact{t, d} {
		if f != nil {
			j.absorb(f.mbxState)
		}
	}
	return j
}

// forJoined starts a finding about a mailbox, named after its directory
// user or, failing that, the display name the tenant exports give.
func forJoined(ix *ownerFeed, m *snapshot.Mailbox, j joined) (Finding, string) {
	fd, own := ix.forMailbox(m)
	if own.dn == "" && j.tenant != nil && j.tenant.finding.Object.Name != "" {
		fd.Object.Name = j.tenant.finding.Object.Name
		if fd.Identity == "" {
			fd.Identity = j.tenant.finding.Identity
		}
	}
	return fd, fd.Object.Name
}
