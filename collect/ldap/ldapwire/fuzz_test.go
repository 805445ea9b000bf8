package ldapwire

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"testing"

	ber "github.com/go-asn1-ber/asn1-ber"
	goldap "github.com/go-ldap/ldap/v3"
)

func seeds(f *testing.F) {
	f.Helper()
	f.Add(entryBytes(2, "CN=Ann,DC=corp,DC=example", []string{"objectClass", "top", "user"}, []string{"member;range=0-1", "a", "b"}))
	f.Add(entryBytes(2, "", []string{"x"}))
	f.Add(doneBytes(2, 0, "", "cookie"))
	f.Add(doneBytes(2, 10, "referral", "", "ldap://a/DC=a"))
	f.Add([]byte{0x30, 0x84, 0x03, 0xc0, 0x00, 0x00, 0x02})
	f.Add([]byte{0x30, 0x80, 0x02, 0x01, 0x01, 0x00, 0x00})
}

// FuzzMessage: whatever the bytes, reading and decoding them never panics,
// never reports a value outside the input, and errors fall in the three
// classes.
func FuzzMessage(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		r := NewReader(bytes.NewReader(b))
		var m Message
		for {
			msg, err := r.Append(nil)
			if err != nil {
				if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrTooLarge) {
					t.Fatalf("reader error %v of no class", err)
				}
				return
			}
			err = m.Decode(msg)
			if err != nil {
				if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrTruncated) {
					t.Fatalf("decode error %v of no class", err)
				}
				continue
			}
			if _, _, err := Peek(msg); err != nil {
				t.Fatalf("Decode accepted what Peek refused: %v", err)
			}
			for _, a := range m.Attrs {
				for _, v := range a.Values {
					if len(v) > len(msg) {
						t.Fatal("value longer than the message")
					}
				}
			}
			if c := m.Control(PagedResultsOID); c != nil {
				_, _ = PagedCookie(c.Value)
			}
		}
	})
}

// goEntry is an entry as go-ldap decodes it.
type goEntry struct {
	id    int64
	dn    string
	attrs [][]string // name, then values
}

// goldapEntry decodes a SearchResultEntry the way go-ldap's connection
// does: go-asn1-ber's packet decoder, then the unpacking of go-ldap's
// search.go (whose type assertions panic on unexpected shapes: the
// reader goroutine recovers and drops the connection, an error here).
func goldapEntry(b []byte) (e goEntry, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("go-ldap: %v", r)
		}
	}()
	pkt, err := ber.DecodePacketErr(b)
	if err != nil {
		return e, err
	}
	e.id = pkt.Children[0].Value.(int64)
	op := pkt.Children[1]
	if op.ClassType != ber.ClassApplication || op.Tag != goldap.ApplicationSearchResultEntry {
		return e, errors.New("not an entry")
	}
	e.dn = op.Children[0].Value.(string)
	for _, child := range op.Children[1].Children {
		a := []string{child.Children[0].Value.(string)}
		for _, v := range child.Children[1].Children {
			a = append(a, string(v.ByteValue))
		}
		e.attrs = append(e.attrs, a)
	}
	return e, nil
}

// FuzzDifferential holds the decoder against go-ldap's on the same bytes:
// an entry this package accepts, go-ldap decodes to the same DN,
// attribute names and values; and every entry go-ldap decodes that is in
// the canonical encoding (what go-asn1-ber writes for that entry) with a
// message ID RFC 4511 allows (0 to 2^31-1) this package accepts. What remains are inputs go-ldap tolerates and this
// decoder refuses as malformed: wrong identifiers, indefinite or
// non-minimal lengths, trailing bytes (it never accepts more).
func FuzzDifferential(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 4096 {
			// go-asn1-ber re-encodes every child into its parent: deeply
			// nested input costs it time quadratic in its size and
			// stalls the fuzzer. An entry needs no more.
			return
		}
		var m Message
		mine := m.Decode(b)
		theirs, gerr := goldapEntry(b)
		if mine == nil && m.Op == OpSearchResultEntry {
			if gerr != nil {
				t.Fatalf("accepted an entry go-ldap refuses (%v)", gerr)
			}
			got := goEntry{id: m.ID, dn: string(m.DN)}
			for _, a := range m.Attrs {
				x := []string{string(a.Name)}
				for _, v := range a.Values {
					x = append(x, string(v))
				}
				got.attrs = append(got.attrs, x)
			}
			if got.id != theirs.id || got.dn != theirs.dn || !slices.EqualFunc(got.attrs, theirs.attrs, slices.Equal) {
				t.Fatalf("decoded %+v, go-ldap %+v", got, theirs)
			}
		}
		if gerr == nil && theirs.id >= 0 && theirs.id <= 1<<31-1 && bytes.Equal(entryBytes(theirs.id, theirs.dn, theirs.attrs...), b) && mine != nil {
			t.Fatalf("refused canonical entry go-ldap decodes as %+v: %v", theirs, mine)
		}
	})
}
