package checks

import (
	"math"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/preflight-scan/preflight/snapshot"
)

func TestAddressProblems(t *testing.T) {
	for _, tc := range []struct {
		addr string
		want uint16
	}{
		{"jane@example.com", 0},
		{"Jane.Doe+tag@Sub.Example.CO.UK", 0},
		{"ivan@example.xn--p1ai", 0},
		{"o'brien@example.com", 0},
		{"jane", addrNoAt},
		{"@example.com", addrEmptyLocal},
		{"jane@", addrEmptyDomain},
		{".jane@example.com", addrLocalDots},
		{"jane.@example.com", addrLocalDots},
		{"ja..ne@example.com", addrLocalDots},
		{"jane@example..com", addrDomainDots},
		{"jane@.example.com", addrDomainDots},
		{"jane@example.com.", addrDomainDots},
		{"jane@mailhost", addrNoTLD},
		{"jane@example.c0m", addrBadTLD},
		{"jane@example.c", addrBadTLD},
		{"jane@exa_mple.com", addrDomainChars},
		{"jane@münchen.de", addrDomainChars},
		{"jane@-example.com", addrLabel},
		{"a@b@example.com", addrManyAt},
		{"jane@" + strings.Repeat("abcdefghi.", 25) + "example", addrDomainLong},
	} {
		if got := addressProblems(tc.addr); got != tc.want {
			t.Errorf("addressProblems(%q) = %b (%v), want %b", tc.addr, got, describeAddressProblems(got), tc.want)
		}
	}
}

func TestAddressProblemsDoesNotAllocate(t *testing.T) {
	n := testing.AllocsPerRun(100, func() { _ = addressProblems("jane.doe@mail.example.com") })
	if n != 0 {
		t.Errorf("addressProblems allocates %.0f times per valid address", n)
	}
}

func TestFileTime(t *testing.T) {
	if _, ok := fileTime(0); ok {
		t.Error("pwdLastSet 0 must not be a time")
	}
	if _, ok := fileTime(math.MaxInt64); ok {
		t.Error("0x7FFFFFFFFFFFFFFF (never) must not be a time")
	}
	got, ok := fileTime(fileTimeEpoch)
	if !ok || !got.Equal(time.Unix(0, 0)) {
		t.Errorf("fileTime(epoch) = %v, %v", got, ok)
	}
	// 2026-07-24T00:00:00Z, as Windows writes it.
	got, _ = fileTime(134293248000000000)
	if want := time.Date(2026, 7, 24, 0, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("fileTime = %v, want %v", got, want)
	}
	for _, tm := range []time.Time{time.Date(1999, 12, 31, 23, 59, 59, 123456700, time.UTC), time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)} {
		back, _ := fileTime(toFileTime(tm))
		if !back.Equal(tm) {
			t.Errorf("round trip %v → %v", tm, back)
		}
	}
}

func TestInterval100ns(t *testing.T) {
	for _, tc := range []struct {
		v     int64
		days  int64
		never bool
	}{
		{-36288000000000, 42, false},
		{-77760000000000, 90, false},
		{36288000000000, 42, false}, // some exports drop the sign
		{0, 0, true},
		{math.MinInt64, 0, true}, // 0x8000000000000000
	} {
		d, never := interval100ns(tc.v)
		if never != tc.never || days(d) != tc.days {
			t.Errorf("interval100ns(%d) = %v days %d never %v", tc.v, d, days(d), never)
		}
	}
}

func TestServicePackAndBuild(t *testing.T) {
	for in, want := range map[string]int{
		"Service Pack 2": 2, "SP3": 3, "sp1": 1, "": 0, "Service Pack 1, v.1101": 1,
		"Service Pack 3 (build 5512)": 3, "Dienstpaket 2": 0, "Service Pack": 0,
	} {
		if got := servicePack(in); got != want {
			t.Errorf("servicePack(%q) = %d, want %d", in, got, want)
		}
	}
	for in, want := range map[string]int{"10.0 (19045)": 19045, "6.1 (7601)": 7601, "4.0": 0, "": 0, "10.0 (": 0} {
		if got := osBuild(in); got != want {
			t.Errorf("osBuild(%q) = %d, want %d", in, got, want)
		}
	}
	if got := normalizeOS("Windows Server®  2008 R2 Standard"); got != "windows server 2008 r2 standard" {
		t.Errorf("normalizeOS = %q", got)
	}
	if got := normalizeOS("Windows Vista™ Business"); got != "windows vista business" {
		t.Errorf("normalizeOS = %q", got)
	}
}

func bposTable(t *testing.T) *charTable {
	t.Helper()
	ct, err := compileCharRule("mailnickname", charRule{Invalid: " ()@'|=?/%~", Converts: true})
	if err != nil {
		t.Fatal(err)
	}
	return ct
}

func TestCharConversion(t *testing.T) {
	bp := bposTable(t)
	for in, want := range map[string]string{
		"j smith (IT)": "j_smith__IT_",
		"o'brien":      "o_brien",
		"a|b=c?d/e%f~": "a_b_c_d_e_f_",
		"Иван":         "Иван", // non-ASCII letters are valid here
	} {
		got, _ := bp.convert(in)
		if got != want {
			t.Errorf("bpos convert(%q) = %q, want %q", in, got, want)
		}
		if (bp.scan(in) != 0) != (in != want) {
			t.Errorf("bpos scan(%q) disagrees with convert", in)
		}
	}
	upn, err := compileCharRule("userprincipalname", charRule{Allowed: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'.-_!#^~", NonASCII: true, Whitespace: true})
	if err != nil {
		t.Fatal(err)
	}
	got, chars := upn.convert("jürgen+x\u00a0y")
	if got != "j_rgen_x_y" || strings.Join(chars, " ") != "ü + U+00A0" {
		t.Errorf("upn convert = %q %q", got, chars)
	}
	if upn.scan("o'brien.smith-jones_1") != 0 {
		t.Error("apostrophe, dot, hyphen, underscore are valid in a UPN local part")
	}
	nick, _ := compileCharRule("mailnickname", charRule{Invalid: "()", LeadingPeriod: true, Converts: true})
	if nick.scan(".jane") == 0 {
		t.Error("leading period not flagged")
	}
	if got, _ := nick.convert("..jane(x)"); got != "jane_x_" {
		t.Errorf("leading periods: %q", got)
	}
	if _, err := compileCharRule("x", charRule{}); err == nil {
		t.Error("an empty rule must be rejected")
	}
	if _, err := compileCharRule("x", charRule{Allowed: "abc"}); err == nil {
		t.Error("a replacement that is itself invalid must be rejected")
	}
	if _, err := compileCharRule("x", charRule{Invalid: "é"}); err == nil {
		t.Error("a non-ASCII invalid character must be rejected (use non_ascii)")
	}
}

func dirObj(kind snapshot.ObjectKind, dn string, attrs map[string]string) *snapshot.DirObject {
	o := &snapshot.DirObject{DN: dn, Kind: kind, Domain: snapshot.DomainOfDN(dn), Attrs: map[string][]string{}}
	for k, v := range attrs {
		o.Attrs[k] = []string{v}
	}
	return o
}

func TestScope(t *testing.T) {
	mail := map[string]string{"mail": "x@example.com"}
	with := func(k, v string) map[string]string {
		m := map[string]string{"mail": "x@example.com", k: v}
		return m
	}
	for _, tc := range []struct {
		name string
		o    *snapshot.DirObject
		want bool
	}{
		{"mail user", dirObj(snapshot.KindUser, "CN=Jane,DC=x,DC=com", mail), true},
		{"contact", dirObj(snapshot.KindContact, "CN=Ext,DC=x,DC=com", mail), true},
		{"group with smtp proxy only", dirObj(snapshot.KindGroup, "CN=G,DC=x,DC=com", map[string]string{"proxyaddresses": "smtp:g@x.com"}), true},
		{"user without mail", dirObj(snapshot.KindUser, "CN=Jane,DC=x,DC=com", nil), false},
		{"computer", dirObj(snapshot.KindComputer, "CN=PC$,DC=x,DC=com", mail), false},
		{"krbtgt", dirObj(snapshot.KindUser, "CN=krbtgt,DC=x,DC=com", mail), false},
		{"Administrator", dirObj(snapshot.KindUser, "CN=Administrator,DC=x,DC=com", mail), false},
		{"HealthMailbox", dirObj(snapshot.KindUser, "CN=HealthMailbox12ab,DC=x,DC=com", mail), false},
		{"DiscoverySearchMailbox", dirObj(snapshot.KindUser, "CN=DiscoverySearchMailbox {D919BA05},DC=x,DC=com", mail), false},
		{"cn ending in $", dirObj(snapshot.KindUser, "CN=SVC$,DC=x,DC=com", mail), false},
		{"critical system object", dirObj(snapshot.KindUser, "CN=Jane,DC=x,DC=com", with("iscriticalsystemobject", "TRUE")), false},
		{"replication conflict", dirObj(snapshot.KindUser, `CN=Jane\0ACNF:1234-5678,DC=x,DC=com`, mail), false},
		{"MSOL_ sAMAccountName", dirObj(snapshot.KindUser, "CN=Sync,DC=x,DC=com", with("samaccountname", "MSOL_ab12")), false},
		{"Iwamoto is a person", dirObj(snapshot.KindUser, "CN=Iwamoto Ken,DC=x,DC=com", mail), true},
		{"Guesthouse is a person", dirObj(snapshot.KindUser, "CN=Guesthouse Reception,DC=x,DC=com", mail), true},
		{"Guest", dirObj(snapshot.KindUser, "CN=Guest,DC=x,DC=com", mail), false},
	} {
		if got, _ := Scope(tc.o, ScopeMailEnabled); got != tc.want {
			t.Errorf("%s: inScope = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestFoldHasher(t *testing.T) {
	h := func(s string) (uint64, uint32) {
		f := newFoldHasher()
		f.write(s)
		return f.h, f.g
	}
	a1, b1 := h("Jürgen.Müller@Example.COM")
	a2, b2 := h("jürgen.müller@example.com")
	a3, b3 := h("JÜRGEN.MÜLLER@EXAMPLE.COM")
	if a1 != a2 || b1 != b2 || a2 != a3 || b2 != b3 {
		t.Error("case variants hash differently")
	}
	if x, _ := h("jane@example.com"); x == a1 {
		t.Error("different addresses hash alike")
	}
	n := testing.AllocsPerRun(100, func() { _, _ = h("Jane.Doe@Example.com") })
	if n != 0 {
		t.Errorf("hashing allocates %.0f times", n)
	}
}

func TestSamplerIsOrderIndependent(t *testing.T) {
	var a, b sampler
	a.k, b.k = 3, 3
	in := []string{"d", "b", "e", "a", "c", "a"}
	for _, v := range in {
		a.add(v)
	}
	for i := len(in) - 1; i >= 0; i-- {
		b.add(in[i])
	}
	if strings.Join(a.items, ",") != "a,b,c" || strings.Join(b.items, ",") != "a,b,c" {
		t.Errorf("samples %v %v", a.items, b.items)
	}
}

func TestDupIndexSameObjectTwice(t *testing.T) {
	var arena dnArena
	d := newDupIndex()
	add := func(holder uint32, dn, addr string) {
		f := newFoldHasher()
		f.write(addr)
		d.add(&arena, f, holder, dn, inMail, func() string { return strings.ToLower(addr) })
	}
	h1 := arena.add("CN=Jane,DC=x,DC=com", snapshot.KindUser)
	add(h1, "CN=Jane,DC=x,DC=com", "jane@x.com")
	h2 := arena.add("cn=jane,dc=X,dc=com", snapshot.KindUser) // the same object from another server
	add(h2, "cn=jane,dc=X,dc=com", "JANE@x.com")
	if len(d.dups) != 0 {
		t.Fatalf("the same object read twice was reported: %v", d.dups)
	}
	h3 := arena.add("CN=Other,DC=x,DC=com", snapshot.KindContact)
	add(h3, "CN=Other,DC=x,DC=com", "Jane@X.com")
	hs := d.dups["jane@x.com"]
	if len(hs) != 2 || arena.dn(hs[1].holder) != "CN=Other,DC=x,DC=com" || arena.kind(hs[1].holder) != snapshot.KindContact {
		t.Fatalf("dups = %+v", d.dups)
	}
}

func FuzzAddressProblems(f *testing.F) {
	for _, s := range []string{"jane@example.com", "a@b@c", "@", "x@y.xn--p1ai", ".a@b..c", "a@-b.c", "ü@ü.ü"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p := addressProblems(s)
		if p == 0 {
			// A valid address has exactly one '@', a non-empty local part
			// and a dotted ASCII domain.
			local, domain, ok := strings.Cut(s, "@")
			if !ok || local == "" || strings.Contains(domain, "@") || !strings.Contains(domain, ".") {
				t.Fatalf("%q accepted", s)
			}
			for i := 0; i < len(domain); i++ {
				if domain[i] >= utf8.RuneSelf {
					t.Fatalf("%q accepted with a non-ASCII domain", s)
				}
			}
		}
		_ = describeAddressProblems(p)
	})
}

func FuzzCharConvert(f *testing.F) {
	for _, s := range []string{"j smith (IT)", "o'brien", "Иван", ".x", "a\u00a0b", "\xff"} {
		f.Add(s)
	}
	bp, _ := compileCharRule("x", charRule{Invalid: " ()@'|=?/%~", Whitespace: true, LeadingPeriod: true, Converts: true})
	upn, _ := compileCharRule("y", charRule{Allowed: "abc._", NonASCII: true})
	f.Fuzz(func(t *testing.T, s string) {
		for _, ct := range []*charTable{bp, upn} {
			out, chars := ct.convert(s)
			if ct.scan(out) != 0 {
				t.Fatalf("converted %q to %q, which still has invalid characters", s, out)
			}
			if (ct.scan(s) == 0) != (len(chars) == 0) {
				t.Fatalf("scan and convert disagree on %q", s)
			}
		}
	})
}

func FuzzOSParse(f *testing.F) {
	for _, s := range []string{"Service Pack 2", "SP3", "10.0 (19045)", "(", "Windows® XP™"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if servicePack(s) < 0 || osBuild(s) < 0 {
			t.Fatalf("negative parse of %q", s)
		}
		n := normalizeOS(s)
		if normalizeOS(n) != n {
			t.Fatalf("normalizeOS not idempotent on %q", s)
		}
	})
}

func FuzzFoldHasher(f *testing.F) {
	for _, s := range []string{"Jane@Example.com", "ÄÖÜ", "\xff\xfe", "İstanbul"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, b := newFoldHasher(), newFoldHasher()
		a.write(s)
		b.write(strings.ToUpper(s))
		c := newFoldHasher()
		c.write(strings.ToLower(s))
		if a != c && utf8.ValidString(s) {
			// Folding is per rune, as Exchange compares addresses; only
			// runes whose lower case is not stable may differ.
			for _, r := range s {
				if l := []rune(strings.ToLower(string(r))); len(l) != 1 {
					return
				}
			}
			t.Fatalf("%q and its lower case hash differently", s)
		}
		_ = b
	})
}

func TestHashTable(t *testing.T) {
	var tab hashTable
	const n = 5000
	for i := uint64(0); i < n; i++ {
		p, found := tab.find(i * 0x9E3779B97F4A7C15) // includes key 0
		if found {
			t.Fatalf("key %d found before insert", i)
		}
		p.holder = uint32(i)
	}
	if tab.count != n || len(tab.entries) < n*4/3 {
		t.Fatalf("count %d, capacity %d", tab.count, len(tab.entries))
	}
	for i := uint64(0); i < n; i++ {
		p, found := tab.find(i * 0x9E3779B97F4A7C15)
		if !found || p.holder != uint32(i) {
			t.Fatalf("key %d: found %v holder %d", i, found, p.holder)
		}
	}
}

func TestScopeCacheFollowsReusedRecords(t *testing.T) {
	c := scopeView{sh: NewShared()}
	o := dirObj(snapshot.KindUser, "CN=Jane,DC=x,DC=com", map[string]string{"mail": "jane@x.com"})
	if !c.in(o) {
		t.Fatal("mail user not in scope")
	}
	// A collector reuses the object for the next entry: new DN, no mail.
	o.DN = "CN=Svc,DC=x,DC=com"
	delete(o.Attrs, "mail")
	if c.in(o) {
		t.Fatal("stale cache entry after the record was reused")
	}
	// Same DN re-read with more attributes (Global Catalog, then DC).
	o.Attrs["proxyaddresses"] = []string{"smtp:svc@x.com"}
	if !c.in(o) {
		t.Fatal("cache ignored a changed attribute set")
	}
	var nilCache scopeView
	if !nilCache.in(o) {
		t.Fatal("a nil cache must compute directly")
	}
}

func TestSIPMatchesAgreesWithSIPAddresses(t *testing.T) {
	for _, tc := range []map[string][]string{
		{"msrtcsip-primaryuseraddress": {"sip:Jane@x.com"}},
		{"msrtcsip-primaryuseraddress": {"sip:old@x.com"}},
		{"proxyaddresses": {"SMTP:jane@x.com", "SIP:JANE@x.com"}},
		{"proxyaddresses": {"SMTP:jane@x.com", "sip:old@x.com"}},
		{"proxyaddresses": {"SMTP:jane@x.com", "sip:jane@x.com", "sip:old@x.com"}},
		{"msrtcsip-primaryuseraddress": {"sip:jane@x.com"}, "proxyaddresses": {"sip:old@x.com"}},
		{"msrtcsip-primaryuseraddress": {"sip:jane@x.com"}, "proxyaddresses": {"SIP:old@x.com"}},
	} {
		o := &snapshot.DirObject{Kind: snapshot.KindUser, Attrs: tc}
		want := true
		for _, s := range sipAddresses(o) {
			if !strings.EqualFold(s, "jane@x.com") {
				want = false
			}
		}
		if got := sipMatches(o, "jane@x.com"); got != want {
			t.Errorf("%v: sipMatches = %v, sipAddresses says %v", tc, got, want)
		}
	}
}

// The arena gives back every DN exactly as added, with its parent stored
// once, and compares DNs ignoring case.
func TestDNArenaKeepsDNs(t *testing.T) {
	var a dnArena
	dns := []string{
		"CN=Jane,OU=Users,DC=x,DC=com",
		`CN=Smith\, John,OU=Users,DC=x,DC=com`,
		"DC=x,DC=com",
		"nocomma",
		`CN=trailing\\,OU=Users,DC=x,DC=com`,
		"CN=Empty,",
	}
	var ids []uint32
	for _, dn := range dns {
		ids = append(ids, a.add(dn, snapshot.KindUser))
	}
	for i, dn := range dns {
		if got := a.dn(ids[i]); got != dn {
			t.Errorf("dn %d = %q, want %q", i, got, dn)
		}
		if !a.sameDN(ids[i], strings.ToUpper(dn)) || a.sameDN(ids[i], dn+"x") {
			t.Errorf("sameDN %q wrong", dn)
		}
	}
	if len(a.parent) != 3 {
		t.Errorf("parents %q, want OU=Users,DC=x,DC=com, DC=com and the empty parent once each", a.parent)
	}
	if a.sameDN(ids[0], "CN=Jane;OU=Users,DC=x,DC=com") {
		t.Error("a DN with another separator compared equal")
	}
}
