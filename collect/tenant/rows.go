package tenant

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/preflight-scan/preflight/collect/csvin"
	"github.com/preflight-scan/preflight/collect/mailbox"
	"github.com/preflight-scan/preflight/snapshot"
)

// columns are the column indexes of one export (-1 absent).
type columns struct {
	t                                             *csvin.Table
	identity, guid, upn, name, display, alias     int
	rtype, rdetails, primary, external, addresses int
	fwdSMTP, fwdAddr, deliver, litigation, holds  int
	archive, autoExpand, delegates, enabled, skus int
	totalSize, deletedSize, archiveGUID           int
	archiveQuota, recoverableQuota                int
}

func columnsOf(t *csvin.Table) columns {
	return columns{t: t,
		identity: t.Col("Identity"), guid: t.Col("ExchangeGuid", "MailboxGuid"),
		upn: t.Col("UserPrincipalName"), name: t.Col("Name"), display: t.Col("DisplayName"),
		alias: t.Col("Alias", "MailNickname"), rtype: t.Col("RecipientType"),
		rdetails: t.Col("RecipientTypeDetails"), primary: t.Col("PrimarySmtpAddress", "Mail"),
		external: t.Col("ExternalEmailAddress"), addresses: t.Col("EmailAddresses", "ProxyAddresses"),
		fwdSMTP: t.Col("ForwardingSmtpAddress"), fwdAddr: t.Col("ForwardingAddress"),
		deliver: t.Col("DeliverToMailboxAndForward"), litigation: t.Col("LitigationHoldEnabled"),
		holds: t.Col("InPlaceHolds"), archive: t.Col("ArchiveStatus"),
		autoExpand: t.Col("AutoExpandingArchiveEnabled"), delegates: t.Col("GrantSendOnBehalfTo"),
		enabled: t.Col("AccountEnabled"), skus: t.Col("AssignedLicenses", "SkuIds", "AssignedLicensesSkuIds"),
		totalSize: t.Col("TotalItemSize"), deletedSize: t.Col("TotalDeletedItemSize"),
		archiveGUID: t.Col("ArchiveGuid"), archiveQuota: t.Col("ArchiveQuota"),
		recoverableQuota: t.Col("RecoverableItemsQuota"),
	}
}

func (c columns) empty() bool {
	return c.identity < 0 && c.guid < 0 && c.upn < 0 && c.primary < 0
}

// list reads a joined multi-valued column, refusing a .NET type name.
func (c columns) list(row csvin.Row, col int, path string, split func(string) []string) ([]string, error) {
	v := row.Get(col)
	if v == "" {
		return nil, nil
	}
	if IsTypeName(v) {
		name := c.t.Header()[col]
		return nil, &snapshot.InputError{File: path, Line: row.Line, Column: name, Msg: fmt.Sprintf(
			"holds the type name %q, not the values: the property was exported without -join; export it as @{n='%s';e={$_.%s -join ';'}}",
			clipValue(v), name, name)}
	}
	return split(v), nil
}

func clipValue(v string) string {
	if len(v) > 80 {
		return v[:80] + "…"
	}
	return v
}

func truthy(v string) bool {
	return strings.EqualFold(strings.TrimSpace(v), "true")
}

// recipient maps one row; ok false drops it (lenient mode).
func (c columns) recipient(row csvin.Row, path string, kind export) (*snapshot.Recipient, bool, error) {
	r := &snapshot.Recipient{
		Identity:             row.Get(c.identity),
		ExchangeGUID:         strings.ToLower(strings.Trim(row.Get(c.guid), "{}")),
		UPN:                  row.Get(c.upn),
		DisplayName:          firstOf(row.Get(c.display), row.Get(c.name)),
		Alias:                row.Get(c.alias),
		RecipientType:        row.Get(c.rtype),
		RecipientTypeDetails: row.Get(c.rdetails),
		PrimarySMTP:          row.Get(c.primary),
		ExternalAddress:      Bare(row.Get(c.external)),
		Forwarding:           Bare(row.Get(c.fwdSMTP)),
		ForwardTo:            row.Get(c.fwdAddr),
		DeliverAndForward:    truthy(row.Get(c.deliver)),
		LitigationHold:       truthy(row.Get(c.litigation)),
		ArchiveStatus:        row.Get(c.archive),
		AutoExpandingArchive: truthy(row.Get(c.autoExpand)),
		AutoExpandKnown:      c.autoExpand >= 0,
		HoldKnown:            c.litigation >= 0,
		ArchiveGUID:          strings.ToLower(strings.Trim(row.Get(c.archiveGUID), "{}")),
		Exports:              []string{kind.String()},
		Origin:               fmt.Sprintf("%s:%d", path, row.Line),
	}
	var err error
	if r.Addresses, err = c.list(row, c.addresses, path, SplitAddresses); err != nil {
		return nil, false, err
	}
	if r.InPlaceHolds, err = c.list(row, c.holds, path, SplitList); err != nil {
		return nil, false, err
	}
	if r.Delegates, err = c.list(row, c.delegates, path, SplitList); err != nil {
		return nil, false, err
	}
	var skus []string
	if skus, err = c.list(row, c.skus, path, SplitList); err != nil {
		return nil, false, err
	}
	if c.skus >= 0 {
		r.Licensed = fmt.Sprint(len(skus) > 0)
	}
	if r.PrimarySMTP == "" {
		for _, a := range r.Addresses {
			if strings.HasPrefix(a, "SMTP:") {
				r.PrimarySMTP = a[5:]
			}
		}
	}
	for _, q := range []struct {
		col int
		dst *int64
	}{{c.archiveQuota, &r.ArchiveQuotaBytes}, {c.recoverableQuota, &r.RecoverableQuotaBytes}} {
		if q.col < 0 || row.Get(q.col) == "" {
			continue
		}
		n, perr := mailbox.ParseSize(row.Get(q.col))
		if errors.Is(perr, mailbox.ErrUnlimited) {
			continue
		}
		if perr != nil {
			return nil, false, row.Bad(q.col, perr.Error())
		}
		*q.dst = n
	}
	if kind == exArchive {
		// The archive statistics' MailboxGuid is the archive's own GUID,
		// which the mailbox export names ArchiveGuid.
		if r.ArchiveGUID == "" {
			r.ArchiveGUID = r.ExchangeGUID
		}
		a := &snapshot.ArchiveInfo{}
		if c.totalSize >= 0 && row.Get(c.totalSize) != "" {
			n, perr := mailbox.ParseSize(row.Get(c.totalSize))
			if perr != nil {
				return nil, false, row.Bad(c.totalSize, perr.Error())
			}
			a.TotalBytes = n
		}
		if c.deletedSize >= 0 && row.Get(c.deletedSize) != "" {
			n, perr := mailbox.ParseSize(row.Get(c.deletedSize))
			if perr != nil {
				return nil, false, row.Bad(c.deletedSize, perr.Error())
			}
			a.DeletedBytes = n
		}
		r.Archive = a
	}
	if r.Identity == "" && r.ExchangeGUID == "" && r.UPN == "" && r.PrimarySMTP == "" {
		return nil, false, row.Bad(c.identity, "row has no Identity, ExchangeGuid, UserPrincipalName or primary SMTP address")
	}
	return r, true, nil
}

func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// merger joins the rows of one side's exports into objects.
type merger struct {
	side string
	objs []*snapshot.Recipient
	// index maps "kind:lower-case key" to an object.
	index map[string]*snapshot.Recipient
}

func newMerger(side string) *merger {
	return &merger{side: side, index: map[string]*snapshot.Recipient{}}
}

func (m *merger) len() int { return len(m.objs) }

func keys(r *snapshot.Recipient) []string {
	var ks []string
	add := func(kind, v string) {
		if v != "" {
			ks = append(ks, kind+":"+strings.ToLower(v))
		}
	}
	add("guid", r.ExchangeGUID)
	if r.ArchiveGUID != "" && r.ArchiveGUID != noGUID {
		add("guid", r.ArchiveGUID)
	}
	add("addr", r.UPN)
	add("addr", r.PrimarySMTP)
	add("id", r.Identity)
	return ks
}

// add merges r into the object it matches, or adds it. It reports whether
// r matched an object (always true when match is false).
func (m *merger) add(r *snapshot.Recipient, kind export, match bool) bool {
	r.Side = m.side
	var into *snapshot.Recipient
	for _, k := range keys(r) {
		if o := m.index[k]; o != nil {
			into = o
			break
		}
	}
	if into == nil && match && kind == exArchive {
		// Archive statistics describe a mailbox's archive, not a recipient
		// of their own: one that matches no mailbox is counted as
		// unmatched, not judged as a mailbox (T2T-001 would flag it).
		return false
	}
	if into == nil {
		m.objs = append(m.objs, r)
		m.indexOf(r)
		return !match
	}
	mergeInto(into, r)
	m.indexOf(into)
	return true
}

func (m *merger) indexOf(r *snapshot.Recipient) {
	for _, k := range keys(r) {
		if _, ok := m.index[k]; !ok {
			m.index[k] = r
		}
	}
}

// noGUID is the all-zeros GUID Exchange writes for "no archive".
const noGUID = "00000000-0000-0000-0000-000000000000"

func set(dst *string, v string) {
	if *dst == "" {
		*dst = v
	}
}

func mergeInto(o, r *snapshot.Recipient) {
	set(&o.Identity, r.Identity)
	set(&o.ExchangeGUID, r.ExchangeGUID)
	set(&o.UPN, r.UPN)
	set(&o.DisplayName, r.DisplayName)
	set(&o.Alias, r.Alias)
	set(&o.RecipientType, r.RecipientType)
	set(&o.RecipientTypeDetails, r.RecipientTypeDetails)
	set(&o.PrimarySMTP, r.PrimarySMTP)
	set(&o.ExternalAddress, r.ExternalAddress)
	set(&o.Forwarding, r.Forwarding)
	set(&o.ForwardTo, r.ForwardTo)
	set(&o.ArchiveStatus, r.ArchiveStatus)
	set(&o.Licensed, r.Licensed)
	o.DeliverAndForward = o.DeliverAndForward || r.DeliverAndForward
	o.LitigationHold = o.LitigationHold || r.LitigationHold
	o.AutoExpandingArchive = o.AutoExpandingArchive || r.AutoExpandingArchive
	o.AutoExpandKnown = o.AutoExpandKnown || r.AutoExpandKnown
	o.HoldKnown = o.HoldKnown || r.HoldKnown
	if o.ArchiveGUID == "" || o.ArchiveGUID == noGUID {
		o.ArchiveGUID = r.ArchiveGUID
	}
	if o.ArchiveQuotaBytes == 0 {
		o.ArchiveQuotaBytes = r.ArchiveQuotaBytes
	}
	if o.RecoverableQuotaBytes == 0 {
		o.RecoverableQuotaBytes = r.RecoverableQuotaBytes
	}
	o.Addresses = append(o.Addresses, r.Addresses...)
	o.InPlaceHolds = append(o.InPlaceHolds, r.InPlaceHolds...)
	o.Delegates = append(o.Delegates, r.Delegates...)
	o.Exports = append(o.Exports, r.Exports...)
	if r.Archive != nil {
		o.Archive = r.Archive
	}
}

// uniq sorts ss and drops exact duplicates.
func uniq(ss []string) []string {
	if len(ss) == 0 {
		return nil
	}
	slices.Sort(ss)
	return slices.Compact(ss)
}

// sorted returns the objects with their lists normalised, ordered by
// primary SMTP address, UPN, Identity and GUID.
func (m *merger) sorted() []*snapshot.Recipient {
	for _, o := range m.objs {
		o.Addresses = uniq(o.Addresses)
		o.InPlaceHolds = uniq(o.InPlaceHolds)
		o.Delegates = uniq(o.Delegates)
	}
	key := func(o *snapshot.Recipient) string {
		return strings.ToLower(o.PrimarySMTP) + "\x00" + strings.ToLower(o.UPN) + "\x00" + strings.ToLower(o.Identity) + "\x00" + o.ExchangeGUID + "\x00" + o.Origin
	}
	sort.SliceStable(m.objs, func(i, j int) bool { return key(m.objs[i]) < key(m.objs[j]) })
	return m.objs
}
