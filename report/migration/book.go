// Package migration writes the files a tenant-to-tenant move is run
// from, straight from the snapshot records (not from the report, which
// holds findings, not every object):
//
//   - addresses.csv, the back-out backup of every recipient's UPN, alias,
//     primary SMTP address and proxy addresses [004 s49–50];
//   - migration-batches.csv, the source → target address of every
//     mailbox in waves no larger than the bandwidth allows [003 PW4.14],
//     delegates with their principals [002 §3.4.8].
//
// A Book is a snapshot.Sink the scan tees the records into when one of
// these formats is asked for. It holds one compact row per recipient in
// memory up to chunkRows rows and spills sorted chunks to temporary files
// beyond that, so a directory of a million objects costs a bounded amount
// of memory for addresses.csv; the batch planner keeps one small entry per
// source mailbox (mailboxes are a fraction of the objects).
package migration

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/preflight-scan/preflight/snapshot"
)

// Where an addresses.csv row came from (its Source column).
const (
	FromSourceTenant = "source tenant"
	FromTargetTenant = "target tenant"
	FromDirectory    = "directory"
)

// Book gathers what addresses.csv and migration-batches.csv need from the
// record stream. The zero value is not usable: use NewBook.
type Book struct {
	rows *sorter
	// sourceNames are the names of the sources seen so far, in order; a
	// directory row refers to the source that follows it in the stream.
	sourceNames []string
	// counts of rows by Source column.
	counts map[string]int64

	tenantBoxes []*mailboxEntry
	dirBoxes    []*mailboxEntry
	// targetDomains counts the domains of the target recipients'
	// addresses, to derive the target domain.
	targetOnMS      map[string]int
	targetPrimaries map[string]int
	err             error
}

// NewBook returns a Book whose spill files go to tmpDir ("" is the
// system's temporary directory). Close it when done.
func NewBook(tmpDir string) *Book {
	return &Book{rows: newSorter(tmpDir), counts: map[string]int64{}, targetOnMS: map[string]int{}, targetPrimaries: map[string]int{}}
}

// Close removes the Book's temporary files.
func (b *Book) Close() { b.rows.Close() }

// Put takes what the outputs need from one record; it keeps no reference
// to the record.
func (b *Book) Put(r *snapshot.Record) error {
	if b.err != nil {
		return b.err
	}
	switch {
	case r.Recipient != nil:
		b.err = b.recipient(r.Recipient)
	case r.Dir != nil:
		b.err = b.dir(r.Dir)
	case r.Source != nil:
		b.sourceNames = append(b.sourceNames, r.Source.Name)
	}
	return b.err
}

// The columns of addresses.csv, in order.
var addressColumns = []string{
	"Source", "Origin", "RecipientTypeDetails", "DisplayName", "UserPrincipalName", "Alias",
	"PrimarySmtpAddress", "ExternalEmailAddress", "EmailAddresses", "Identity",
}

// sourceOrder sorts the Source column: the source tenant first.
func sourceOrder(s string) string {
	switch s {
	case FromSourceTenant:
		return "1"
	case FromTargetTenant:
		return "2"
	}
	return "3"
}

func lower(s string) string { return strings.ToLower(s) }

// addRow adds an addresses.csv row; the sort key is the Source column,
// the type, then the primary SMTP address, UPN and identity (case
// insensitive).
func (b *Book) addRow(fields []string) error {
	b.counts[fields[0]]++
	key := sourceOrder(fields[0]) + "\x00" + lower(fields[2]) + "\x00" + lower(fields[6]) + "\x00" + lower(fields[4]) + "\x00" + lower(fields[9])
	return b.rows.add(row{key: key, fields: fields})
}

func (b *Book) recipient(r *snapshot.Recipient) error {
	from := FromSourceTenant
	if r.Side == snapshot.SideTarget {
		from = FromTargetTenant
	}
	typ := r.RecipientTypeDetails
	if typ == "" {
		typ = r.RecipientType
	}
	if err := b.addRow([]string{from, r.Origin, typ, r.DisplayName, r.UPN, r.Alias, r.PrimarySMTP, r.ExternalAddress,
		strings.Join(uniqSorted(append([]string(nil), r.Addresses...)), ";"), r.Identity}); err != nil {
		return err
	}
	if r.Side == snapshot.SideTarget {
		b.countTarget(r)
		return nil
	}
	if recipientIsMailbox(r) {
		b.tenantBoxes = append(b.tenantBoxes, tenantMailbox(r))
	}
	return nil
}

// recipientIsMailbox reports whether a recipient is a user, shared, room
// or equipment mailbox (not a group mailbox, a mail user or a contact).
func recipientIsMailbox(r *snapshot.Recipient) bool {
	d := lower(r.RecipientTypeDetails)
	if d == "" {
		d = lower(r.RecipientType)
	}
	if d == "" {
		return r.ExchangeGUID != ""
	}
	return strings.HasSuffix(d, "mailbox") && !strings.Contains(d, "group") && !strings.Contains(d, "contact") && !strings.Contains(d, "mailuser")
}

func (b *Book) countTarget(r *snapshot.Recipient) {
	seen := map[string]bool{}
	for _, a := range append([]string{r.PrimarySMTP}, r.Addresses...) {
		d := domainOf(a)
		if d == "" || seen[d] {
			continue
		}
		seen[d] = true
		if strings.HasSuffix(d, ".onmicrosoft.com") && !strings.HasSuffix(d, ".mail.onmicrosoft.com") && strings.Count(d, ".") == 2 {
			b.targetOnMS[d]++
		}
	}
	if d := domainOf(r.PrimarySMTP); d != "" {
		b.targetPrimaries[d]++
	}
}

// domainOf returns the lower-case domain of an address, with or without
// a type prefix.
func domainOf(a string) string {
	_, d, ok := strings.Cut(bare(a), "@")
	if !ok {
		return ""
	}
	return lower(strings.TrimSuffix(strings.TrimSpace(d), "."))
}

// bare strips an address type prefix (smtp:, SIP:, X500:).
func bare(a string) string {
	if i := strings.IndexByte(a, ':'); i > 0 && i <= 12 && !strings.ContainsAny(a[:i], "@/") {
		return a[i+1:]
	}
	return a
}

// Directory msExchRecipientTypeDetails values and their Exchange names.
var dirTypes = map[int64]string{
	1: "UserMailbox", 2: "LinkedMailbox", 4: "SharedMailbox", 16: "RoomMailbox", 32: "EquipmentMailbox",
	64: "MailContact", 128: "MailUser", 256: "MailUniversalDistributionGroup", 1024: "MailUniversalSecurityGroup",
	2048: "DynamicDistributionGroup", 2147483648: "RemoteUserMailbox", 8589934592: "RemoteRoomMailbox",
	17179869184: "RemoteEquipmentMailbox", 34359738368: "RemoteSharedMailbox",
}

// dirType names a directory object's recipient type: Exchange's name of
// its msExchRecipientTypeDetails, else its kind ("user", "group",
// "contact").
func dirType(o *snapshot.DirObject) string {
	if n, ok := o.Int("msexchrecipienttypedetails"); ok {
		if t, ok := dirTypes[n]; ok {
			return t
		}
		return strconv.FormatInt(n, 10)
	}
	return string(o.Kind)
}

// dirIsMailbox reports whether a directory user has an Exchange mailbox
// (on-premises or remote).
func dirIsMailbox(o *snapshot.DirObject) bool {
	if n, ok := o.Int("msexchrecipienttypedetails"); ok {
		switch dirTypes[n] {
		case "UserMailbox", "LinkedMailbox", "SharedMailbox", "RoomMailbox", "EquipmentMailbox",
			"RemoteUserMailbox", "RemoteRoomMailbox", "RemoteEquipmentMailbox", "RemoteSharedMailbox":
			return true
		}
		return false
	}
	return o.Has("msexchmailboxguid") || o.Has("homemdb")
}

// dirSourceRef stands for the name of the source a directory row came
// from until the source's record arrives (after its objects).
func dirSourceRef(n int) string { return "\x00src" + strconv.Itoa(n) }

func (b *Book) dir(o *snapshot.DirObject) error {
	switch o.Kind {
	case snapshot.KindUser, snapshot.KindGroup, snapshot.KindContact:
	default:
		return nil
	}
	if !o.MailEnabled() || snapshot.SystemReason(o) != "" {
		return nil
	}
	primary, _ := o.SMTPAddresses()
	addrs := append([]string(nil), o.Attrs["proxyaddresses"]...)
	addrs = uniqSorted(addrs)
	ref := dirSourceRef(len(b.sourceNames))
	if err := b.addRow([]string{FromDirectory, ref, dirType(o), o.First("displayname"), o.First("userprincipalname"),
		o.First("mailnickname"), primary, bare(o.First("targetaddress")), strings.Join(addrs, ";"), o.DN}); err != nil {
		return err
	}
	if o.Kind == snapshot.KindUser && dirIsMailbox(o) {
		b.dirBoxes = append(b.dirBoxes, dirMailbox(o, primary, ref))
	}
	return nil
}

// resolveSource replaces a directory row's source reference by the name
// of its source.
func (b *Book) resolveSource(v string) string {
	n, ok := strings.CutPrefix(v, "\x00src")
	if !ok {
		return v
	}
	i, err := strconv.Atoi(n)
	if err != nil || i >= len(b.sourceNames) {
		return ""
	}
	return b.sourceNames[i]
}

func uniqSorted(ss []string) []string {
	if len(ss) == 0 {
		return nil
	}
	slices.Sort(ss)
	return slices.Compact(ss)
}

// Counts returns how many addresses.csv rows each Source gave, for the
// run's notes.
func (b *Book) Counts() string {
	var parts []string
	for _, s := range []string{FromSourceTenant, FromTargetTenant, FromDirectory} {
		if n := b.counts[s]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d from the %s", n, s))
		}
	}
	if len(parts) == 0 {
		return "no recipients"
	}
	return strings.Join(parts, ", ")
}
