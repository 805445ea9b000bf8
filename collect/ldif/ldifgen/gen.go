// Package ldifgen writes large synthetic Active Directory exports in the
// style of ldapsearch, for benchmarks: mostly users with a realistic
// attribute mix, some contacts, groups and computers, a small share of
// planted problems, folded lines and base64 values. The output depends only
// on the options, so two runs give the same bytes.
package ldifgen

import (
	"bufio"
	"encoding/base64"
	"encoding/binary"
	"io"
	"strconv"
	"time"
)

// Options say what to generate.
type Options struct {
	// Objects is the number of directory objects after the domain object.
	Objects int
	// Seed varies the content; the same seed gives the same file.
	Seed uint64
	// Now is the date the export pretends to be taken; password ages count
	// back from it (most within 30 days, about 1% stale). Zero means
	// 2026-11-16.
	Now time.Time
}

// lineWidth is where ldapsearch folds lines.
const lineWidth = 76

var (
	givenNames = []string{"Anna", "Ben", "Carla", "David", "Eva", "Frank", "Greta", "Hugo", "Ines", "Jonas",
		"Katrin", "Lukas", "Maria", "Nils", "Olga", "Paul", "Rosa", "Stefan", "Tanja", "Uwe",
		"José", "Zoë", "Иван", "Ольга", "Γιώργος", "李", "Søren", "Łukasz"}
	surnames = []string{"Schmidt", "Meyer", "Weber", "Wagner", "Becker", "Hoffmann", "Koch", "Richter", "Klein", "Wolf",
		"Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner",
		"Núñez", "Ängström", "Петров", "Смирнова", "Παπαδόπουλος", "娜", "Jørgensen", "Wałęsa"}
	departments = []string{"Sales", "Research", "Manufacturing", "Quality Assurance", "Finance", "IT", "Legal", "Logistics"}
	titles      = []string{"Manager", "Engineer", "Analyst", "Assistant", "Specialist", "Director", "Technician"}
	cities      = []string{"Hamburg", "Basel", "Lyon", "Leeds", "Porto", "Graz"}
	oses        = [][3]string{
		{"Windows 11 Enterprise", "10.0 (26100)", ""},
		{"Windows 11 Enterprise", "10.0 (26200)", ""},
		{"Windows Server 2022 Standard", "10.0 (20348)", ""},
		// Out of support: about 2% of computers.
		{"Windows 10 Enterprise", "10.0 (19045)", ""},
		{"Windows 7 Professional", "6.1 (7601)", "Service Pack 1"},
		{"Windows XP Professional", "5.1 (2600)", "Service Pack 3"},
	}
)

const mailDomain = "northwindpharma.com"
const baseDN = "DC=corp,DC=northwind,DC=local"

// gen is the writer state.
type gen struct {
	w    *bufio.Writer
	rng  uint64
	line []byte
	now  int64 // FILETIME of the export date
}

// next is a splitmix64 step: fast and deterministic.
func (g *gen) next() uint64 {
	g.rng += 0x9e3779b97f4a7c15
	z := g.rng
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

func (g *gen) intn(n int) int { return int(g.next() % uint64(n)) }

func pick[T any](g *gen, s []T) T { return s[g.intn(len(s))] }

// Write writes the export to w.
func Write(w io.Writer, o Options) error {
	now := o.Now
	if now.IsZero() {
		now = time.Date(2026, 11, 16, 7, 30, 0, 0, time.UTC)
	}
	g := &gen{w: bufio.NewWriterSize(w, 1<<20), rng: o.Seed, now: (now.Unix() + 11644473600) * 10_000_000}
	g.str("# extended LDIF\n#\n# LDAPv3\n# base <" + baseDN + "> with scope subtree\n# filter: (objectClass=*)\n# requesting: ALL\n#\n\n")
	g.str("# corp.northwind.local\ndn: " + baseDN + "\nobjectClass: top\nobjectClass: domain\nobjectClass: domainDNS\n" +
		"minPwdLength: 7\npwdHistoryLength: 24\nmaxPwdAge: -36288000000000\npwdProperties: 1\n\n")
	for i := 0; i < o.Objects; i++ {
		switch r := g.intn(100); {
		case r < 85:
			g.user(i)
		case r < 91:
			g.contact(i)
		case r < 95:
			g.group(i)
		default:
			g.computer(i)
		}
	}
	g.str("# search result\nsearch: 2\nresult: 0 Success\n\n# numResponses: " + strconv.Itoa(o.Objects+2) +
		"\n# numEntries: " + strconv.Itoa(o.Objects+1) + "\n")
	return g.w.Flush()
}

// str writes s. A bufio.Writer keeps its first error and returns it from
// every later call, so the one check is the Flush at the end of Write.
func (g *gen) str(s string) { _, _ = g.w.WriteString(s) }

// attr writes one attribute line.
func (g *gen) attr(name, value string) {
	g.line = AppendAttr(g.line[:0], name, []byte(value), false)
	_, _ = g.w.Write(g.line) // sticky error: see str
}

// attrBytes writes one binary attribute, always base64.
func (g *gen) attrBytes(name string, v []byte) {
	g.line = AppendAttr(g.line[:0], name, v, true)
	_, _ = g.w.Write(g.line) // sticky error: see str
}

// AppendAttr appends one attribute line in ldapsearch's layout to dst: the
// value as is when it is safe ASCII, else base64 ("name:: ..."), and the
// line folded at 76 columns, continuation lines starting with a space.
// binary forces base64.
func AppendAttr(dst []byte, name string, value []byte, binary bool) []byte {
	col := 0
	put := func(s []byte) {
		for len(s) > 0 {
			if col == lineWidth {
				dst = append(dst, '\n', ' ')
				col = 1
			}
			n := min(len(s), lineWidth-col)
			dst = append(dst, s[:n]...)
			col += n
			s = s[n:]
		}
	}
	put([]byte(name))
	if !binary && safe(value) {
		put([]byte(": "))
		put(value)
	} else {
		put([]byte(":: "))
		var buf [76]byte
		for len(value) > 0 {
			n := min(len(value), 57)
			k := base64.StdEncoding.EncodedLen(n)
			base64.StdEncoding.Encode(buf[:k], value[:n])
			put(buf[:k])
			value = value[n:]
		}
	}
	return append(dst, '\n')
}

func safe(s []byte) bool {
	if len(s) == 0 {
		return true
	}
	if s[0] == ' ' || s[0] == ':' || s[0] == '<' || s[len(s)-1] == ' ' {
		return false
	}
	for _, c := range s {
		if c < 0x20 || c > 0x7e {
			return false
		}
	}
	return true
}

func (g *gen) guid(i int, kind byte) {
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:8], g.next())
	binary.BigEndian.PutUint64(b[8:], uint64(i)<<8|uint64(kind))
	g.attrBytes("objectGUID", b[:])
}

func (g *gen) dn(cn, ou string) {
	g.str("# " + cn + ", " + ou + ", corp.northwind.local\n")
	g.attr("dn", "CN="+cn+",OU="+ou+","+baseDN)
}

// ascii folds a name to the ASCII letters used in aliases.
func ascii(s string) string {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		switch {
		case r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'):
			out = append(out, byte(r|0x20))
		case r >= 0x80:
			out = append(out, 'x')
		}
	}
	return string(out)
}

func (g *gen) user(i int) {
	given, sn := pick(g, givenNames), pick(g, surnames)
	display := given + " " + sn
	num := strconv.Itoa(i)
	alias := ascii(given) + "." + ascii(sn) + num
	problem := g.intn(100) < 2
	g.dn(display+" "+num, "Users")
	g.str("objectClass: top\nobjectClass: person\nobjectClass: organizationalPerson\nobjectClass: user\n")
	g.attr("cn", display+" "+num)
	if !(problem && g.intn(3) == 0) {
		g.attr("givenName", given)
		g.attr("sn", sn)
	}
	g.attr("displayName", display)
	g.guid(i, 1)
	sam := "u" + num
	if problem && g.intn(3) == 1 {
		sam = "u " + num + "(old)"
	}
	g.attr("sAMAccountName", sam)
	upnDomain := mailDomain
	if problem && g.intn(3) == 2 {
		upnDomain = "corp.northwind.local"
	}
	g.attr("userPrincipalName", alias+"@"+upnDomain)
	addr := alias + "@" + mailDomain
	if problem && g.intn(4) == 0 {
		addr = alias + "..x@" + mailDomain
	}
	g.attr("mail", addr)
	g.attr("mailNickname", alias)
	g.attr("proxyAddresses", "SMTP:"+addr)
	g.attr("proxyAddresses", "smtp:"+sam+"@"+mailDomain)
	g.attr("proxyAddresses", "X500:/o=Northwind Pharma/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn="+alias)
	if g.intn(2) == 0 {
		g.attr("proxyAddresses", "smtp:"+alias+"@northwindpharma.mail.onmicrosoft.com")
	}
	if g.intn(3) == 0 {
		g.attr("proxyAddresses", "SIP:"+addr)
	}
	if g.intn(4) != 0 {
		g.attr("title", pick(g, titles))
		g.attr("department", pick(g, departments))
		g.attr("l", pick(g, cities))
		g.attr("telephoneNumber", "+49 40 555 "+strconv.Itoa(1000+i%9000))
	}
	uac := 512
	if problem && g.intn(2) == 0 {
		uac |= 0x10000
	}
	if g.intn(20) == 0 {
		uac |= 2
	}
	g.attr("userAccountControl", strconv.Itoa(uac))
	age := int64(g.intn(30))
	if problem && g.intn(3) == 0 {
		age = 100 + int64(g.intn(300))
	}
	g.attr("pwdLastSet", strconv.FormatInt(g.now-age*864000000000, 10))
	g.str("\n")
}

func (g *gen) contact(i int) {
	given, sn := pick(g, givenNames), pick(g, surnames)
	num := strconv.Itoa(i)
	addr := ascii(given) + "." + ascii(sn) + num + "@partner" + strconv.Itoa(i%50) + ".com"
	g.dn(given+" "+sn+" "+num, "Contacts")
	g.str("objectClass: top\nobjectClass: person\nobjectClass: organizationalPerson\nobjectClass: contact\n")
	g.attr("cn", given+" "+sn+" "+num)
	g.attr("displayName", given+" "+sn+" (extern)")
	g.guid(i, 2)
	g.attr("mail", addr)
	g.attr("targetAddress", "SMTP:"+addr)
	g.attr("proxyAddresses", "SMTP:"+addr)
	g.attr("mailNickname", "c"+num)
	g.str("\n")
}

func (g *gen) group(i int) {
	num := strconv.Itoa(i)
	name := pick(g, departments) + " " + num
	g.dn(name, "Groups")
	g.str("objectClass: top\nobjectClass: group\n")
	g.attr("cn", name)
	g.guid(i, 3)
	g.attr("sAMAccountName", "g"+num)
	g.attr("groupType", "8")
	g.attr("mail", "list"+num+"@"+mailDomain)
	g.attr("proxyAddresses", "SMTP:list"+num+"@"+mailDomain)
	for m := 0; m < 5+g.intn(20); m++ {
		g.attr("member", "CN=Member "+strconv.Itoa(g.intn(i+1))+",OU=Users,"+baseDN)
	}
	g.str("\n")
}

func (g *gen) computer(i int) {
	num := strconv.Itoa(i)
	name := "PC-" + num
	g.dn(name, "Workstations")
	g.str("objectClass: top\nobjectClass: person\nobjectClass: organizationalPerson\nobjectClass: user\nobjectClass: computer\n")
	g.attr("cn", name)
	g.guid(i, 4)
	g.attr("sAMAccountName", name+"$")
	os := oses[3+g.intn(3)]
	if g.intn(100) >= 2 {
		os = oses[g.intn(3)]
	}
	g.attr("operatingSystem", os[0])
	g.attr("operatingSystemVersion", os[1])
	if os[2] != "" {
		g.attr("operatingSystemServicePack", os[2])
	}
	g.attr("dNSHostName", "pc-"+num+".corp.northwind.local")
	g.attr("userAccountControl", "4096")
	g.str("\n")
}
