package snapshot

import (
	"bytes"
	"context"
	"testing"
	"time"
)

func TestNewDirObjectNormalises(t *testing.T) {
	guid := []byte{0x78, 0x56, 0x34, 0x12, 0x34, 0x12, 0x78, 0x56, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0}
	sid := []byte{1, 5, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0xe9, 3, 0, 0}
	o := NewDirObject(`CN=Smith\, John,OU=Sales,DC=Corp,DC=Example,DC=com`, map[string][][]byte{
		"objectClass":         {[]byte("top"), []byte("person"), []byte("user")},
		"objectGUID":          {guid},
		"objectSid":           {sid},
		"member;range=0-1499": {[]byte("CN=a"), []byte("CN=b")},
		"whenChanged":         {[]byte("20260101000000.0Z")},
		"MAIL":                {[]byte("John.Smith@Example.com")},
	})
	if got := o.First("objectguid"); got != "12345678-1234-5678-1234-56789abcdef0" {
		t.Errorf("objectGUID = %s", got)
	}
	if got := o.First("objectsid"); got != "S-1-5-21-1-2-3-1001" {
		t.Errorf("objectSid = %s", got)
	}
	if o.Kind != KindUser || o.Domain != "corp.example.com" {
		t.Errorf("kind %s domain %s", o.Kind, o.Domain)
	}
	if len(o.Attrs["member"]) != 2 {
		t.Errorf("ranged attribute not merged: %v", o.Attrs)
	}
	if _, ok := o.Attrs["whenchanged"]; ok {
		t.Error("kept an attribute the rules do not read")
	}
	if o.First("mail") != "John.Smith@Example.com" {
		t.Error("attribute names must fold, values keep their case")
	}
}

func TestKindOf(t *testing.T) {
	for classes, want := range map[string]ObjectKind{
		"top person organizationalPerson user computer": KindComputer,
		"top person organizationalPerson user":          KindUser,
		"top person organizationalPerson contact":       KindContact,
		"top group":              KindGroup,
		"top domain domainDNS":   KindDomain,
		"top organizationalUnit": KindOther,
	} {
		var cs []string
		for _, f := range bytes.Fields([]byte(classes)) {
			cs = append(cs, string(f))
		}
		if got := KindOf(cs); got != want {
			t.Errorf("%s: %s, want %s", classes, got, want)
		}
	}
}

func TestSnapshotRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewWriter(&buf, Header{Tool: "preflight", CreatedAt: time.Unix(0, 0).UTC()})
	if err != nil {
		t.Fatal(err)
	}
	in := []*Record{
		{Dir: &DirObject{DN: "CN=Иван,DC=x", Kind: KindUser, Attrs: map[string][]string{"sn": {"Петров"}}}},
		{DNS: &DNSResult{Domain: "example.com", Name: "example.com", Type: "MX", Outcome: LookupTimeout}},
		{Source: &Source{Name: "a.ldif", Kind: "ldif", Status: StatusOK}},
	}
	for _, r := range in {
		if err := w.Put(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	var got []*Record
	if _, err := Read(context.Background(), &buf, "s", SinkFunc(func(r *Record) error { got = append(got, r); return nil })); err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].Dir.Attrs["sn"][0] != "Петров" || got[1].DNS.Outcome != LookupTimeout || got[2].Source.Name != "a.ldif" {
		t.Errorf("round trip lost data: %+v", got)
	}
}

func FuzzRead(f *testing.F) {
	var buf bytes.Buffer
	w, _ := NewWriter(&buf, Header{Tool: "preflight"})
	_ = w.Put(&Record{Source: &Source{Name: "x"}})
	_ = w.Close()
	f.Add(buf.Bytes())
	f.Add([]byte{0x1f, 0x8b})
	f.Add([]byte("not gzip"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, err := Read(context.Background(), bytes.NewReader(b), "fuzz", SinkFunc(func(*Record) error { return nil }))
		if err != nil && err.Error() == "" {
			t.Error("empty error message")
		}
	})
}

func TestDomainOfDN(t *testing.T) {
	for dn, want := range map[string]string{
		`CN=Smith\, DC=fake,OU=x,DC=Corp,DC=Example,DC=com`: "corp.example.com",
		`CN=a,OU=b`:                           "",
		`DC=child, DC=corp,dc=example,DC=com`: "child.corp.example.com",
		``:                                    "",
	} {
		if got := DomainOfDN(dn); got != want {
			t.Errorf("DomainOfDN(%q) = %q, want %q", dn, got, want)
		}
	}
}
