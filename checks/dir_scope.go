package checks

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/snapshot"
)

// Helpers shared by the directory checks (DIR-001 … DIR-012). Every
// directory rule decides "is this object in sync scope" with inScope, so
// the rules agree on what they count.

// Sync scopes (Env.SyncScope): which users, contacts and groups the
// directory rules judge.
const (
	// ScopeMailEnabled judges mail-enabled objects only (an object with
	// mail or an SMTP proxy address): what Exchange hybrid synchronises.
	ScopeMailEnabled = "mail-enabled"
	// ScopeAll judges every user, contact and group: what Entra Connect
	// synchronises unless filtered (a POP/IMAP source has no mail
	// attributes in the directory).
	ScopeAll = "all"
)

// SyncScopes lists the sync scopes, the default first.
func SyncScopes() []string { return []string{ScopeMailEnabled, ScopeAll} }

// Scope places a directory object for the report: excluded (the reason a
// system object is never synchronised), in (in the sync scope) or
// neither (a principal outside the scope). Objects that are not users,
// contacts or groups are neither in nor excluded.
func Scope(o *snapshot.DirObject, syncScope string) (in bool, excluded string) {
	return newScopeEntry(o).place(syncScope)
}

// scopeEntry is the scope decision for one directory object. The shared
// stage (Shared.Observe) makes one per record, so the engine's scope
// summary and the twelve directory checks decide scope once per record
// instead of thirteen times (each decision costs several attribute-map
// lookups).
type scopeEntry struct {
	o         *snapshot.DirObject
	dn        string
	n         int
	principal bool   // user, contact or group, not a system object
	mail      bool   // mail-enabled
	excluded  string // why a user, contact or group is never synchronised
}

func newScopeEntry(o *snapshot.DirObject) *scopeEntry {
	e := &scopeEntry{o: o, dn: o.DN, n: len(o.Attrs)}
	switch o.Kind {
	case snapshot.KindUser, snapshot.KindContact, snapshot.KindGroup:
		e.excluded = snapshot.SystemReason(o)
		e.principal = e.excluded == ""
	}
	e.mail = e.principal && o.MailEnabled()
	return e
}

// place is Scope's answer from the decision.
func (e *scopeEntry) place(syncScope string) (in bool, excluded string) {
	if e.excluded != "" {
		return false, e.excluded
	}
	if !e.principal {
		return false, ""
	}
	return syncScope == ScopeAll || e.mail, ""
}

// matches reports whether the decision is o's.
func (e *scopeEntry) matches(o *snapshot.DirObject) bool {
	return e != nil && e.o == o && e.n == len(o.Attrs) && e.dn == o.DN
}

// scopeView is a directory check's view of the shared stage's scope
// decisions under the run's sync scope.
type scopeView struct {
	sh  *Shared
	all bool // sync scope "all": every principal is in scope
}

// entry returns the decision for o: the shared stage's for the record
// being evaluated, else (no shared stage, or a record it has not seen)
// a fresh one.
func (v scopeView) entry(o *snapshot.DirObject) *scopeEntry {
	if v.sh != nil {
		if e := v.sh.cur; e.matches(o) {
			return e
		}
	}
	return newScopeEntry(o)
}

// in reports whether the object is in sync scope.
func (v scopeView) in(o *snapshot.DirObject) bool {
	e := v.entry(o)
	if v.all {
		return e.principal
	}
	return e.mail
}

// scoped is embedded by the directory checks; scopeFrom sets it from the
// check's Env when the check is built.
type scoped struct{ scope scopeView }

// scopeUser is a directory check that embeds scoped.
type scopeUser interface{ useScope(v scopeView) }

func (s *scoped) useScope(v scopeView) { s.scope = v }

// withScope wraps a directory check's factory so that every check it
// builds reads the scope decisions of the Env it is built with. It holds
// no state: the decisions live in the evaluation's Shared stage.
func withScope(s Spec) Spec {
	return s.wrap(func(build func(p any, env Env) (Check, error)) func(p any, env Env) (Check, error) {
		return func(p any, env Env) (Check, error) {
			chk, err := build(p, env)
			if u, ok := chk.(scopeUser); ok && err == nil {
				u.useScope(scopeFrom(env))
			}
			return chk, err
		}
	})
}

// scopeFrom returns the scope view of a check built with env: the shared
// stage's decisions for every directory record.
func scopeFrom(env Env) scopeView {
	return scopeView{sh: env.Shared, all: env.SyncScope == ScopeAll}
}

// hasPrefixFold is strings.HasPrefix ignoring ASCII case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// Recipient types (msExchRecipientTypeDetails) of mailboxes that are not
// people: shared, room and equipment mailboxes.
const (
	recipientShared    = 4
	recipientRoom      = 16
	recipientEquipment = 32
)

// personMailbox reports whether a user is a person rather than a shared,
// room or equipment mailbox (which have no given name or job title).
func personMailbox(o *snapshot.DirObject) bool {
	n, ok := o.Int("msexchrecipienttypedetails")
	if !ok {
		return true
	}
	return n != recipientShared && n != recipientRoom && n != recipientEquipment
}

// splitAddress splits an address at its last "@". ok is false when there
// is no "@".
func splitAddress(a string) (local, domain string, ok bool) {
	i := strings.LastIndexByte(a, '@')
	if i < 0 {
		return a, "", false
	}
	return a[:i], a[i+1:], true
}

// smtpProxy returns the address of an smtp/SMTP proxy address value and
// whether it is one; primary is true for the upper-case "SMTP:" prefix.
func smtpProxy(p string) (addr string, primary, ok bool) {
	if len(p) < 5 || p[4] != ':' || !strings.EqualFold(p[:4], "smtp") {
		return "", false, false
	}
	return p[5:], p[:4] == "SMTP", true
}

// targetSMTP returns the SMTP address of a targetAddress value ("SMTP:a@b"
// or a bare address); ok is false for other address types (X400:, ...).
func targetSMTP(v string) (string, bool) {
	if a, _, ok := smtpProxy(v); ok {
		return a, true
	}
	if strings.IndexByte(v, ':') < 0 && strings.IndexByte(v, '@') > 0 {
		return v, true
	}
	return "", false
}

// primarySMTP returns the object's primary SMTP address: the first "SMTP:"
// proxy address, else mail.
func primarySMTP(o *snapshot.DirObject) string {
	for _, p := range o.Attrs["proxyaddresses"] {
		if a, primary, ok := smtpProxy(p); ok && primary {
			return a
		}
	}
	return o.First("mail")
}

// fileTimeEpoch is 1970-01-01 in FILETIME units (100 ns since 1601-01-01).
const fileTimeEpoch = 116444736000000000

// fileTime converts a FILETIME (100-ns intervals since 1601-01-01 UTC) to
// a time. ok is false for 0 (never set), negative values and the
// "never" marker 0x7FFFFFFFFFFFFFFF.
func fileTime(ft int64) (time.Time, bool) {
	if ft <= 0 || ft == math.MaxInt64 {
		return time.Time{}, false
	}
	d := ft - fileTimeEpoch
	sec, rem := d/1e7, d%1e7
	if rem < 0 {
		sec--
		rem += 1e7
	}
	return time.Unix(sec, rem*100).UTC(), true
}

// toFileTime converts a time to FILETIME; it is the inverse of fileTime.
func toFileTime(t time.Time) int64 {
	return t.Unix()*1e7 + int64(t.Nanosecond()/100) + fileTimeEpoch
}

// interval100ns converts an Active Directory interval (maxPwdAge,
// lockoutDuration: negative 100-ns counts) to a duration. never is true
// for 0 and for 0x8000000000000000, which mean "no limit".
func interval100ns(v int64) (d time.Duration, never bool) {
	if v == 0 || v == math.MinInt64 {
		return 0, true
	}
	if v < 0 {
		v = -v
	}
	if v > math.MaxInt64/100 {
		return 0, true
	}
	return time.Duration(v * 100), false
}

// days renders a duration as whole days.
func days(d time.Duration) int64 { return int64(d / (24 * time.Hour)) }

// dirFinding starts a finding about a directory object (ForDir, whose
// object ID is the DN).
func dirFinding(o *snapshot.DirObject) Finding { return ForDir(o) }

// aggregateObject is the object of findings about the directory as a whole
// or about a value shared by several objects.
func aggregateObject(kind, id, name string) model.Object {
	return model.Object{Kind: kind, ID: id, Name: name}
}

// sampler keeps the k smallest strings it is given, so a sample does not
// depend on the order the directory returned objects in.
type sampler struct {
	k     int
	items []string
}

func (s *sampler) add(v string) {
	if s.k <= 0 {
		return
	}
	if len(s.items) == s.k && v >= s.items[len(s.items)-1] {
		return
	}
	i := sort.SearchStrings(s.items, v)
	if i < len(s.items) && s.items[i] == v {
		return
	}
	v = strings.Clone(v)
	if len(s.items) < s.k {
		s.items = append(s.items, "")
	}
	copy(s.items[i+1:], s.items[i:])
	s.items[i] = v
}

// quoteList renders values as 'a', 'b' and 'c'.
func quoteList(vs []string) string {
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = "'" + v + "'"
	}
	switch len(q) {
	case 0:
		return ""
	case 1:
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}

// count renders an integer with thousands separators.
func count(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// plural returns "1 user" / "2 users".
func plural(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return count(n) + " " + many
}

// attrName returns the LDAP display-name spelling of a lower-case
// attribute name ("userprincipalname" → "userPrincipalName").
func attrName(lower string) string {
	for _, a := range snapshot.DirectoryAttributes() {
		if strings.EqualFold(a, lower) {
			return a
		}
	}
	return lower
}

// runeLen counts characters, not bytes.
func runeLen(s string) int { return utf8.RuneCountInString(s) }

// percent renders part/total as a whole percentage.
func percent(part, total int64) float64 {
	if total == 0 {
		return 100
	}
	return math.Floor(float64(part)*1000/float64(total)) / 10
}

// errParam builds the error a factory returns for a bad parameter.
func errParam(name, format string, args ...any) error {
	return fmt.Errorf("param %s: %s", name, fmt.Sprintf(format, args...))
}
