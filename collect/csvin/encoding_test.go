package csvin

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/preflight-scan/preflight/snapshot"
)

func names(t *testing.T, data []byte, enc string) ([]string, *Table, error) {
	t.Helper()
	e, err := LookupEncoding(enc)
	if err != nil {
		t.Fatal(err)
	}
	tb, err := OpenWith("mailboxes.csv", bytes.NewReader(data), Options{Encoding: e})
	if err != nil {
		return nil, nil, err
	}
	var out []string
	for {
		r, err := tb.Next()
		if errors.Is(err, io.EOF) {
			return out, tb, nil
		}
		if err != nil {
			return out, tb, err
		}
		out = append(out, r.Get(0))
	}
}

func encode(t *testing.T, cm *charmap.Charmap, s string) []byte {
	t.Helper()
	b, err := cm.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Windows PowerShell 5.1's Export-Csv -Encoding Default writes the ANSI
// code page: read as UTF-8 it must fail naming the file, the line and the
// flag, never turn Jörg and Jürg into the same name.
func TestWindows1252WithoutFlagFails(t *testing.T) {
	data := encode(t, charmap.Windows1252, "#TYPE Selected.Microsoft.Exchange.Management.MapiTasks.Presentation.MailboxStatistics\r\n\"DisplayName\",\"ItemCount\"\r\n\"Anna\",\"1\"\r\n\"Jörg Müller\",\"2\"\r\n\"Jürg Müller\",\"3\"\r\n")
	_, _, err := names(t, data, "")
	if !errors.Is(err, snapshot.ErrBadInput) {
		t.Fatalf("got %v, want an input error", err)
	}
	msg := err.Error()
	for _, want := range []string{"mailboxes.csv:4:", "not valid UTF-8 (byte 0xF6)", "--csv-encoding windows-1252", "-Encoding UTF8"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
	if strings.Contains(msg, "\n") || len(msg) > 400 {
		t.Errorf("message is not one short line: %q", msg)
	}
	// --lenient does not skip it: the whole file is in another encoding.
	tb, err := Open("mailboxes.csv", bytes.NewReader(data), true)
	if err != nil {
		t.Fatal(err)
	}
	for err == nil {
		_, err = tb.Next()
	}
	if !errors.Is(err, snapshot.ErrBadInput) {
		t.Errorf("lenient: got %v, want an input error", err)
	}
}

// A Russian export read as UTF-8 suggests windows-1251.
func TestWindows1251WithoutFlagSuggestsIt(t *testing.T) {
	_, _, err := names(t, encode(t, charmap.Windows1251, "Name;N\r\nИван Петров;1\r\n"), "")
	if err == nil || !strings.Contains(err.Error(), "mailboxes.csv:2:") || !strings.Contains(err.Error(), "--csv-encoding windows-1251") {
		t.Errorf("got %v, want line 2 and windows-1251", err)
	}
}

func TestDecodeWithEncoding(t *testing.T) {
	for _, tc := range []struct {
		name, enc string
		data      []byte
		want      []string
		readAs    string
	}{
		{"windows-1252", "Windows-1252", encode(t, charmap.Windows1252, "Name,N\r\nJörg Müller,1\r\nJürg Müller,2\r\nFrançois,3\r\nØyvind,4\r\n"),
			[]string{"Jörg Müller", "Jürg Müller", "François", "Øyvind"}, "windows-1252 (--csv-encoding)"},
		{"cp1252 alias", "cp1252", encode(t, charmap.Windows1252, "Name\r\nRené Weiß\r\n"), []string{"René Weiß"}, "windows-1252 (--csv-encoding)"},
		{"latin1", "latin1", encode(t, charmap.ISO8859_1, "Name\r\nJörg\r\n"), []string{"Jörg"}, "windows-1252 (--csv-encoding)"},
		{"iso-8859-15 euro", "ISO-8859-15", encode(t, charmap.ISO8859_15, "Name\r\n€ Müller\r\n"), []string{"€ Müller"}, "iso-8859-15 (--csv-encoding)"},
		{"windows-1250", "windows-1250", encode(t, charmap.Windows1250, "Name\r\nŁukasz Dvořák\r\n"), []string{"Łukasz Dvořák"}, "windows-1250 (--csv-encoding)"},
		{"windows-1251", "windows-1251", encode(t, charmap.Windows1251, "Name;N\r\nИван Петров;1\r\nЮлия Кузнецова;2\r\n"), []string{"Иван Петров", "Юлия Кузнецова"}, "windows-1251 (--csv-encoding)"},
		{"koi8-r", "KOI8-R", encode(t, charmap.KOI8R, "Name\r\nОльга\r\n"), []string{"Ольга"}, "koi8-r (--csv-encoding)"},
		{"cp850", "cp850", encode(t, charmap.CodePage850, "Name\r\nJörg\r\n"), []string{"Jörg"}, "ibm850 (--csv-encoding)"},
		{"ibm437", "IBM437", encode(t, charmap.CodePage437, "Name\r\nJörg\r\n"), []string{"Jörg"}, "ibm437 (--csv-encoding)"},
		{"utf-16le without mark", "utf-16le", utf16le("Name\r\nJörg\r\n", false), []string{"Jörg"}, "utf-16le (--csv-encoding)"},
		// A byte-order mark is certain: it wins over the flag.
		{"utf-8 mark wins", "windows-1252", []byte("\xef\xbb\xbfName\r\nJörg\r\n"), []string{"Jörg"}, "utf-8 (byte-order mark)"},
		{"utf-16 mark wins", "windows-1251", utf16le("Name\r\nJörg\r\n", true), []string{"Jörg"}, "utf-16le (byte-order mark)"},
		// A UTF-8 file without a mark (PowerShell 7) under a flag meant
		// for the other files: read as UTF-8, not as JÃ¶rg.
		{"utf-8 file under a legacy flag", "windows-1252", []byte("Name\r\nJörg\r\n"), []string{"Jörg"}, "utf-8"},
		{"ascii under a legacy flag", "windows-1252", []byte("Name\r\nJoerg\r\n"), []string{"Joerg"}, "windows-1252 (--csv-encoding)"},
		{"utf-8 flag", "UTF-8", []byte("Name\r\nJörg\r\n"), []string{"Jörg"}, "utf-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, tb, err := names(t, tc.data, tc.enc)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("names %q, want %q", got, tc.want)
			}
			if tb.ReadAs() != tc.readAs {
				t.Errorf("read as %q, want %q", tb.ReadAs(), tc.readAs)
			}
		})
	}
}

func TestUTF8UnderLegacyFlagIsNoted(t *testing.T) {
	_, tb, err := names(t, []byte("Name\r\nJörg\r\n"), "windows-1252")
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Join(tb.SourceNotes("mailboxes"), "; "); !strings.Contains(n, "read as UTF-8, not windows-1252") {
		t.Errorf("notes %q", n)
	}
}

func TestLookupEncoding(t *testing.T) {
	for _, n := range []string{"windows-1252", "WINDOWS-1252", "cp1252", "iso-8859-1", "latin1", "iso-8859-15", "windows-1250", "windows-1251", "cp850", "ibm850", "IBM437", "cp437", "koi8-r", "utf-8", "utf8", "utf-16le", "UTF-16BE", "shift_jis"} {
		if _, err := LookupEncoding(n); err != nil {
			t.Errorf("%s: %v", n, err)
		}
	}
	for _, n := range []string{"klingon", "Default", "ansi", "windows-9999"} {
		_, err := LookupEncoding(n)
		if err == nil || !strings.Contains(err.Error(), "windows-1252") {
			t.Errorf("%s: got %v, want an error listing valid names", n, err)
		}
	}
	if e, _ := LookupEncoding(""); !e.UTF8() {
		t.Error("the empty name is not UTF-8")
	}
}

// A header and no rows: the table says so, for the source's notes.
func TestHeaderOnly(t *testing.T) {
	for name, data := range map[string]string{
		"usage report":     "\ufeffReport Refresh Date,User Principal Name,Display Name\r\n",
		"type line":        "#TYPE Selected.Microsoft.Exchange.Management.MapiTasks.Presentation.MailboxStatistics\r\n\"DisplayName\",\"ItemCount\"\r\n",
		"no line end":      "DisplayName,ItemCount",
		"blank line after": "DisplayName,ItemCount\r\n\r\n",
	} {
		t.Run(name, func(t *testing.T) {
			got, tb, err := names(t, []byte(data), "")
			if err != nil || len(got) != 0 {
				t.Fatalf("rows %q, err %v", got, err)
			}
			if n := tb.EmptyNote("mailboxes"); n != "the file has a header and no rows: no mailboxes in mailboxes.csv" {
				t.Errorf("note %q", n)
			}
		})
	}
	_, tb, err := names(t, []byte("DisplayName\r\nAnna\r\n"), "")
	if err != nil || tb.EmptyNote("mailboxes") != "" {
		t.Errorf("a file with a row: note %q, err %v", tb.EmptyNote("mailboxes"), err)
	}
}
