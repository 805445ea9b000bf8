package ldif

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/preflight-scan/preflight/internal/golden"
	"github.com/preflight-scan/preflight/snapshot"
)

// collect runs the collector over text and returns its source and the
// records it emitted, as JSON.
func collect(t *testing.T, name string, text []byte) (snapshot.Source, []json.RawMessage, error) {
	t.Helper()
	var recs []json.RawMessage
	sink := snapshot.SinkFunc(func(r *snapshot.Record) error {
		b, err := json.Marshal(r)
		if err != nil {
			return err
		}
		recs = append(recs, b)
		return nil
	})
	c := NewCollector(name, func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(text)), nil
	}, nil)
	src, err := c.Collect(context.Background(), sink)
	src.DurationMS = 0
	return src, recs, err
}

func TestGolden(t *testing.T) {
	for _, file := range []string{"ldapsearch.ldif", "ldifde.ldf", "ldifde-unicode.ldf"} {
		t.Run(file, func(t *testing.T) {
			text, err := os.ReadFile(filepath.Join("testdata", file))
			if err != nil {
				t.Fatal(err)
			}
			src, recs, err := collect(t, file, text)
			if err != nil {
				t.Fatalf("collect: %v", err)
			}
			got, err := json.MarshalIndent(struct {
				Source  snapshot.Source   `json:"source"`
				Records []json.RawMessage `json:"records"`
			}{src, recs}, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden.Check(t, filepath.Join("testdata", strings.TrimSuffix(file, filepath.Ext(file))+".golden.json"), got)
		})
	}
}

// TestUnicodeExportMatchesANSI checks that an ldifde -u export (UTF-16)
// gives the same records as the same export in UTF-8.
func TestUnicodeExportMatchesANSI(t *testing.T) {
	a, _ := os.ReadFile("testdata/ldifde.ldf")
	u, _ := os.ReadFile("testdata/ldifde-unicode.ldf")
	_, ra, err := collect(t, "a", a)
	if err != nil {
		t.Fatal(err)
	}
	_, ru, err := collect(t, "u", u)
	if err != nil {
		t.Fatal(err)
	}
	if len(ra) != 3 || len(ra) != len(ru) {
		t.Fatalf("got %d and %d records, want 3 each", len(ra), len(ru))
	}
	for i := range ra {
		if !bytes.Equal(ra[i], ru[i]) {
			t.Errorf("record %d differs:\n%s\n%s", i, ra[i], ru[i])
		}
	}
}

func TestValues(t *testing.T) {
	text := "version: 1\n\n# a comment\n#  folded comment\n continues here\ndn:: Q0490JjQstCw0L0sREM9Y29ycCxEQz1leGFtcGxlLERDPWNvbQ==\n" +
		"objectClass: user\nobjectGUID:: AAECAwQFBgcICQoLDA0ODw==\ndescription:\ndisplayName: Zo\n ë Ängström\nmember;range=0-1: CN=a\nmember;range=0-1: CN=b\n" +
		"sn:  two leading spaces are FILL\n"
	_, recs, err := collect(t, "x.ldif", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 {
		t.Fatalf("got %d records, want 1", len(recs))
	}
	var r snapshot.Record
	if err := json.Unmarshal(recs[0], &r); err != nil {
		t.Fatal(err)
	}
	o := r.Dir
	if o.DN != "CN=Иван,DC=corp,DC=example,DC=com" {
		t.Errorf("dn = %q", o.DN)
	}
	if o.Domain != "corp.example.com" {
		t.Errorf("domain = %q", o.Domain)
	}
	if g := o.First("objectguid"); g != "03020100-0504-0706-0809-0a0b0c0d0e0f" {
		t.Errorf("objectGUID = %q", g)
	}
	if d := o.First("displayname"); d != "Zoë Ängström" {
		t.Errorf("displayName = %q (folded line not joined?)", d)
	}
	if m := o.Attrs["member"]; len(m) != 2 {
		t.Errorf("member = %q, want the two ranged values merged", m)
	}
	if s := o.First("sn"); s != "two leading spaces are FILL" {
		t.Errorf("sn = %q", s)
	}
}

func TestErrorsNameTheLine(t *testing.T) {
	for _, tc := range []struct {
		name, text, want string
	}{
		{"no colon", "dn: CN=a,DC=x\nobjectClass user\n", "x.ldif:2: attribute line without a colon"},
		{"bad base64", "dn: CN=a,DC=x\nobjectClass: user\n\ndn: CN=b,DC=x\nuserPrincipalName:: not*base64\n", `x.ldif:5: bad base64 in "userPrincipalName::"`},
		{"no dn", "dn: CN=a,DC=x\n\nobjectClass: user\n", "x.ldif:3: entry does not start with dn:"},
		{"continuation first", " folded\ndn: CN=a,DC=x\n", "x.ldif:1: continuation line"},
		{"url value", "dn: CN=a,DC=x\njpegPhoto:< file:///tmp/a.jpg\n", "x.ldif:2: jpegPhoto:< file:///tmp/a.jpg: values read from a URL are not supported"},
		{"modify", "dn: CN=a,DC=x\nchangetype: modify\nreplace: mail\n", "x.ldif:2: changetype: modify: this is a change file"},
		{"version", "version: 2\n\ndn: CN=a\n", `x.ldif:1: unsupported LDIF version "2"`},
		{"two dns", "dn: CN=a,DC=x\ndn: CN=b,DC=x\n", "x.ldif:2: second dn: line"},
		{"latin1", "dn: CN=a,DC=x\nsn: N\xfa\xf1ez\n", "x.ldif:2: value of sn is not valid UTF-8"},
		{"bad dn base64 utf8", "dn:: /w==\n", "x.ldif:1: dn:: decodes to text that is not UTF-8"},
		{"empty", "", "x.ldif: no directory entries"},
		{"comments only", "version: 1\n\n# search result\nsearch: 2\nresult: 0 Success\n", "x.ldif: no directory entries"},
		{"bare CR", "dn: CN=a,DC=x\robjectClass: user\r\r", "x.ldif:1: carriage return inside a line"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := collect(t, "x.ldif", []byte(tc.text))
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			if !errors.Is(err, snapshot.ErrBadInput) {
				t.Errorf("error %v does not wrap ErrBadInput", err)
			}
			if !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error = %q, want prefix %q", err, tc.want)
			}
		})
	}
}

func TestIncompleteExport(t *testing.T) {
	text := "dn: CN=a,DC=x\nobjectClass: user\n\n# search result\nsearch: 2\nresult: 4 Size limit exceeded\n\n# numEntries: 1\n"
	src, recs, err := collect(t, "x.ldif", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || src.Status != snapshot.StatusError || !strings.Contains(src.Error, "4 Size limit exceeded") {
		t.Errorf("source = %+v, want status error naming the result", src)
	}
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c := NewCollector("x.ldif", func() (io.ReadCloser, error) {
		return io.NopCloser(strings.NewReader("dn: CN=a,DC=x\n")), nil
	}, nil)
	src, err := c.Collect(ctx, snapshot.SinkFunc(func(*snapshot.Record) error { return nil }))
	if err != nil || src.Status != snapshot.StatusError || src.Error != "interrupted after 0 objects" || !slices.Contains(src.Areas, snapshot.AreaClients) {
		t.Errorf("got %+v, %v; want status error, interrupted", src, err)
	}
}

// TestClientsAreaNeedsComputers checks that an export without computer
// objects does not claim to cover the operating systems.
func TestClientsAreaNeedsComputers(t *testing.T) {
	src, _, err := collect(t, "x.ldif", []byte("dn: CN=a,DC=x\nobjectClass: user\n"))
	if err != nil || slices.Contains(src.Areas, snapshot.AreaClients) {
		t.Errorf("users only: areas %v, %v; want no clients area", src.Areas, err)
	}
	src, _, err = collect(t, "x.ldif", []byte("dn: CN=pc,DC=x\nobjectClass: computer\noperatingSystem: Windows 11 Pro\n"))
	if err != nil || !slices.Contains(src.Areas, snapshot.AreaClients) {
		t.Errorf("with a computer: areas %v, %v; want the clients area", src.Areas, err)
	}
}

func TestOpenFailureIsSourceError(t *testing.T) {
	c := NewCollector("gone.ldif", func() (io.ReadCloser, error) { return nil, os.ErrPermission }, nil)
	src, err := c.Collect(context.Background(), snapshot.SinkFunc(func(*snapshot.Record) error { return nil }))
	if err != nil || src.Status != snapshot.StatusError {
		t.Errorf("got %+v, %v; want status error and no error", src, err)
	}
}

func TestLongFoldedLine(t *testing.T) {
	var b strings.Builder
	b.WriteString("dn: CN=big,DC=x\nobjectClass: group\nmember: ")
	val := strings.Repeat("x", 3<<20)
	for i := 0; i < len(val); i += 75 {
		if i > 0 {
			b.WriteString("\n ")
		}
		b.WriteString(val[i:min(i+75, len(val))])
	}
	b.WriteString("\n")
	r := NewReader(strings.NewReader(b.String()), "x")
	e, err := r.Next()
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Attrs) != 2 || string(e.Attrs[1].Value) != val {
		t.Errorf("long folded value not read back intact")
	}
	if _, err := r.Next(); !errors.Is(err, io.EOF) {
		t.Errorf("Next after last = %v, want io.EOF", err)
	}
}

// TestEncodingsGiveSameRecords checks that a UTF-8 byte-order mark, CRLF
// line endings and gzip compression do not change what is read.
func TestEncodingsGiveSameRecords(t *testing.T) {
	plain, err := os.ReadFile("testdata/ldapsearch.ldif")
	if err != nil {
		t.Fatal(err)
	}
	_, want, err := collect(t, "a", plain)
	if err != nil {
		t.Fatal(err)
	}
	gz := gzipped(t, plain)
	for name, text := range map[string][]byte{
		"bom":             append([]byte("\xef\xbb\xbf"), plain...),
		"crlf":            bytes.ReplaceAll(plain, []byte("\n"), []byte("\r\n")),
		"gzip":            gz,
		"utf16-be":        utf16BE(string(plain)),
		"utf16-le-no-bom": utf16LE(string(plain)),
	} {
		t.Run(name, func(t *testing.T) {
			_, got, err := collect(t, "b", text)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Fatalf("%d records, want %d", len(got), len(want))
			}
			for i := range got {
				if !bytes.Equal(got[i], want[i]) {
					t.Errorf("record %d differs:\n%s\n%s", i, got[i], want[i])
				}
			}
		})
	}
}

func utf16BE(s string) []byte {
	out := []byte{0xfe, 0xff}
	for _, u := range utf16.Encode([]rune(s)) {
		out = append(out, byte(u>>8), byte(u))
	}
	return out
}

func utf16LE(s string) []byte {
	var out []byte
	for _, u := range utf16.Encode([]rune(s)) {
		out = append(out, byte(u), byte(u>>8))
	}
	return out
}

// gzipped returns data compressed with gzip.
func gzipped(t *testing.T, data []byte) []byte {
	t.Helper()
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return gz.Bytes()
}

func TestTruncatedGzipIsBadInput(t *testing.T) {
	plain, err := os.ReadFile("testdata/ldapsearch.ldif")
	if err != nil {
		t.Fatal(err)
	}
	gz := gzipped(t, plain)
	_, _, err = collect(t, "x.ldif.gz", gz[:len(gz)/2])
	if !errors.Is(err, snapshot.ErrBadInput) || !strings.Contains(err.Error(), "gzip") {
		t.Errorf("error = %v, want a bad-input error about gzip", err)
	}
}

func TestReferralsAreNoted(t *testing.T) {
	text := "dn: CN=a,DC=x\nobjectClass: user\n\n# search reference\nref: ldap://DomainDnsZones.x/DC=DomainDnsZones,DC=x\n\n# search result\nsearch: 2\nresult: 0 Success\n"
	src, recs, err := collect(t, "x.ldif", []byte(text))
	if err != nil || len(recs) != 1 || src.Status != snapshot.StatusOK || !strings.Contains(strings.Join(src.Notes, "\n"), "1 search reference(s)") {
		t.Errorf("got %+v, %d records, %v; want ok with one note about the referral", src, len(recs), err)
	}
}

// TestCancelWhileReadingAPipe checks that an interrupted scan of a pipe
// that stays open returns instead of waiting for more input.
func TestCancelWhileReadingAPipe(t *testing.T) {
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = pw.Close() }()
	go func() {
		for i := 0; i < 3000; i++ {
			if _, err := fmt.Fprintf(pw, "dn: CN=u%d,DC=x\nobjectClass: user\n\n", i); err != nil {
				return // the reader side is gone
			}
		}
		// ... and then nothing more, without closing the pipe.
	}()
	ctx, cancel := context.WithCancel(context.Background())
	c := NewCollector("pipe", func() (io.ReadCloser, error) { return pr, nil }, nil)
	done := make(chan snapshot.Source)
	go func() {
		var n int
		src, _ := c.Collect(ctx, snapshot.SinkFunc(func(*snapshot.Record) error {
			if n++; n == 2500 {
				cancel()
			}
			return nil
		}))
		done <- src
	}()
	select {
	case src := <-done:
		if src.Status != snapshot.StatusError || !strings.HasPrefix(src.Error, "interrupted after") {
			t.Errorf("source = %+v, want interrupted", src)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Collect did not return after the context was cancelled")
	}
}

// TestLargeGroup reads a group with 100,000 members in one entry.
func TestLargeGroup(t *testing.T) {
	var b strings.Builder
	b.WriteString("dn: CN=All,DC=x\nobjectClass: group\n")
	for i := 0; i < 100000; i++ {
		fmt.Fprintf(&b, "member: CN=User %d,OU=Staff,DC=x\n", i)
	}
	_, recs, err := collect(t, "g.ldif", []byte(b.String()))
	if err != nil || len(recs) != 1 {
		t.Fatalf("%v, %d records", err, len(recs))
	}
	var r snapshot.Record
	if err := json.Unmarshal(recs[0], &r); err != nil {
		t.Fatal(err)
	}
	if n := len(r.Dir.Attrs["member"]); n != 100000 {
		t.Errorf("%d members, want 100000", n)
	}
}
