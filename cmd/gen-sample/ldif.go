package main

// The directory's constants, the entries being written and the LDIF
// writer, with the stable GUIDs, SIDs and FILETIMEs of the objects.

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"strconv"
	"strings"
	"time"

	"github.com/preflight-scan/preflight/collect/ldif/ldifgen"
)

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
// base64, lines folded at 76 columns. A bufio.Writer keeps its first error
// and returns it from every later call, so the writes ignore it and
// generate reports it from Flush.
type writer struct {
	w       *bufio.Writer
	entries int
}

func (w *writer) line(name, value string) {
	_, _ = w.w.Write(ldifgen.AppendAttr(nil, name, []byte(value), false))
}

func (w *writer) entry(e *entry) {
	w.entries++
	_, _ = w.w.WriteString("# " + e.comment + "\n")
	w.line("dn", e.dn)
	for _, a := range e.attrs {
		w.line(a[0], a[1])
	}
	_ = w.w.WriteByte('\n')
}

func userDN(cn, ou string) string {
	return "CN=" + escapeRDN(cn) + ",OU=" + ou + ",OU=Northwind," + baseDN
}

func escapeRDN(s string) string {
	r := strings.NewReplacer(",", `\,`, "+", `\+`, `"`, `\"`, "<", `\<`, ">", `\>`, ";", `\;`)
	return r.Replace(s)
}
