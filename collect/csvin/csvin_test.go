package csvin

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/preflight-scan/preflight/snapshot"
)

func utf16le(s string, bom bool) []byte {
	var b []byte
	if bom {
		b = append(b, 0xFF, 0xFE)
	}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

func readAll(t *testing.T, data []byte, lenient bool) (*Table, [][]string, []int, error) {
	t.Helper()
	tb, err := Open("f.csv", bytes.NewReader(data), lenient)
	if err != nil {
		return nil, nil, nil, err
	}
	var rows [][]string
	var lines []int
	for {
		r, err := tb.Next()
		if errors.Is(err, io.EOF) {
			return tb, rows, lines, nil
		}
		if err != nil {
			return tb, rows, lines, err
		}
		rows = append(rows, append([]string(nil), r.Fields...))
		lines = append(lines, r.Line)
	}
}

func TestDialects(t *testing.T) {
	const want = "a|b,c|x\ny"
	for name, data := range map[string][]byte{
		"comma":            []byte("\"Name\",\"Value\",\"Extra\"\r\n\"a\",\"b,c\",\"x\ny\"\r\n"),
		"semicolon":        []byte("Name;Value;Extra\na;b,c;\"x\ny\"\n"),
		"tab":              []byte("Name\tValue\tExtra\na\tb,c\t\"x\ny\"\n"),
		"type line":        []byte("#TYPE Selected.Microsoft.Exchange.Data.Mapi.MailboxStatistics\r\n\"Name\";\"Value\";\"Extra\"\r\n\"a\";\"b,c\";\"x\ny\"\r\n"),
		"utf8 bom":         append([]byte{0xEF, 0xBB, 0xBF}, []byte("Name,Value,Extra\na,\"b,c\",\"x\ny\"\n")...),
		"utf16le bom":      utf16le("#TYPE X\r\nName;Value;Extra\r\na;b,c;\"x\ny\"\r\n", true),
		"utf16le no bom":   utf16le("Name;Value;Extra\r\na;b,c;\"x\ny\"\r\n", false),
		"header sep quote": []byte("\"Na,me\";\"Value\";\"Extra\"\na;b,c;\"x\ny\"\n"),
	} {
		t.Run(name, func(t *testing.T) {
			tb, rows, _, err := readAll(t, data, false)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 1 || strings.Join(rows[0], "|") != want {
				t.Errorf("rows %q (separator %q, header %q)", rows, tb.Separator(), tb.Header())
			}
		})
	}
	be := []byte{0xFE, 0xFF}
	for _, u := range utf16.Encode([]rune("Größe;Wert\r\n\"ü\";\"😀\"\r\n")) {
		be = append(be, byte(u>>8), byte(u))
	}
	tb, rows, _, err := readAll(t, be, false)
	if err != nil || len(rows) != 1 || rows[0][0] != "ü" || rows[0][1] != "😀" || tb.Col("größe") != 0 {
		t.Errorf("UTF-16BE: %q %v", rows, err)
	}
}

func TestColumns(t *testing.T) {
	tb, err := Open("f.csv", strings.NewReader("User Principal Name,Storage Used (Byte)\n"), false)
	if err != nil {
		t.Fatal(err)
	}
	if tb.Col("userprincipalname") != 0 || tb.Col("STORAGE USED (BYTE)") != 1 || tb.Col("nope") != -1 {
		t.Error("case- and space-insensitive lookup failed")
	}
	_, err = tb.Require("ItemCount", "Item Count")
	var ie *snapshot.InputError
	if !errors.As(err, &ie) || ie.File != "f.csv" || !strings.Contains(ie.Column, "ItemCount") || !strings.Contains(ie.Msg, "User Principal Name, Storage Used (Byte)") {
		t.Errorf("Require: %v", err)
	}
}

func TestLines(t *testing.T) {
	data := "#TYPE X\nA,B\n1,2\n\n\"3\n3\",4\n5,6\n"
	_, _, lines, err := readAll(t, []byte(data), false)
	if err != nil || len(lines) != 3 || lines[0] != 3 || lines[1] != 5 || lines[2] != 7 {
		t.Errorf("lines %v, err %v", lines, err)
	}
}

func TestLenientSkipsMalformedRows(t *testing.T) {
	data := []byte("A,B\n1,2\n3\n4,5,6\n7,8\n")
	if _, _, _, err := readAll(t, data, false); !errors.Is(err, snapshot.ErrBadInput) {
		t.Fatalf("strict: err = %v, want an input error", err)
	}
	tb, rows, lines, err := readAll(t, data, true)
	if err != nil {
		t.Fatalf("lenient: %v", err)
	}
	if len(rows) != 2 || rows[0][0] != "1" || rows[1][0] != "7" || lines[1] != 5 {
		t.Errorf("lenient rows %v at lines %v, want 1,2 and 7,8 at lines 2 and 5", rows, lines)
	}
	if tb.Skipped() != 2 {
		t.Errorf("Skipped = %d, want 2", tb.Skipped())
	}
}

func TestTruncatedUTF16(t *testing.T) {
	data := utf16le("A;B\r\n1;2\r\n3;4", true)
	data = data[:len(data)-1] // cut in the middle of the last character
	_, _, _, err := readAll(t, data, false)
	var ie *snapshot.InputError
	if !errors.As(err, &ie) || !strings.Contains(ie.Error(), "truncated") || ie.Line != 3 {
		t.Errorf("err = %v", err)
	}
}

func TestEmpty(t *testing.T) {
	for _, data := range []string{"", "#TYPE X\n", "\ufeff"} {
		if _, err := Open("f.csv", strings.NewReader(data), false); !errors.Is(err, snapshot.ErrBadInput) {
			t.Errorf("%q: err = %v", data, err)
		}
	}
	_, rows, _, err := readAll(t, []byte("A,B"), false)
	if err != nil || len(rows) != 0 {
		t.Errorf("header only: %v %v", rows, err)
	}
}

// fuzzEncodings are the encodings FuzzTable reads its input in.
var fuzzEncodings = []string{"", "windows-1252", "windows-1251", "ibm850", "koi8-r", "utf-16le", "utf-16be", "shift_jis"}

func FuzzTable(f *testing.F) {
	for _, s := range []string{
		"#TYPE X\r\n\"A\";\"B\"\r\n\"1\";\"2\"\r\n",
		"A,B\n1,\"2\n3\"\n4\n",
		"A\tB\n\"unterminated\n",
		string(utf16le("A;B\r\n1;2\r\n", true)),
		"\xfe\xff\x00A\x00,\x00B",
		"Name,Size\r\nJ\xf6rg,1\r\nJ\xfcrg,2\r\n",
		"\xef\xbb\xbfName;Size\r\nJ\xc3\xb6rg;1\r\n",
		"Name,Size\r\n\"\xc8\xe2\xe0\xed\",1\r\n\"x\n\xff\",2\r\n",
		"Name\r\n\xe9\xc3",
	} {
		for e := range fuzzEncodings {
			f.Add([]byte(s), false, uint8(e))
		}
		f.Add([]byte(s), true, uint8(0))
	}
	f.Fuzz(func(t *testing.T, data []byte, lenient bool, e uint8) {
		enc, err := LookupEncoding(fuzzEncodings[int(e)%len(fuzzEncodings)])
		if err != nil {
			t.Fatal(err)
		}
		tb, err := OpenWith("fuzz.csv", bytes.NewReader(data), Options{Lenient: lenient, Encoding: enc})
		if err != nil {
			if !errors.Is(err, snapshot.ErrBadInput) {
				t.Fatalf("Open: error %v does not wrap ErrBadInput", err)
			}
			return
		}
		for _, h := range tb.Header() {
			if !utf8.ValidString(h) {
				t.Fatalf("header %q is not UTF-8", h)
			}
		}
		prev := 0
		for i := 0; ; i++ {
			r, err := tb.Next()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				if !errors.Is(err, snapshot.ErrBadInput) {
					t.Fatalf("Next: error %v does not wrap ErrBadInput", err)
				}
				return
			}
			if len(r.Fields) != len(tb.Header()) || r.Line <= prev {
				t.Fatalf("row %d: %d fields for %d columns, line %d after %d", i, len(r.Fields), len(tb.Header()), r.Line, prev)
			}
			for _, v := range r.Fields {
				if !utf8.ValidString(v) {
					t.Fatalf("row %d: field %q is not UTF-8 (read as %s)", i, v, tb.ReadAs())
				}
			}
			prev = r.Line
		}
	})
}
