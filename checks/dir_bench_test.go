package checks_test

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/preflight-scan/preflight/checks"
	"github.com/preflight-scan/preflight/engine"
	"github.com/preflight-scan/preflight/rules"
	"github.com/preflight-scan/preflight/snapshot"
)

// synthDir produces synthetic directory records shaped like a real
// forest, one at a time into reused records (as a collector streams them):
// 80% mail-enabled users (three proxy addresses, names, address-book
// attributes, password data), 8% groups, 5% contacts, 5% computers, 2%
// service users without mail; about 1 in 1,000 with bad characters, 1 in
// 5,000 duplicating the previous address, 3% with stale passwords.
type synthDir struct {
	user, group, contact, computer, svc snapshot.Record
	base                                time.Time
}

func newSynthDir() *synthDir {
	g := &synthDir{base: caseNow()}
	mk := func(kind snapshot.ObjectKind, classes ...string) snapshot.Record {
		return snapshot.Record{Dir: &snapshot.DirObject{Kind: kind, Attrs: map[string][]string{"objectclass": classes}}}
	}
	g.user = mk(snapshot.KindUser, "top", "person", "organizationalPerson", "user")
	for k, v := range map[string]string{"givenname": "User", "title": "Engineer", "department": "IT", "telephonenumber": "+1 555 0100",
		"l": "Springfield", "co": "United States", "useraccountcontrol": "512"} {
		g.user.Dir.Attrs[k] = []string{v}
	}
	g.group = mk(snapshot.KindGroup, "top", "group")
	g.contact = mk(snapshot.KindContact, "top", "person", "organizationalPerson", "contact")
	g.computer = mk(snapshot.KindComputer, "top", "person", "organizationalPerson", "user", "computer")
	g.computer.Dir.Attrs["operatingsystem"] = []string{"Windows 11 Enterprise"}
	g.computer.Dir.Attrs["operatingsystemversion"] = []string{"10.0 (26100)"}
	g.computer.Dir.Attrs["useraccountcontrol"] = []string{"4096"}
	g.svc = mk(snapshot.KindUser, "top", "person", "organizationalPerson", "user")
	g.svc.Dir.Attrs["useraccountcontrol"] = []string{"66048"}
	return g
}

func (g *synthDir) domains() []*snapshot.Record {
	var out []*snapshot.Record
	for _, d := range []string{"corp.example.com", "emea.corp.example.com"} {
		out = append(out, &snapshot.Record{Dir: &snapshot.DirObject{DN: "DC=" + strings.ReplaceAll(d, ".", ",DC="), Kind: snapshot.KindDomain, Domain: d, Attrs: map[string][]string{
			"objectclass": {"top", "domain", "domainDNS"}, "minpwdlength": {"7"}, "pwdproperties": {"1"},
			"pwdhistorylength": {"24"}, "maxpwdage": {"-36288000000000"},
		}}})
	}
	return out
}

func (g *synthDir) next(i int) *snapshot.Record {
	dom, dc := "corp.example.com", ",DC=corp,DC=example,DC=com"
	if i%4 == 0 {
		dom, dc = "emea.corp.example.com", ",DC=emea,DC=corp,DC=example,DC=com"
	}
	id := strconv.Itoa(i)
	name := "User " + id
	local := "user" + id
	if i%1000 == 7 {
		local = "user " + id + " (x)"
	}
	mail := local + "@example.com"
	if i%5000 == 11 {
		mail = "user" + strconv.Itoa(i-1) + "@example.com"
	}
	var r *snapshot.Record
	ou := ",OU=Staff"
	switch x := i % 100; {
	case x < 80:
		r = &g.user
		a := r.Dir.Attrs
		a["samaccountname"] = []string{"u" + id}
		a["userprincipalname"] = []string{mail}
		a["sn"] = []string{id}
		a["displayname"] = []string{name}
		age := time.Duration(i%40) * 24 * time.Hour
		if i%100 < 3 {
			age = 400 * 24 * time.Hour
		}
		a["pwdlastset"] = []string{strconv.FormatInt(g.base.Add(-age).Unix()*1e7+116444736000000000, 10)}
		a["msrtcsip-primaryuseraddress"] = []string{"sip:" + mail}
	case x < 88:
		r = &g.group
		r.Dir.Attrs["samaccountname"] = []string{"g" + id}
		r.Dir.Attrs["displayname"] = []string{"Group " + id}
	case x < 93:
		r = &g.contact
		mail = "ext" + id + "@partner.example.net"
		r.Dir.Attrs["targetaddress"] = []string{"SMTP:" + mail}
	case x < 98:
		r = &g.computer
		r.Dir.Attrs["dnshostname"] = []string{"pc" + id + "." + dom}
		ou = ",OU=Computers"
	default:
		r = &g.svc
		r.Dir.Attrs["samaccountname"] = []string{"svc" + id}
	}
	o := r.Dir
	if o.Kind != snapshot.KindComputer && r != &g.svc {
		o.Attrs["mail"] = []string{mail}
		o.Attrs["mailnickname"] = []string{local}
		o.Attrs["proxyaddresses"] = []string{"SMTP:" + mail, "smtp:" + local + "@corp.example.com", "X500:/o=Org/ou=Exchange/cn=Recipients/cn=" + local}
	}
	o.Attrs["cn"] = []string{name}
	o.Attrs["objectguid"] = []string{fmt.Sprintf("%08x-0000-0000-0000-000000000000", i)}
	o.DN = "CN=" + name + ou + dc
	o.Domain = dom
	return r
}

// cpuTime returns the process's user and system CPU time in nanoseconds.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// BenchmarkDirectoryChecks feeds synthetic objects through every directory
// rule and CLI-001 (engine included) and reports the cost per object; an
// iteration is one object. The index DIR-005 keeps is reported as
// retained-B/obj.
func BenchmarkDirectoryChecks(b *testing.B) {
	rs, err := rules.Load()
	if err != nil {
		b.Fatal(err)
	}
	var only []string
	for _, r := range rs {
		if strings.HasPrefix(r.ID, "DIR-") || r.ID == "CLI-001" {
			only = append(only, r.ID)
		}
	}
	b.Run("generate-only", func(b *testing.B) {
		g := newSynthDir()
		b.ReportAllocs()
		cpu0 := cpuTime()
		for i := 0; i < b.N; i++ {
			_ = g.next(i)
		}
		b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/obj")
	})
	for _, profile := range rules.Profiles() {
		b.Run(profile, func(b *testing.B) {
			env := checks.Env{Profile: profile, Now: caseNow(), Phase: "pre-cutover"}
			run, err := engine.New(engine.Options{Rules: rs, Registry: checks.Default(), Env: env, Only: only})
			if err != nil {
				b.Fatal(err)
			}
			g := newSynthDir()
			_ = run.Put(&snapshot.Record{Source: &snapshot.Source{Name: "bench", Kind: "ldif", Areas: []snapshot.Area{snapshot.AreaDirectory}, Status: snapshot.StatusOK}})
			for _, d := range g.domains() {
				_ = run.Put(d)
			}
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			b.ReportAllocs()
			cpu0 := cpuTime()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				_ = run.Put(g.next(i))
			}
			rep := run.Finish(engine.Meta{})
			b.StopTimer()
			// CPU time (all threads, GC included) is steadier than wall
			// time on a shared machine; it includes generating the records
			// (see generate-only).
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/obj")
			runtime.GC()
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/float64(b.N), "retained-B/obj")
			b.ReportMetric(float64(len(rep.Findings)), "findings")
			runtime.KeepAlive(run)
		})
	}
}

// caseNow is the fixed "now" of the rule test cases.
func caseNow() time.Time { return time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC) }
