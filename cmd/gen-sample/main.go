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
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
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

func generate(out io.Writer) error {
	rng := rand.New(rand.NewPCG(2026, 11))
	bw := bufio.NewWriter(out)
	w := &writer{w: bw}
	_, _ = bw.WriteString("# extended LDIF\n#\n# LDAPv3\n# base <" + baseDN + "> with scope subtree\n" +
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
	// ldapsearch's trailer: the result, then the counts (the result is
	// a response too).
	_, _ = fmt.Fprintf(bw, "# search result\nsearch: 2\nresult: 0 Success\ncontrol: 1.2.840.113556.1.4.319 false MIQAAAAFAgEABAA=\n\n# numResponses: %d\n# numEntries: %d\n",
		w.entries+1, w.entries)
	return bw.Flush()
}
