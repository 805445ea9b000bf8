package csvin

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/unicode"
)

// Encoding is how a CSV file without a byte-order mark is decoded. The
// zero value is UTF-8, in which an invalid byte is an input error naming
// the file and line: nothing is silently turned into U+FFFD.
type Encoding struct {
	name string
	enc  encoding.Encoding // nil: UTF-8
}

// SomeEncodings are a few of the names LookupEncoding accepts, for
// messages and documentation.
const SomeEncodings = "utf-8, windows-1252, iso-8859-1, iso-8859-15, windows-1250, windows-1251, ibm850, ibm437, koi8-r, utf-16le, utf-16be"

// LookupEncoding returns the encoding a name from the WHATWG or IANA
// registry names ("windows-1252", "latin1", "cp850", "IBM437", "koi8-r",
// "utf-16le"), case-insensitively. An unknown name is an error listing a
// few valid ones.
func LookupEncoding(name string) (Encoding, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	if n == "" {
		return Encoding{}, nil
	}
	enc, err := htmlindex.Get(n)
	canon := ""
	if err == nil {
		canon, _ = htmlindex.Name(enc)
	} else {
		enc, err = ianaindex.IANA.Encoding(n)
		if err == nil && enc != nil {
			canon, _ = ianaindex.IANA.Name(enc)
		}
	}
	if err != nil || enc == nil {
		return Encoding{}, fmt.Errorf("unknown CSV encoding %q: give a name such as %s", clipName(name), SomeEncodings)
	}
	if enc == unicode.UTF8 || enc == encoding.Nop {
		return Encoding{}, nil
	}
	if canon == "" {
		canon = n
	}
	return Encoding{name: strings.ToLower(canon), enc: enc}, nil
}

// Name is the encoding's registry name ("utf-8" for the zero value).
func (e Encoding) Name() string {
	if e.enc == nil {
		return "utf-8"
	}
	return e.name
}

// UTF8 reports whether e is (strict) UTF-8.
func (e Encoding) UTF8() bool { return e.enc == nil }

func clipName(s string) string {
	const most = 40
	if len(s) > most {
		s = s[:most] + "…"
	}
	return strings.ToValidUTF8(s, "?")
}

// invalidUTF8 returns the first byte of the first invalid UTF-8 sequence
// in s and whether there is one.
func invalidUTF8(s string) (byte, bool) {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 {
			return s[i], true
		}
		i += n
	}
	return 0, false
}

// notUTF8 words the input error of a text that is not UTF-8: b is the
// first bad byte of field s. A field mostly of bytes above 0xBF is
// Cyrillic in windows-1251 rather than Western text with a few accents.
func notUTF8(b byte, s string) string {
	hi, ascii := 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 0xC0:
			hi++
		case c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z':
			ascii++
		}
	}
	guess := "windows-1252 (Western Europe; windows-1250 Central Europe, windows-1251 Cyrillic)"
	if hi > ascii {
		guess = "windows-1251 (Cyrillic; windows-1252 Western Europe, windows-1250 Central Europe)"
	}
	return fmt.Sprintf("not valid UTF-8 (byte 0x%02X): if the export was written by Windows PowerShell 5.1 with -Encoding Default, "+
		"pass --csv-encoding %s, or export again with -Encoding UTF8", b, guess)
}
