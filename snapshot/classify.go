package snapshot

import (
	"fmt"
	"strconv"
	"strings"
)

// KindUnclassified is the kind of an entry whose kind cannot be told: it
// carries no objectClass and nothing else that is certain. No rule judges
// it; the collectors count it in Source.Unclassified or Source.DNOnly.
const KindUnclassified ObjectKind = "unclassified"

// sAMAccountType values ([MS-SAMR] ACCOUNT_TYPE values, [MS-ADA3]
// sAMAccountType). The system sets them; they are never combined.
const (
	samDomainObject           = 0x00000000
	samGroupObject            = 0x10000000
	samNonSecurityGroupObject = 0x10000001
	samAliasObject            = 0x20000000
	samNonSecurityAliasObject = 0x20000001
	samUserObject             = 0x30000000
	samMachineAccount         = 0x30000001
	samTrustAccount           = 0x30000002
	samAppBasicGroup          = 0x40000000
	samAppQueryGroup          = 0x40000001
)

// userAccountControl account-type bits ([MS-ADTS] 2.2.16): exactly one is
// set on a user, computer or trust account.
const (
	uacTempDuplicateAccount    = 0x100
	uacNormalAccount           = 0x200
	uacInterdomainTrustAccount = 0x800
	uacWorkstationTrustAccount = 0x1000
	uacServerTrustAccount      = 0x2000
	uacAccountTypeMask         = uacTempDuplicateAccount | uacNormalAccount | uacInterdomainTrustAccount | uacWorkstationTrustAccount | uacServerTrustAccount
)

// Classification bases Classify reports.
const (
	BasisObjectClass    = "objectClass"
	BasisSAMAccountType = "sAMAccountType"
	BasisObjectCategory = "objectCategory"
	BasisAccountControl = "userAccountControl"
	basisNone           = ""
)

// Classify tells an object's kind from its attributes (lower-case names)
// and says what it rests on. objectClass decides when present. Without it
// only what is certain counts: sAMAccountType (set by the system on every
// security principal), objectCategory (except CN=Person, which users and
// contacts share: it names a user only together with userAccountControl or
// sAMAccountName, which contacts never carry), and the account-type bit of
// userAccountControl (a normal, temporary-duplicate or interdomain-trust
// account is a user object; a workstation or server trust account is a
// computer, but not when its sAMAccountName lacks the trailing "$" every
// machine account has). When these disagree, or none is present, the kind
// is KindUnclassified and the basis "".
func Classify(attrs map[string][]string) (ObjectKind, string) {
	if oc := attrs["objectclass"]; len(oc) > 0 {
		return KindOf(oc), BasisObjectClass
	}
	kind, basis := KindUnclassified, basisNone
	agree := func(k ObjectKind, b string) bool {
		if kind == KindUnclassified {
			kind, basis = k, b
			return true
		}
		return kind == k
	}
	first := func(a string) string {
		if v := attrs[a]; len(v) > 0 {
			return strings.TrimSpace(v[0])
		}
		return ""
	}
	sam := first("samaccountname")
	uac, uacOK := int64(0), false
	if v := first("useraccountcontrol"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		uac, uacOK = n, err == nil
	}
	if v := first("samaccounttype"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return KindUnclassified, basisNone
		}
		k := samKind(n)
		if k == KindUnclassified {
			return KindUnclassified, basisNone
		}
		agree(k, BasisSAMAccountType)
	}
	if v := first("objectcategory"); v != "" {
		k, person := categoryKind(v)
		switch {
		case person && (uacOK || sam != ""):
			// Contacts carry neither: a Person with either is a user.
			if !agree(KindUser, BasisObjectCategory) {
				return KindUnclassified, basisNone
			}
		case person:
			// A user or a contact: not certain which.
		case k == KindUnclassified:
			return KindUnclassified, basisNone
		default:
			if !agree(k, BasisObjectCategory) {
				return KindUnclassified, basisNone
			}
		}
	}
	if uacOK {
		k := uacKind(uac, sam)
		if k == KindUnclassified || !agree(k, BasisAccountControl) {
			return KindUnclassified, basisNone
		}
	}
	return kind, basis
}

// samKind maps a sAMAccountType value to the kind objectClass would give,
// KindUnclassified for a value outside the documented ones.
func samKind(n int64) ObjectKind {
	switch n {
	case samDomainObject:
		return KindDomain
	case samGroupObject, samNonSecurityGroupObject, samAliasObject, samNonSecurityAliasObject:
		return KindGroup
	case samUserObject, samTrustAccount:
		// A trust account is a user object (objectClass user) named
		// "DOMAIN$": SystemReason excludes it.
		return KindUser
	case samMachineAccount:
		return KindComputer
	case samAppBasicGroup, samAppQueryGroup:
		return KindOther // Authorization Manager groups: not recipients
	}
	return KindUnclassified
}

// categoryKind maps an objectCategory DN (CN=Computer,CN=Schema,…) to a
// kind; person reports CN=Person, which does not tell a user from a
// contact.
func categoryKind(dn string) (kind ObjectKind, person bool) {
	rdn := strings.ToLower(FirstRDNValue(dn))
	if !hasPrefixFold(strings.TrimSpace(dn), "CN=") || rdn == "" {
		return KindUnclassified, false
	}
	switch rdn {
	case "person":
		return KindUnclassified, true
	case "computer", "ms-ds-managed-service-account", "ms-ds-group-managed-service-account":
		return KindComputer, false
	case "group":
		return KindGroup, false
	case "domain-dns":
		return KindDomain, false
	}
	return KindOther, false
}

// uacKind maps userAccountControl's account-type bit to a kind; none or
// several bits set, or a trust bit on an account whose name lacks the "$",
// give KindUnclassified.
func uacKind(uac int64, sam string) ObjectKind {
	switch uac & uacAccountTypeMask {
	case uacNormalAccount, uacTempDuplicateAccount, uacInterdomainTrustAccount:
		return KindUser
	case uacWorkstationTrustAccount, uacServerTrustAccount:
		if sam != "" && !strings.HasSuffix(sam, "$") {
			return KindUnclassified
		}
		return KindComputer
	}
	return KindUnclassified
}

// EntryCount counts, for one directory source, the entries no rule can
// judge and those classified without objectClass. Collectors call Add for
// every entry and Fill once at the end; the LDAP and LDIF collectors share
// it so that both say the same about the same entries.
type EntryCount struct {
	unclassified, dnOnly int64
	inferred             map[string]int64 // basis -> entries classified without objectClass
	example              string           // DN of the first entry not classified
}

// Add counts one entry: o as NewDirObject built it, attrs the number of
// attribute values the entry carried in the input, kept or not (0: only
// its DN).
func (c *EntryCount) Add(o *DirObject, attrs int) {
	if o.Kind != KindUnclassified {
		if len(o.Attrs["objectclass"]) == 0 {
			if _, basis := Classify(o.Attrs); basis != "" {
				if c.inferred == nil {
					c.inferred = map[string]int64{}
				}
				c.inferred[basis]++
			}
		}
		return
	}
	if attrs == 0 {
		c.dnOnly++
		return
	}
	c.unclassified++
	if c.example == "" {
		c.example = o.DN
	}
}

// Fill writes the counts and a note for each into src.
func (c *EntryCount) Fill(src *Source) {
	src.Unclassified, src.DNOnly = c.unclassified, c.dnOnly
	if c.dnOnly > 0 {
		src.Notes = append(src.Notes, fmt.Sprintf(
			"%d entr%s carried only their DN (an anonymous or restricted bind, or attributes the account may not read): not judged by any rule; export with an account that can read the directory",
			c.dnOnly, plural(c.dnOnly)))
	}
	if c.unclassified > 0 {
		src.Notes = append(src.Notes, fmt.Sprintf(
			"%d entr%s carried no objectClass and nothing else that tells user, contact, group or computer apart (first: %s): not judged by any rule; re-export requesting objectClass",
			c.unclassified, plural(c.unclassified), quoteDN(c.example)))
	}
	if n := c.inferred[BasisSAMAccountType] + c.inferred[BasisObjectCategory] + c.inferred[BasisAccountControl]; n > 0 {
		var from []string
		for _, b := range []string{BasisSAMAccountType, BasisObjectCategory, BasisAccountControl} {
			if c.inferred[b] > 0 {
				from = append(from, fmt.Sprintf("%d from %s", c.inferred[b], b))
			}
		}
		src.Notes = append(src.Notes, fmt.Sprintf(
			"%d entr%s carried no objectClass and %s classified from what is certain (%s); re-export requesting objectClass",
			n, plural(n), wasWere(n), strings.Join(from, ", ")))
	}
}

func plural(n int64) string {
	if n == 1 {
		return "y"
	}
	return "ies"
}

func wasWere(n int64) string {
	if n == 1 {
		return "was"
	}
	return "were"
}

// quoteDN quotes a DN for a note, clipped to 200 bytes, control
// characters escaped (the report's renderers neutralise the rest).
func quoteDN(dn string) string {
	const limit = 200
	if len(dn) > limit {
		cut := limit
		for cut > 0 && dn[cut]&0xC0 == 0x80 {
			cut--
		}
		return strconv.Quote(dn[:cut]) + "..."
	}
	return strconv.Quote(dn)
}
