package ldapwire

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"testing"

	ber "github.com/go-asn1-ber/asn1-ber"
	goldap "github.com/go-ldap/ldap/v3"
)

// entryBytes encodes a SearchResultEntry with go-asn1-ber, the encoder
// go-ldap's servers and tests use, independent of this package.
func entryBytes(id int64, dn string, attrs ...[]string) []byte {
	pkt := ber.Encode(ber.ClassUniversal, ber.TypeConstructed, ber.TagSequence, nil, "")
	pkt.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagInteger, id, ""))
	op := ber.Encode(ber.ClassApplication, ber.TypeConstructed, goldap.ApplicationSearchResultEntry, nil, "")
	op.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, dn, ""))
	list := ber.Encode(ber.ClassUniversal, ber.TypeConstructed, ber.TagSequence, nil, "")
	for _, a := range attrs {
		pa := ber.Encode(ber.ClassUniversal, ber.TypeConstructed, ber.TagSequence, nil, "")
		pa.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, a[0], ""))
		set := ber.Encode(ber.ClassUniversal, ber.TypeConstructed, ber.TagSet, nil, "")
		for _, v := range a[1:] {
			set.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, v, ""))
		}
		pa.AppendChild(set)
		list.AppendChild(pa)
	}
	op.AppendChild(list)
	pkt.AppendChild(op)
	return pkt.Bytes()
}

// doneBytes encodes a SearchResultDone with a paged results cookie.
func doneBytes(id, code int64, diag string, cookie string, refs ...string) []byte {
	pkt := ber.Encode(ber.ClassUniversal, ber.TypeConstructed, ber.TagSequence, nil, "")
	pkt.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagInteger, id, ""))
	op := ber.Encode(ber.ClassApplication, ber.TypeConstructed, goldap.ApplicationSearchResultDone, nil, "")
	op.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagEnumerated, code, ""))
	op.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, "", ""))
	op.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, diag, ""))
	if len(refs) > 0 {
		r := ber.Encode(ber.ClassContext, ber.TypeConstructed, 3, nil, "")
		for _, u := range refs {
			r.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, u, ""))
		}
		op.AppendChild(r)
	}
	pkt.AppendChild(op)
	cs := ber.Encode(ber.ClassContext, ber.TypeConstructed, 0, nil, "")
	p := goldap.NewControlPaging(1000)
	p.SetCookie([]byte(cookie))
	cs.AppendChild(p.Encode())
	pkt.AppendChild(cs)
	return pkt.Bytes()
}

func TestDecodeEntry(t *testing.T) {
	b := entryBytes(7, "CN=Ann,DC=corp,DC=example",
		[]string{"objectClass", "top", "person", "user"},
		[]string{"member;range=0-1", "CN=a", "CN=b"},
		[]string{"empty"},
		[]string{"objectGUID", "\x00\x01\xff\x80"})
	var m Message
	if err := m.Decode(b); err != nil {
		t.Fatal(err)
	}
	if m.ID != 7 || m.Op != OpSearchResultEntry || string(m.DN) != "CN=Ann,DC=corp,DC=example" || len(m.Attrs) != 4 {
		t.Fatalf("decoded %d %d %q %d attrs", m.ID, m.Op, m.DN, len(m.Attrs))
	}
	got := fmt.Sprintf("%s", m.Attrs)
	want := "[{objectClass [top person user]} {member;range=0-1 [CN=a CN=b]} {empty []} {objectGUID [\x00\x01\xff\x80]}]"
	if got != want {
		t.Errorf("attrs = %q, want %q", got, want)
	}
}

func TestDecodeDoneAndReference(t *testing.T) {
	var m Message
	if err := m.Decode(doneBytes(3, 0, "", "abc")); err != nil {
		t.Fatal(err)
	}
	c := m.Control(PagedResultsOID)
	if m.Op != OpSearchResultDone || c == nil {
		t.Fatalf("op %d, control %v", m.Op, c)
	}
	if cookie, err := PagedCookie(c.Value); err != nil || string(cookie) != "abc" {
		t.Errorf("cookie %q, %v", cookie, err)
	}
	if err := m.Decode(doneBytes(3, 10, "see there", "", "ldap://a/DC=a", "ldap://b/DC=b")); err != nil {
		t.Fatal(err)
	}
	if m.Result.Code != 10 || string(m.Result.Diagnostic) != "see there" || len(m.Result.Referrals) != 2 || string(m.Result.Referrals[1]) != "ldap://b/DC=b" {
		t.Errorf("result = %+v", m.Result)
	}
	ref := ber.Encode(ber.ClassUniversal, ber.TypeConstructed, ber.TagSequence, nil, "")
	ref.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagInteger, int64(3), ""))
	op := ber.Encode(ber.ClassApplication, ber.TypeConstructed, goldap.ApplicationSearchResultReference, nil, "")
	op.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, "ldap://x/DC=x", ""))
	ref.AppendChild(op)
	if err := m.Decode(ref.Bytes()); err != nil || m.Op != OpSearchResultReference || len(m.URIs) != 1 || string(m.URIs[0]) != "ldap://x/DC=x" {
		t.Errorf("reference: %v %+v", err, m)
	}
}

func TestDecodeRejectsBadLengths(t *testing.T) {
	good := entryBytes(1, "CN=x", []string{"mail", "a@b"})
	cases := map[string][]byte{
		"truncated":         good[:len(good)-1],
		"trailing byte":     append(slices.Clone(good), 0),
		"indefinite length": append([]byte{0x30, 0x80}, good[2:]...),
		"inner overrun":     func() []byte { b := slices.Clone(good); b[len(b)-4]++; return b }(),
		"empty":             nil,
		"bind request":      AppendBindRequest(nil, 1, "x", []byte("y")),
	}
	for name, b := range cases {
		var m Message
		err := m.Decode(b)
		if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrTruncated) {
			t.Errorf("%s: err = %v, want malformed or truncated", name, err)
		}
	}
}

func TestReaderDoesNotAllocateWhatIsAnnounced(t *testing.T) {
	// 60 MiB announced, 10 bytes sent.
	b := append([]byte{0x30, 0x84, 0x03, 0xc0, 0x00, 0x00}, make([]byte, 10)...)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := NewReader(bytes.NewReader(b)).Append(nil)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("err = %v, want unexpected EOF", err)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 2<<20 {
		t.Errorf("allocated %d bytes for a 10-byte message announcing 60 MiB", n)
	}
	big := []byte{0x30, 0x84, 0x7f, 0x00, 0x00, 0x00}
	if _, err := NewReader(bytes.NewReader(big)).Append(nil); !errors.Is(err, ErrTooLarge) {
		t.Errorf("2 GiB message: err = %v, want ErrTooLarge", err)
	}
}

func TestReaderReadsMessagesBackToBack(t *testing.T) {
	var stream []byte
	stream = append(stream, entryBytes(2, "CN=a", []string{"cn", "a"})...)
	stream = append(stream, entryBytes(2, "CN=b", []string{"cn", string(make([]byte, 300<<10))})...)
	stream = append(stream, doneBytes(2, 0, "", "")...)
	r := NewReader(bytes.NewReader(stream))
	var buf []byte
	var ends []int
	for {
		var err error
		buf, err = r.Append(buf)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		ends = append(ends, len(buf))
	}
	if !bytes.Equal(buf, stream) || len(ends) != 3 {
		t.Fatalf("read %d bytes in %d messages, want %d in 3", len(buf), len(ends), len(stream))
	}
	var m Message
	if err := m.Decode(buf[ends[0]:ends[1]]); err != nil || string(m.DN) != "CN=b" || len(m.Attrs[0].Values[0]) != 300<<10 {
		t.Errorf("second message: %v", err)
	}
}

func TestRequestsDecodeWithGoASN1BER(t *testing.T) {
	f, err := goldap.CompileFilter("(|(objectClass=user)(objectClass=contact))")
	if err != nil {
		t.Fatal(err)
	}
	b := AppendSearchRequest(nil, 5, &SearchRequest{Base: "DC=x", Scope: 2, TimeLimit: 120, Filter: f.Bytes(),
		Attrs: []string{"cn", "mail"}, PageSize: 1000, Cookie: []byte{0, 1, 2}})
	pkt, err := ber.DecodePacketErr(b)
	if err != nil {
		t.Fatal(err)
	}
	if pkt.Children[0].Value.(int64) != 5 || pkt.Children[1].Children[0].Value.(string) != "DC=x" {
		t.Errorf("request: %v", pkt.Children)
	}
	ctrl, err := goldap.DecodeControl(pkt.Children[2].Children[0])
	if err != nil {
		t.Fatal(err)
	}
	if p, ok := ctrl.(*goldap.ControlPaging); !ok || p.PagingSize != 1000 || !bytes.Equal(p.Cookie, []byte{0, 1, 2}) {
		t.Errorf("paging control = %v", ctrl)
	}
	for _, v := range []int64{0, 1, 127, 128, 255, 256, -1, -129, 1 << 31} {
		enc := appendInt(nil, tagInteger, v)
		got, err := integer(enc[2:], 0)
		if err != nil || got != v {
			t.Errorf("integer %d round trip = %d, %v", v, got, err)
		}
	}
}

func TestDecodeAllocatesNothingOnceWarm(t *testing.T) {
	b := entryBytes(2, "CN=Ann,DC=corp,DC=example", []string{"objectClass", "top", "user"}, []string{"mail", "ann@corp.example"},
		[]string{"proxyAddresses", "SMTP:ann@corp.example", "smtp:a@corp.example"})
	var m Message
	if err := m.Decode(b); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(100, func() { _ = m.Decode(b) }); n != 0 {
		t.Errorf("%.0f allocations per decode, want 0", n)
	}
}

func BenchmarkDecodeEntry(b *testing.B) {
	msg := entryBytes(2, "CN=User 000001,OU=Bench,DC=preflight,DC=test",
		[]string{"objectClass", "top", "person", "organizationalPerson", "user"},
		[]string{"mail", "user.000001@preflight.test"}, []string{"userPrincipalName", "user.000001@preflight.test"},
		[]string{"proxyAddresses", "SMTP:user.000001@preflight.test", "smtp:u000001@preflight.mail.example", "smtp:u.1@old.example", "X500:/o=Org/ou=Exchange/cn=Recipients/cn=u000001"},
		[]string{"displayName", "User 000001"}, []string{"givenName", "Given1"}, []string{"sn", "Family1"},
		[]string{"department", "Sales"}, []string{"l", "Berlin"}, []string{"userAccountControl", "512"})
	var m Message
	b.ReportAllocs()
	for range b.N {
		if err := m.Decode(msg); err != nil {
			b.Fatal(err)
		}
	}
}
