// Command gen-sample writes the directory export of the bundled sample
// organisation, testdata/sample/directory.ldif: "Northwind Pharma", about
// 300 objects in the Active Directory domain corp.northwind.local, written
// as ldapsearch writes an export. Most objects are clean; roughly one in
// ten carries a typical migration problem, so that every directory rule
// and the operating-system rule has something to find.
//
// The output depends on nothing but this program: run it again after a
// change and commit the file.
//
//	go run ./cmd/gen-sample            # rewrites testdata/sample/directory.ldif
//	go run ./cmd/gen-sample -o -       # to stdout
package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/preflight-scan/preflight/collect/ldif/ldifgen"
)

func main() {
	out := flag.String("o", "testdata/sample/directory.ldif", "output file (- for stdout)")
	flag.Parse()
	var buf bytes.Buffer
	if err := generate(&buf); err != nil {
		fmt.Fprintf(os.Stderr, "gen-sample: %v\n", err)
		os.Exit(1)
	}
	if *out == "-" {
		_, _ = os.Stdout.Write(buf.Bytes())
		return
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		fmt.Fprintf(os.Stderr, "gen-sample: %v\n", err)
		os.Exit(1)
	}
}

const (
	baseDN     = "DC=corp,DC=northwind,DC=local"
	adDomain   = "corp.northwind.local"
	mailDomain = "northwindpharma.com"
	exOrg      = "/o=Northwind Pharma/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn="
	homeMDB    = "CN=MBX-DB01,CN=Databases,CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative Groups,CN=Northwind Pharma,CN=Microsoft Exchange,CN=Services,CN=Configuration," + baseDN
	never      = "9223372036854775807"
)

// ref is the date the export was taken; password ages count back from it.
var ref = time.Date(2026, 11, 16, 7, 30, 0, 0, time.UTC)

// fileTime renders t as an Active Directory FILETIME (100 ns since 1601).
func fileTime(t time.Time) string {
	return strconv.FormatInt((t.Unix()+11644473600)*10_000_000, 10)
}

func daysAgo(d int) string { return fileTime(ref.Add(-time.Duration(d) * 24 * time.Hour)) }

// person is a name in its own script with the ASCII form used in aliases.
type person struct {
	given, sn, agiven, asn string
	// display is the display name when it is not "given sn": Chinese,
	// Japanese and Korean names put the family name first.
	display string
}

func latin(given, sn string) person {
	return person{given: given, sn: sn, agiven: fold(given), asn: fold(sn)}
}

// name is the person's display name.
func (p person) name() string {
	if p.display != "" {
		return p.display
	}
	return p.given + " " + p.sn
}

// fold turns a Latin name into the lower-case ASCII form of an alias.
func fold(s string) string {
	r := strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss", "Ä", "ae", "Ö", "oe", "Ü", "ue",
		"å", "a", "Å", "a", "ø", "o", "æ", "ae", "é", "e", "è", "e", "ê", "e", "ë", "e", "á", "a", "à", "a",
		"í", "i", "ì", "i", "ó", "o", "ò", "o", "ú", "u", "ñ", "n", "ç", "c", "ł", "l", "Ł", "l", "ś", "s",
		"ą", "a", "ę", "e", "ź", "z", "ż", "z", "ć", "c", "ń", "n", "š", "s", "č", "c", "ž", "z", "ř", "r",
		"ý", "y", "ğ", "g", "ı", "i", "ş", "s", "É", "e", "Z", "z", "ã", "a", "õ", "o", " ", "", "'", "", "-", "-")
	return r.Replace(strings.ToLower(s))
}

var givenNames = []string{
	"Anna", "Ben", "Carla", "David", "Eva", "Frank", "Greta", "Hugo", "Ines", "Jonas", "Katrin", "Lukas",
	"Maria", "Nils", "Paula", "Stefan", "Tanja", "Uwe", "Vera", "Wolfgang", "Jana", "Thomas", "Sabine",
	"Michael", "Claudia", "Andreas", "Petra", "Markus", "Julia", "Christian", "Sophie", "Emma", "Léa",
	"Chloé", "Mathieu", "Hélène", "Björn", "Ingrid", "Lars", "Mette", "Søren", "Jürgen", "Jörg", "Małgorzata",
	"Tomasz", "João", "Inês", "Gonçalo", "Carmen", "Lucía", "Álvaro", "Francesca", "Giulia", "Marco",
	"Pieter", "Anouk", "Sean", "Aoife", "Oliver", "Charlotte", "Hannah", "Fatma", "Emre", "Kateřina",
}

var surnames = []string{
	"Schmidt", "Meyer", "Weber", "Wagner", "Becker", "Hoffmann", "Koch", "Richter", "Klein", "Wolf",
	"Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt",
	"Werner", "Krause", "Lehmann", "Köhler", "Maier", "Fuchs", "Scholz", "Möller", "Dubois", "Lefèvre",
	"Moreau", "Girard", "Lindqvist", "Johansson", "Nielsen", "Sørensen", "Kowalska", "Nowak", "Ferreira",
	"Gonçalves", "García", "Fernández", "Rossi", "Bianchi", "de Vries", "Jansen", "Murphy", "Walsh",
	"Taylor", "Brown", "Yılmaz", "Demir", "Dvořák", "Novák", "Jäger", "Groß", "Bauer", "Vogel",
}

// Colleagues whose names are not in Latin script, with the ASCII aliases
// their administrators gave them.
var nonLatin = []person{
	{"Иван", "Петров", "ivan", "petrov", ""},
	{"Ольга", "Смирнова", "olga", "smirnova", ""},
	{"Дмитрий", "Козлов", "dmitri", "kozlov", ""},
	{"Наталья", "Иванова", "natalia", "ivanova", ""},
	{"Олександр", "Шевченко", "oleksandr", "shevchenko", ""},
	{"Γιώργος", "Παπαδόπουλος", "giorgos", "papadopoulos", ""},
	{"Ελένη", "Γεωργίου", "eleni", "georgiou", ""},
	{"娜", "李", "na", "li", "李娜"},
	{"伟", "王", "wei", "wang", "王伟"},
	{"太郎", "田中", "taro", "tanaka", "田中 太郎"},
	{"花子", "佐藤", "hanako", "sato", "佐藤 花子"},
	{"민준", "김", "minjun", "kim", "김민준"},
	{"أحمد", "المصري", "ahmed", "elmasry", ""},
	{"ليلى", "حداد", "leila", "haddad", ""},
}

var (
	departments = []string{"Research & Development", "Clinical Trials", "Manufacturing", "Quality Assurance",
		"Regulatory Affairs", "Sales", "Marketing", "Finance", "Human Resources", "IT", "Legal", "Logistics"}
	titles = []string{"Scientist", "Senior Scientist", "Lab Technician", "Clinical Research Associate", "Engineer",
		"Analyst", "Specialist", "Team Lead", "Manager", "Assistant", "Coordinator", "Consultant"}
	sites = []struct{ office, street, city, state, zip, c, co, phone, mobile string }{
		{"Hamburg HQ", "Am Sandtorkai 12", "Hamburg", "HH", "20457", "DE", "Germany", "+49 40 5550", "+49 170 "},
		{"Basel Lab", "Hochbergerstrasse 60", "Basel", "BS", "4057", "CH", "Switzerland", "+41 61 5550", "+41 79 "},
		{"Lyon Plant", "12 Rue de Gerland", "Lyon", "ARA", "69007", "FR", "France", "+33 4 7255", "+33 6 "},
		{"Leeds Office", "1 Wellington Place", "Leeds", "WYK", "LS1 4AP", "GB", "United Kingdom", "+44 113 4960", "+44 7700 "},
	}
)

// entry is one object being written: its DN and its attributes in order.
type entry struct {
	comment string
	dn      string
	attrs   [][2]string
}

func (e *entry) add(name string, values ...string) {
	for _, v := range values {
		e.attrs = append(e.attrs, [2]string{name, v})
	}
}

// guid makes a stable objectGUID from the object's name.
func guid(key string) string {
	h := sha256.Sum256([]byte("northwind-guid:" + key))
	b := h[:16]
	b[7] = b[7]&0x0f | 0x40 // version 4, in AD's little-endian layout
	b[8] = b[8]&0x3f | 0x80
	return string(b)
}

// domainSID is the domain's objectSid: S-1-5-21-x-y-z.
func domainSID() string {
	b := []byte{1, 4, 0, 0, 0, 0, 0, 5}
	for _, v := range []uint32{21, 3141592653, 2718281828, 1414213562} {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	return string(b)
}

// sid makes the objectSid of a domain account with the given RID.
func sid(rid uint32) string {
	b := []byte{1, 5, 0, 0, 0, 0, 0, 5}
	for _, v := range []uint32{21, 3141592653, 2718281828, 1414213562, rid} {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	return string(b)
}

// writer writes entries in ldapsearch's layout: non-ASCII and binary values
// base64, lines folded at 76 columns.
type writer struct {
	w *bufio.Writer
}

func (w *writer) line(name, value string) {
	w.w.Write(ldifgen.AppendAttr(nil, name, []byte(value), false))
}

func (w *writer) entry(e *entry) {
	w.w.WriteString("# " + e.comment + "\n")
	w.line("dn", e.dn)
	for _, a := range e.attrs {
		w.line(a[0], a[1])
	}
	w.w.WriteByte('\n')
}

// user is a person's account as the generator plans it before writing.
type user struct {
	p          person
	cn         string
	sam, upn   string
	nick       string
	primary    string   // primary SMTP address
	extra      []string // further proxy addresses, with prefixes
	sip        string   // msRTCSIP-PrimaryUserAddress, "" when not enabled for Lync
	uac        int
	pwdAge     int // days; -1 means pwdLastSet 0
	dept       int
	site       int
	galFill    int // 0..3: how much of the address book is filled
	noNames    bool
	noDisplay  bool
	recipType  string // msExchRecipientTypeDetails
	extraAttrs [][2]string
	ou         string
}

func generate(out io.Writer) error {
	rng := rand.New(rand.NewPCG(2026, 11))
	bw := bufio.NewWriter(out)
	w := &writer{w: bw}
	bw.WriteString("# extended LDIF\n#\n# LDAPv3\n# base <" + baseDN + "> with scope subtree\n" +
		"# filter: (|(objectCategory=person)(objectCategory=group)(objectCategory=computer)(objectClass=domainDNS))\n" +
		"# requesting: ALL\n# with pagedResults critical control: size=500\n#\n\n")

	// The domain: its password policy is weaker than the service's in one
	// respect (history 12 < 24); maximum age 42 days, as AD stores it.
	d := &entry{comment: adDomain, dn: baseDN}
	d.add("objectClass", "top", "domain", "domainDNS")
	d.add("distinguishedName", baseDN)
	d.add("objectGUID", guid("domain"))
	d.add("objectSid", domainSID())
	d.add("name", "corp")
	d.add("minPwdLength", "7")
	d.add("pwdHistoryLength", "12")
	d.add("maxPwdAge", "-36288000000000")
	d.add("minPwdAge", "-864000000000")
	d.add("pwdProperties", "1")
	d.add("lockoutThreshold", "10")
	d.add("lockoutDuration", "-18000000000")
	w.entry(d)

	users := planUsers(rng)
	rid := uint32(1105)
	for _, u := range users {
		rid++
		w.entry(userEntry(u, rid))
	}
	for _, e := range systemAccounts() {
		w.entry(e)
	}
	for _, e := range contacts() {
		w.entry(e)
	}
	for _, e := range groups(rng, users) {
		w.entry(e)
	}
	for _, e := range computers(rng) {
		w.entry(e)
	}
	bw.WriteString("# search result\nsearch: 2\nresult: 0 Success\ncontrol: 1.2.840.113556.1.4.319 false MIQAAAAFAgEABAA=\n\n")
	return bw.Flush()
}

func userDN(cn, ou string) string {
	return "CN=" + escapeRDN(cn) + ",OU=" + ou + ",OU=Northwind," + baseDN
}

func escapeRDN(s string) string {
	r := strings.NewReplacer(",", `\,`, "+", `\+`, `"`, `\"`, "<", `\<`, ">", `\>`, ";", `\;`)
	return r.Replace(s)
}

// planUsers decides every person's account, then plants the problems.
func planUsers(rng *rand.Rand) []*user {
	var users []*user
	seen := map[string]bool{}
	addPerson := func(p person) *user {
		sam := p.agiven[:1] + strings.ReplaceAll(p.asn, "-", "")
		for i := 2; seen[sam]; i++ {
			sam = p.agiven[:1] + strings.ReplaceAll(p.asn, "-", "") + strconv.Itoa(i)
		}
		seen[sam] = true
		if len(sam) > 20 {
			sam = sam[:20]
		}
		local := p.agiven + "." + strings.ReplaceAll(p.asn, " ", "")
		if seen["local:"+local] {
			local = p.agiven + "." + strings.ReplaceAll(p.asn, " ", "") + strconv.Itoa(len(users))
		}
		seen["local:"+local] = true
		u := &user{
			p: p, cn: p.name(), sam: sam, upn: local + "@" + mailDomain, nick: local,
			primary: local + "@" + mailDomain, uac: 512, pwdAge: rng.IntN(14),
			dept: rng.IntN(len(departments)), site: rng.IntN(len(sites)), galFill: 3, ou: "Staff",
			recipType: "1",
		}
		if seen["cn:"+u.cn] {
			u.cn += " (" + sam + ")"
		}
		seen["cn:"+u.cn] = true
		u.extra = append(u.extra, "smtp:"+sam+"@"+mailDomain)
		if rng.IntN(100) < 45 {
			u.sip = "sip:" + u.primary
			u.extra = append(u.extra, "SIP:"+u.primary)
		}
		if rng.IntN(100) < 30 {
			u.extra = append(u.extra, "X500:"+exOrg+sam)
		}
		switch r := rng.IntN(100); {
		case r < 45:
			u.galFill = 3
		case r < 75:
			u.galFill = 2
		case r < 92:
			u.galFill = 1
		default:
			u.galFill = 0
		}
		users = append(users, u)
		return u
	}
	for _, p := range nonLatin {
		addPerson(p)
	}
	// Two named colleagues from the product documentation.
	addPerson(latin("José", "Núñez"))
	addPerson(latin("Zoë", "Ängström"))
	for len(users) < 232 {
		addPerson(latin(givenNames[rng.IntN(len(givenNames))], surnames[rng.IntN(len(surnames))]))
	}
	sort.SliceStable(users, func(i, j int) bool { return users[i].sam < users[j].sam })

	// Planted problems, each on a different person. pick takes the next
	// clean Latin-script user in a fixed order.
	next := 0
	pick := func() *user {
		for {
			u := users[(next*37+11)%len(users)]
			next++
			if u.extraAttrs == nil && u.uac == 512 && u.pwdAge >= 0 && u.pwdAge < 14 && u.ou == "Staff" &&
				!u.noNames && u.p.agiven == fold(u.p.given) {
				u.extraAttrs = [][2]string{}
				return u
			}
		}
	}
	// DIR-001 unsupported characters in alias-type values.
	u := pick() // an apostrophe in the UPN and the aliases
	u.p = latin("Seán", "O'Brien")
	u.cn = "Seán O'Brien"
	u.sam, u.nick, u.upn, u.primary = "sobrien", "sean.o'brien", "sean.o'brien@"+mailDomain, "sean.o'brien@"+mailDomain
	u.extra = []string{"smtp:sobrien@" + mailDomain}
	if u.sip != "" {
		u.sip = "sip:" + u.primary
		u.extra = append(u.extra, "SIP:"+u.primary)
	}
	u = pick() // a space in sAMAccountName and mailNickname (created by hand)
	u.sam, u.nick = u.p.given+" "+u.p.sn, u.p.given+" "+u.p.sn
	u.sam = u.sam[:min(len(u.sam), 20)]
	u = pick() // parentheses in mailNickname, a space in a secondary proxy address
	u.nick = u.nick + "(temp)"
	u.extra = append(u.extra, "smtp:"+u.p.agiven+" "+u.p.asn+"@"+mailDomain)
	u = pick() // a slash and a plus in sAMAccountName
	u.sam = "ext/" + u.sam[:min(len(u.sam), 10)] + "+lab"
	u = pick() // a square bracket in a proxy address
	u.extra = append(u.extra, "smtp:["+u.p.asn+"]@"+mailDomain)

	// DIR-002 invalid formats and lengths.
	u = pick() // consecutive dots in mail and primary address
	u.primary = u.p.agiven + ".." + u.p.asn + "@" + mailDomain
	u = pick() // secondary address without a top-level domain
	u.extra = append(u.extra, "smtp:"+u.p.asn+"@northwindpharma")
	u = pick() // a dot right before the @ in the UPN
	u.upn = u.p.agiven + "." + u.p.asn + ".@" + mailDomain
	u = pick() // UPN with more than 64 characters before the @
	u.upn = "clinical.trials.coordination.team.lead." + u.p.agiven + "." + u.p.asn + ".hamburg.site@" + mailDomain
	u = pick() // sAMAccountName over 20 characters
	u.sam = u.p.agiven + "." + u.p.asn + ".adm-legacy"
	u = pick() // mail with a trailing dot in the domain
	u.primary = u.p.agiven + "." + u.p.asn + "@" + mailDomain + "."

	// DIR-003 required attributes missing on mail-enabled people.
	// Two of them, made by a provisioning script, lack a display name too.
	for i := 0; i < 4; i++ {
		u = pick()
		u.noNames = true
		u.noDisplay = i < 2
	}

	// DIR-005 duplicate addresses: a leaver's address kept on her successor.
	a, b := pick(), pick()
	b.extra = append(b.extra, "smtp:"+a.primary)
	// the same address on a user and (below) a contact and a group.
	u = pick()
	u.extra = append(u.extra, "smtp:events@"+mailDomain)

	// DIR-007 passwords not fresh: must change at next logon, and stale.
	for i := 0; i < 3; i++ {
		pick().pwdAge = -1
	}
	for _, age := range []int{95, 120, 187, 240, 366, 512, 730, 1101} {
		pick().pwdAge = age
	}

	// DIR-008 password never expires / not required.
	for i := 0; i < 5; i++ {
		u = pick()
		u.uac = 512 | 0x10000
		u.pwdAge = 200 + 97*i
	}
	for i := 0; i < 2; i++ {
		u = pick()
		u.uac = 512 | 0x20
	}

	// DIR-009 SIP address left behind after a change of name.
	for _, newSn := range []string{"Hartmann-Weber", "Lindqvist", "Moreau"} {
		u = pick()
		if u.sip == "" {
			u.sip = "sip:" + u.primary
		}
		old := u.primary
		u.p.sn, u.p.asn = newSn, fold(newSn)
		u.cn = u.p.given + " " + newSn
		u.primary = u.p.agiven + "." + u.p.asn + "@" + mailDomain
		u.upn = u.primary
		u.nick = u.p.agiven + "." + u.p.asn
		var extra []string
		for _, e := range u.extra {
			if !strings.EqualFold(e, "SIP:"+old) {
				extra = append(extra, e)
			}
		}
		u.extra = append(extra, "smtp:"+old)
	}
	// ... and one in Cyrillic script: Olga kept the SIP address of her
	// maiden name when she married (her mail address moved on).
	for _, u := range users {
		if u.p.given == "Ольга" {
			u.sip = "sip:olga.kuznetsova@" + mailDomain
		}
	}

	// DIR-010 accounts still on the internal UPN suffix.
	for i := 0; i < 8; i++ {
		u = pick()
		u.upn = u.sam + "@" + adDomain
	}

	// DIR-012 forwarding and delegation.
	boss, assistant := pick(), pick()
	boss.extraAttrs = append(boss.extraAttrs, [2]string{"publicDelegates", userDN(assistant.cn, assistant.ou)})
	ceo := pick()
	ceo.extraAttrs = append(ceo.extraAttrs, [2]string{"publicDelegates", userDN(assistant.cn, assistant.ou)})
	u = pick()
	u.extraAttrs = append(u.extraAttrs, [2]string{"altRecipient", userDN(assistant.cn, assistant.ou)}, [2]string{"deliverAndRedirect", "TRUE"})
	u = pick()
	u.extraAttrs = append(u.extraAttrs, [2]string{"altRecipient", "CN=Marketing Agency Brightline,OU=Contacts,OU=Northwind," + baseDN}, [2]string{"deliverAndRedirect", "FALSE"})
	u = pick() // a mail user forwarding to a private address
	u.extraAttrs = append(u.extraAttrs, [2]string{"targetAddress", "SMTP:" + u.p.agiven + "." + u.p.asn + "@gmx.de"})

	// Leavers: disabled, stale passwords; the password rules skip them.
	for i := 0; i < 9; i++ {
		u = pick()
		u.uac = 514
		u.pwdAge = 300 + 41*i
		u.ou = "Leavers"
	}
	return users
}

func userEntry(u *user, rid uint32) *entry {
	dn := userDN(u.cn, u.ou)
	e := &entry{comment: u.cn + ", " + u.ou + ", Northwind, " + adDomain, dn: dn}
	e.add("objectClass", "top", "person", "organizationalPerson", "user")
	e.add("cn", u.cn)
	if !u.noNames {
		e.add("sn", u.p.sn)
		e.add("givenName", u.p.given)
	}
	s := sites[u.site]
	if u.galFill >= 1 {
		e.add("title", titles[(u.dept*7+int(rid))%len(titles)])
		e.add("physicalDeliveryOfficeName", s.office)
	}
	if u.galFill >= 2 {
		e.add("telephoneNumber", s.phone+" "+strconv.Itoa(int(rid)%1000+100))
		e.add("streetAddress", s.street)
		e.add("l", s.city)
		e.add("st", s.state)
		e.add("postalCode", s.zip)
		e.add("c", s.c)
		e.add("co", s.co)
	}
	if u.galFill >= 3 {
		e.add("mobile", s.mobile+strconv.Itoa(1000000+int(rid)*7919%9000000))
		if rid%9 == 0 {
			e.add("facsimileTelephoneNumber", s.phone+" 999")
		}
	}
	e.add("distinguishedName", dn)
	switch {
	case u.noDisplay:
	case u.noNames:
		e.add("displayName", u.sam)
	default:
		e.add("displayName", u.p.name())
	}
	if u.galFill >= 1 {
		e.add("department", departments[u.dept])
	}
	e.add("name", u.cn)
	e.add("objectGUID", guid(u.sam))
	e.add("userAccountControl", strconv.Itoa(u.uac))
	if u.pwdAge < 0 {
		e.add("pwdLastSet", "0")
	} else {
		e.add("pwdLastSet", daysAgo(u.pwdAge))
	}
	e.add("objectSid", sid(rid))
	e.add("accountExpires", never)
	e.add("sAMAccountName", u.sam)
	e.add("userPrincipalName", u.upn)
	proxies := append([]string{"SMTP:" + u.primary}, u.extra...)
	e.add("proxyAddresses", proxies...)
	e.add("mail", u.primary)
	e.add("mailNickname", u.nick)
	e.add("legacyExchangeDN", exOrg+u.sam)
	e.add("homeMDB", homeMDB)
	e.add("msExchRecipientTypeDetails", u.recipType)
	e.add("msExchMailboxGuid", guid("mbx:"+u.sam))
	if u.sip != "" {
		e.add("msRTCSIP-PrimaryUserAddress", u.sip)
	}
	for _, a := range u.extraAttrs {
		e.add(a[0], a[1])
	}
	return e
}

// systemAccounts are the built-in and service accounts every domain has,
// plus shared and room mailboxes.
func systemAccounts() []*entry {
	var out []*entry
	builtin := func(cn, sam string, uac int, age int, rid uint32, critical bool) *entry {
		dn := "CN=" + cn + ",CN=Users," + baseDN
		e := &entry{comment: cn + ", Users, " + adDomain, dn: dn}
		e.add("objectClass", "top", "person", "organizationalPerson", "user")
		e.add("cn", cn)
		e.add("distinguishedName", dn)
		e.add("name", cn)
		e.add("objectGUID", guid("sys:"+sam))
		e.add("userAccountControl", strconv.Itoa(uac))
		e.add("pwdLastSet", daysAgo(age))
		e.add("objectSid", sid(rid))
		e.add("accountExpires", never)
		e.add("sAMAccountName", sam)
		if critical {
			e.add("isCriticalSystemObject", "TRUE")
		}
		return e
	}
	out = append(out,
		builtin("Administrator", "Administrator", 66048, 1460, 500, true),
		builtin("Guest", "Guest", 66082, 4000, 501, true),
		builtin("krbtgt", "krbtgt", 514, 2900, 502, true),
	)
	// Service accounts: not mail-enabled, passwords that never expire.
	for i, s := range []string{"svc-backup", "svc-sql", "svc-scan2mail"} {
		e := builtin(s, s, 66048, 900+200*i, uint32(1100+i), false)
		e.dn = "CN=" + s + ",OU=Service Accounts,OU=Northwind," + baseDN
		e.comment = s + ", Service Accounts, Northwind, " + adDomain
		for i := range e.attrs {
			if e.attrs[i][0] == "distinguishedName" {
				e.attrs[i][1] = e.dn
			}
		}
		e.add("description", "Service account, do not disable")
		out = append(out, e)
	}
	// Shared and room mailboxes: disabled users with a mailbox.
	for i, m := range []struct{ cn, alias, typ string }{
		{"Info Northwind", "info", "4"},
		{"Human Resources Team", "hr", "4"},
		{"Quality Complaints", "qa-complaints", "4"},
		{"Room Hamburg Elbe", "room-hh-elbe", "16"},
		{"Room Basel Rhein", "room-bs-rhein", "16"},
	} {
		dn := "CN=" + m.cn + ",OU=Resources,OU=Northwind," + baseDN
		e := &entry{comment: m.cn + ", Resources, Northwind, " + adDomain, dn: dn}
		e.add("objectClass", "top", "person", "organizationalPerson", "user")
		e.add("cn", m.cn)
		e.add("distinguishedName", dn)
		e.add("displayName", m.cn)
		e.add("name", m.cn)
		e.add("objectGUID", guid("res:"+m.alias))
		e.add("userAccountControl", "514")
		e.add("pwdLastSet", daysAgo(700+30*i))
		e.add("objectSid", sid(uint32(1050+i)))
		e.add("sAMAccountName", m.alias)
		e.add("userPrincipalName", m.alias+"@"+mailDomain)
		e.add("proxyAddresses", "SMTP:"+m.alias+"@"+mailDomain)
		e.add("mail", m.alias+"@"+mailDomain)
		e.add("mailNickname", m.alias)
		e.add("legacyExchangeDN", exOrg+m.alias)
		e.add("homeMDB", homeMDB)
		e.add("msExchRecipientTypeDetails", m.typ)
		out = append(out, e)
	}
	return out
}

// contacts are external partners in the address book.
func contacts() []*entry {
	var out []*entry
	partners := []struct{ given, sn, domain, company string }{
		{"Klaus", "Brenner", "brenner-labor.de", "Brenner Labor GmbH"},
		{"Anja", "Seidel", "medlogistik.de", "MedLogistik AG"},
		{"Pierre", "Laurent", "biopharm-conseil.fr", "BioPharm Conseil"},
		{"Emily", "Carter", "carter-regulatory.co.uk", "Carter Regulatory Ltd"},
		{"Jan", "Visser", "visser-analytics.nl", "Visser Analytics"},
		{"Ana", "Costa", "costa-clinica.pt", "Clínica Costa"},
		{"Marek", "Zieliński", "zielinski-med.pl", "Zieliński Med"},
		{"Yuki", "Yamamoto", "yamamoto-pharma.co.jp", "Yamamoto Pharma KK"},
		{"Sergei", "Volkov", "volkov-chem.com", "Volkov Chemicals"},
		{"Ali", "Hassan", "hassan-trading.ae", "Hassan Trading"},
		{"Laura", "Rossi", "studio-rossi.it", "Studio Rossi"},
		{"Tom", "Becker", "becker-it-service.de", "Becker IT Service"},
		{"Nina", "Hahn", "hahn-kommunikation.de", "Hahn Kommunikation"},
		{"Peter", "Olsen", "olsen-consult.dk", "Olsen Consult"},
		{"Lisa", "Graf", "graf-law.ch", "Graf Legal"},
		{"Martin", "Kühn", "kuehn-transporte.de", "Kühn Transporte"},
		{"Sofia", "Martínez", "martinez-farma.es", "Martínez Farma"},
		{"Hans", "Vogt", "vogt-engineering.de", "Vogt Engineering"},
		{"Eva", "Lind", "lind-qa.se", "Lind QA"},
	}
	add := func(cn, given, sn, addr, company string, extra ...[2]string) {
		dn := "CN=" + escapeRDN(cn) + ",OU=Contacts,OU=Northwind," + baseDN
		e := &entry{comment: cn + ", Contacts, Northwind, " + adDomain, dn: dn}
		e.add("objectClass", "top", "person", "organizationalPerson", "contact")
		e.add("cn", cn)
		if sn != "" {
			e.add("sn", sn)
		}
		if given != "" {
			e.add("givenName", given)
		}
		e.add("distinguishedName", dn)
		e.add("displayName", cn)
		e.add("name", cn)
		e.add("objectGUID", guid("contact:"+addr))
		e.add("mail", addr)
		e.add("proxyAddresses", "SMTP:"+addr)
		e.add("targetAddress", "SMTP:"+addr)
		e.add("mailNickname", strings.NewReplacer("@", "_", ".", "_").Replace(addr))
		e.add("legacyExchangeDN", exOrg+"contact-"+strings.Split(addr, "@")[0])
		for _, x := range extra {
			e.add(x[0], x[1])
		}
		out = append(out, e)
	}
	for _, p := range partners {
		addr := strings.ToLower(fold(p.given)) + "." + strings.ToLower(fold(p.sn)) + "@" + p.domain
		add(p.given+" "+p.sn+" ("+p.company+")", p.given, p.sn, addr, p.company, [2]string{"company", p.company})
	}
	// The agency that organises events holds the address a user and a
	// group also hold (DIR-005).
	add("Marketing Agency Brightline", "", "", "events@"+mailDomain, "Brightline")
	// A contact typed by hand with a missing top-level domain (DIR-002).
	add("Dr. Weiss (Labor)", "Stefan", "Weiss", "s.weiss@weiss-labor", "Weiss Labor")
	return out
}

// groups are distribution and security groups.
func groups(rng *rand.Rand, users []*user) []*entry {
	var out []*entry
	member := func(u *user) string { return userDN(u.cn, u.ou) }
	add := func(cn, alias, gtype string, mail bool, members []string, extra ...string) {
		dn := "CN=" + cn + ",OU=Groups,OU=Northwind," + baseDN
		e := &entry{comment: cn + ", Groups, Northwind, " + adDomain, dn: dn}
		e.add("objectClass", "top", "group")
		e.add("cn", cn)
		e.add("member", members...)
		e.add("distinguishedName", dn)
		e.add("name", cn)
		e.add("objectGUID", guid("group:"+cn))
		e.add("objectSid", sid(uint32(3000+len(out))))
		e.add("sAMAccountName", alias)
		e.add("groupType", gtype)
		if mail {
			e.add("displayName", cn)
			e.add("mail", alias+"@"+mailDomain)
			e.add("proxyAddresses", append([]string{"SMTP:" + alias + "@" + mailDomain}, extra...)...)
			e.add("mailNickname", alias)
			e.add("legacyExchangeDN", exOrg+alias)
		}
		out = append(out, e)
	}
	byDept := map[int][]string{}
	var all []string
	for _, u := range users {
		if u.ou != "Staff" {
			continue
		}
		byDept[u.dept] = append(byDept[u.dept], member(u))
		all = append(all, member(u))
	}
	add("All Staff", "allstaff", "8", true, all)
	for i, d := range departments {
		alias := "dl-" + strings.NewReplacer(" & ", "-", " ", "-").Replace(strings.ToLower(d))
		add("DL "+d, alias, "8", true, byDept[i])
	}
	// Events list: its address is also on a user and a contact (DIR-005).
	pickN := func(n int) []string {
		var m []string
		for i := 0; i < n; i++ {
			m = append(m, all[rng.IntN(len(all))])
		}
		sort.Strings(m)
		return dedup(m)
	}
	add("Events", "events", "8", true, pickN(6))
	add("Hamburg Site", "hamburg", "2", true, pickN(12), "smtp:hh@"+mailDomain)
	// A mail-enabled security group and plain security groups.
	add("SG Lab Access", "sg-lab-access", "-2147483646", true, pickN(15))
	add("SG VPN Users", "sg-vpn", "-2147483646", false, pickN(40))
	add("SG File Share Finance", "sg-fs-finance", "-2147483644", false, byDept[7])
	return out
}

func dedup(s []string) []string {
	var out []string
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// computers are workstations and servers, with the old systems a company
// of this age still runs in its labs.
func computers(rng *rand.Rand) []*entry {
	type osv struct{ name, version, sp string }
	win11 := osv{"Windows 11 Enterprise", "10.0 (26100)", ""}
	win10 := osv{"Windows 10 Enterprise", "10.0 (19045)", ""}
	plan := []struct {
		prefix   string
		from, to int
		os       osv
	}{
		{"NW-NB", 1, 22, win11},
		{"NW-PC", 1, 8, win11},
		{"NW-PC", 9, 14, win10},
		{"LAB-PC", 1, 4, osv{"Windows 7 Professional", "6.1 (7601)", "Service Pack 1"}},
		{"LAB-XP", 1, 2, osv{"Windows XP Professional", "5.1 (2600)", "Service Pack 2"}},
		{"LAB-XP", 3, 5, osv{"Windows XP Professional", "5.1 (2600)", "Service Pack 3"}},
		{"HPLC-VISTA", 1, 1, osv{"Windows Vista™ Business", "6.0 (6001)", "Service Pack 1"}},
		{"SRV-FILE", 1, 1, osv{"Windows Server 2022 Standard", "10.0 (20348)", ""}},
		{"SRV-SQL", 1, 1, osv{"Windows Server 2019 Standard", "10.0 (17763)", ""}},
		{"SRV-APP", 1, 2, osv{"Windows Server 2008 R2 Enterprise", "6.1 (7601)", "Service Pack 1"}},
		{"SRV-LIMS", 1, 1, osv{"Windows 2000 Server", "5.0 (2195)", "Service Pack 4"}},
		{"NW-DC", 1, 2, osv{"Windows Server 2022 Standard", "10.0 (20348)", ""}},
	}
	var out []*entry
	n := 0
	for _, p := range plan {
		for i := p.from; i <= p.to; i++ {
			n++
			name := fmt.Sprintf("%s%02d", p.prefix, i)
			ou := "Workstations"
			if strings.HasPrefix(p.prefix, "SRV") {
				ou = "Servers"
			}
			dn := "CN=" + name + ",OU=" + ou + ",OU=Northwind," + baseDN
			if p.prefix == "NW-DC" {
				dn = "CN=" + name + ",OU=Domain Controllers," + baseDN
			}
			e := &entry{comment: name + ", " + ou + ", " + adDomain, dn: dn}
			e.add("objectClass", "top", "person", "organizationalPerson", "user", "computer")
			e.add("cn", name)
			e.add("distinguishedName", dn)
			e.add("name", name)
			e.add("objectGUID", guid("computer:"+name))
			uac := "4096"
			if p.prefix == "NW-DC" {
				uac = "532480"
			}
			e.add("userAccountControl", uac)
			e.add("pwdLastSet", daysAgo(rng.IntN(30)))
			e.add("objectSid", sid(uint32(5000+n)))
			e.add("sAMAccountName", name+"$")
			e.add("operatingSystem", p.os.name)
			e.add("operatingSystemVersion", p.os.version)
			if p.os.sp != "" {
				e.add("operatingSystemServicePack", p.os.sp)
			}
			e.add("dNSHostName", strings.ToLower(name)+"."+adDomain)
			out = append(out, e)
		}
	}
	return out
}
