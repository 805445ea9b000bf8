package snapshot

import (
	"encoding/binary"
	"encoding/hex"
	"strconv"
	"strings"
)

// ObjectKind classifies a directory object.
type ObjectKind string

// Directory object kinds.
const (
	KindUser     ObjectKind = "user"
	KindContact  ObjectKind = "contact"
	KindGroup    ObjectKind = "group"
	KindComputer ObjectKind = "computer"
	KindDomain   ObjectKind = "domain"
	KindOther    ObjectKind = "other"
)

// DirObject is one directory entry, as read over LDAP or from LDIF. Both
// collectors build it with NewDirObject so that a live scan and a scan of
// an export of the same objects give the same records.
type DirObject struct {
	// DN is the distinguished name as the server wrote it.
	DN string `json:"dn"`
	// Kind is derived from objectClass, or without it from what is certain
	// (Classify); KindUnclassified when nothing is.
	Kind ObjectKind `json:"kind"`
	// Domain is the DNS name of the domain holding the object, derived from
	// the DC= components of the DN, lower-case ("corp.example.com").
	Domain string `json:"domain"`
	// Attrs maps lower-case attribute names to their values. Only the
	// attributes of DirectoryAttributes are kept. Binary values are
	// normalised: objectGUID, msExchMailboxGuid and msExchArchiveGUID as the canonical
	// lower-case GUID string, objectSid as S-1-5-... form.
	Attrs map[string][]string `json:"attrs"`
}

// DirectoryAttributes are the attributes the directory collectors request
// and keep, in LDAP display-name spelling.
var directoryAttributes = []string{
	"objectClass", "objectCategory", "sAMAccountType", "objectGUID", "objectSid", "cn", "name", "distinguishedName",
	"sAMAccountName", "userPrincipalName", "mail", "mailNickname", "proxyAddresses",
	"targetAddress", "displayName", "givenName", "sn",
	"title", "department", "physicalDeliveryOfficeName", "telephoneNumber", "mobile",
	"facsimileTelephoneNumber", "streetAddress", "l", "st", "postalCode", "c", "co",
	"userAccountControl", "pwdLastSet", "accountExpires",
	"msRTCSIP-PrimaryUserAddress", "altRecipient", "deliverAndRedirect", "publicDelegates",
	"operatingSystem", "operatingSystemVersion", "operatingSystemServicePack", "dNSHostName",
	"legacyExchangeDN", "msExchMailboxGuid", "msExchRecipientTypeDetails", "homeMDB",
	"msExchArchiveGUID", "msExchArchiveName", "msExchELCMailboxFlags", "msExchLitigationHoldDate",
	"msExchUserHoldPolicies",
	"groupType", "isCriticalSystemObject", "member",
	"minPwdLength", "pwdProperties", "pwdHistoryLength", "maxPwdAge", "minPwdAge",
	"lockoutThreshold", "lockoutDuration",
}

// DirectoryAttributes returns the attributes the directory collectors
// request, in LDAP display-name spelling.
func DirectoryAttributes() []string {
	return append([]string(nil), directoryAttributes...)
}

// keptAttributes maps the lower-case names of directoryAttributes to
// themselves. It is built once and only read.
var keptAttributes = func() map[string]string {
	m := make(map[string]string, len(directoryAttributes))
	for _, a := range directoryAttributes {
		l := strings.ToLower(a)
		m[l] = l
	}
	return m
}()

// KeepAttribute reports whether an attribute (any case, with or without a
// ";range=" or other option) is one the snapshot keeps, and returns its
// lower-case base name.
func KeepAttribute(name string) (string, bool) {
	base := name
	if i := strings.IndexByte(base, ';'); i >= 0 {
		base = base[:i]
	}
	if l, ok := keptAttributes[base]; ok {
		return l, true
	}
	lower := strings.ToLower(base)
	l, ok := keptAttributes[lower]
	if !ok {
		return lower, false
	}
	return l, true
}

// RawAttr is one attribute of an entry as a collector read it: its name
// (any case, with or without options) and its raw values.
type RawAttr struct {
	Name string
	Vals [][]byte
}

// NewDirObject builds a directory object from raw attribute values keyed by
// attribute name (any case). Attributes not in DirectoryAttributes are
// dropped; binary attributes are normalised.
//
// All values of the object share one string and one slice backing array
// (each attribute's slice is capped, so appending to it copies): a million
// objects cost a few allocations each instead of one per value.
func NewDirObject(dn string, raw map[string][][]byte) *DirObject {
	var keptStack [64]RawAttr
	attrs := keptStack[:0]
	for name, vals := range raw {
		attrs = append(attrs, RawAttr{Name: name, Vals: vals})
	}
	return NewDirObjectAttrs(dn, attrs)
}

// NewDirObjectAttrs is NewDirObject from a list of attributes, as a
// collector that reads them in order holds them (no map to build per
// object). Two attributes of one base name (member, member;range=0-1499)
// are merged in list order.
func NewDirObjectAttrs(dn string, raw []RawAttr) *DirObject {
	type kept struct {
		base string
		vals [][]byte
	}
	var keptStack [64]kept
	attrs := keptStack[:0]
	nvals, nbytes := 0, 0
	for _, r := range raw {
		name, vals := r.Name, r.Vals
		base, ok := KeepAttribute(name)
		if !ok || len(vals) == 0 {
			continue
		}
		attrs = append(attrs, kept{base, vals})
		nvals += len(vals)
		for _, v := range vals {
			nbytes += len(v)
		}
	}
	var endStack [128]int
	ends := endStack[:0]
	var sb strings.Builder
	sb.Grow(nbytes + 64)
	var tmp [96]byte
	for _, a := range attrs {
		for _, v := range a.vals {
			if a.base == "objectguid" || a.base == "msexchmailboxguid" || a.base == "msexcharchiveguid" || a.base == "objectsid" {
				sb.Write(appendValue(tmp[:0], a.base, v))
			} else {
				sb.Write(v)
			}
			ends = append(ends, sb.Len())
		}
	}
	all := sb.String()
	values := make([]string, nvals)
	o := &DirObject{DN: dn, Attrs: make(map[string][]string, len(attrs))}
	i, from := 0, 0
	for _, a := range attrs {
		first := i
		for range a.vals {
			values[i] = all[from:ends[i]]
			from = ends[i]
			i++
		}
		if prev, ok := o.Attrs[a.base]; ok {
			// Two descriptions of one attribute (member, member;range=…).
			o.Attrs[a.base] = append(prev, values[first:i]...)
		} else {
			o.Attrs[a.base] = values[first:i:i]
		}
	}
	o.Kind, _ = Classify(o.Attrs)
	o.Domain = DomainOfDN(dn)
	return o
}

// appendValue appends the normalised form of one raw value of attr.
func appendValue(dst []byte, attr string, v []byte) []byte {
	switch attr {
	case "objectguid", "msexchmailboxguid", "msexcharchiveguid":
		if len(v) == 16 {
			return appendGUID(dst, v)
		}
	case "objectsid":
		if validSID(v) {
			return appendSID(dst, v)
		}
	}
	return append(dst, v...)
}

// FormatGUID renders a 16-byte Active Directory GUID (mixed-endian) in the
// canonical form Windows shows, lower-case.
func FormatGUID(b []byte) string {
	var buf [36]byte
	return string(appendGUID(buf[:0], b))
}

func appendGUID(dst, b []byte) []byte {
	// The first three groups are little-endian, the last two in order.
	for _, i := range [...]int{3, 2, 1, 0} {
		dst = hex.AppendEncode(dst, b[i:i+1])
	}
	dst = append(dst, '-')
	dst = hex.AppendEncode(dst, []byte{b[5], b[4]})
	dst = append(dst, '-')
	dst = hex.AppendEncode(dst, []byte{b[7], b[6]})
	dst = append(dst, '-')
	dst = hex.AppendEncode(dst, b[8:10])
	dst = append(dst, '-')
	return hex.AppendEncode(dst, b[10:16])
}

func validSID(b []byte) bool {
	return len(b) >= 8 && int(b[1])*4+8 == len(b)
}

func appendSID(dst, b []byte) []byte {
	var auth uint64
	for _, x := range b[2:8] {
		auth = auth<<8 | uint64(x)
	}
	dst = append(dst, 'S', '-')
	dst = strconv.AppendUint(dst, uint64(b[0]), 10)
	dst = append(dst, '-')
	dst = strconv.AppendUint(dst, auth, 10)
	for i := 0; i < int(b[1]); i++ {
		dst = append(dst, '-')
		dst = strconv.AppendUint(dst, uint64(binary.LittleEndian.Uint32(b[8+4*i:])), 10)
	}
	return dst
}

// KindOf classifies an object by its objectClass values.
func KindOf(classes []string) ObjectKind {
	has := func(c string) bool {
		for _, x := range classes {
			if strings.EqualFold(x, c) {
				return true
			}
		}
		return false
	}
	switch {
	case has("computer"):
		return KindComputer
	case has("user") || has("inetOrgPerson"):
		return KindUser
	case has("contact"):
		return KindContact
	case has("group"):
		return KindGroup
	case has("domainDNS"):
		return KindDomain
	}
	return KindOther
}

// DomainOfDN returns the DNS domain name formed by the DC= components of a
// DN, lower-case; "" if there are none.
func DomainOfDN(dn string) string {
	var b strings.Builder
	start := 0
	for i := 0; i <= len(dn); i++ {
		if i < len(dn) && dn[i] == '\\' {
			i++
			continue
		}
		if i < len(dn) && dn[i] != ',' {
			continue
		}
		rdn := strings.TrimSpace(dn[start:i])
		start = i + 1
		if len(rdn) > 3 && (rdn[0] == 'd' || rdn[0] == 'D') && (rdn[1] == 'c' || rdn[1] == 'C') {
			k, v, ok := strings.Cut(rdn, "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "dc") {
				if b.Len() > 0 {
					b.WriteByte('.')
				}
				b.WriteString(strings.ToLower(strings.TrimSpace(v)))
			}
		}
	}
	return b.String()
}

// First returns the first value of an attribute (lower-case name), or "".
func (o *DirObject) First(attr string) string {
	if v := o.Attrs[attr]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// Has reports whether the attribute has at least one non-empty value.
func (o *DirObject) Has(attr string) bool {
	for _, v := range o.Attrs[attr] {
		if strings.TrimSpace(v) != "" {
			return true
		}
	}
	return false
}

// Int returns the first value of an attribute parsed as an integer.
func (o *DirObject) Int(attr string) (int64, bool) {
	v := strings.TrimSpace(o.First(attr))
	if v == "" {
		return 0, false
	}
	n, err := strconv.ParseInt(v, 10, 64)
	return n, err == nil
}

// UAC flags used by the rules.
const (
	UACAccountDisable     = 0x2
	UACPasswdNotReqd      = 0x20
	UACDontExpirePassword = 0x10000
	UACSmartcardRequired  = 0x40000
)

// Disabled reports whether a user's account is disabled.
func (o *DirObject) Disabled() bool {
	n, ok := o.Int("useraccountcontrol")
	return ok && n&UACAccountDisable != 0
}

// ID is the stable identity of the object for fingerprints: its objectGUID
// when known, else its lower-cased DN.
func (o *DirObject) ID() string {
	if g := o.First("objectguid"); g != "" {
		return g
	}
	return strings.ToLower(o.DN)
}

// Label is a short human name: displayName, else sAMAccountName, else cn.
func (o *DirObject) Label() string {
	for _, a := range []string{"displayname", "samaccountname", "cn", "name"} {
		if v := o.First(a); v != "" {
			return v
		}
	}
	return o.DN
}

// SMTPAddresses returns every SMTP address of the object: mail, each
// smtp/SMTP proxy address (prefix stripped) and the primary one flagged.
// Addresses keep their case.
func (o *DirObject) SMTPAddresses() (primary string, all []string) {
	for _, p := range o.Attrs["proxyaddresses"] {
		prefix, addr, ok := strings.Cut(p, ":")
		if !ok || !strings.EqualFold(prefix, "smtp") {
			continue
		}
		if prefix == "SMTP" && primary == "" {
			primary = addr
		}
		all = append(all, addr)
	}
	if m := o.First("mail"); m != "" {
		if primary == "" {
			primary = m
		}
		all = append(all, m)
	}
	return primary, all
}

// MailEnabled reports whether the object is in sync scope as a recipient:
// it has mail or an SMTP proxy address.
func (o *DirObject) MailEnabled() bool {
	if o.Has("mail") {
		return true
	}
	for _, p := range o.Attrs["proxyaddresses"] {
		if len(p) > 5 && strings.EqualFold(p[:5], "smtp:") {
			return true
		}
	}
	return false
}
