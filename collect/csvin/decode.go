package csvin

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/transform"
)

// ErrOddUTF16 is returned when a UTF-16 file ends in the middle of a code
// unit: the file was cut off.
var ErrOddUTF16 = errors.New("UTF-16 file ends with half a character (is the file truncated?)")

// Decode returns a reader giving r's text as UTF-8. It looks at the byte
// order mark: UTF-8's is dropped; UTF-16LE and UTF-16BE (Windows
// PowerShell's "Unicode" and "BigEndianUnicode", and what its ">" writes)
// are transcoded as they stream. Without a mark, text that starts with an
// ASCII character followed by a zero byte is taken as UTF-16LE; anything
// else is passed through as UTF-8 (unchecked: a Table checks it).
func Decode(r io.Reader) io.Reader {
	d := decode(r, Encoding{})
	return d.r
}

// decoded is a stream as UTF-8 and what it was read as.
type decoded struct {
	r io.Reader
	// as names what the file was read as, for the source's notes:
	// "utf-16le (byte-order mark)", "windows-1252 (--csv-encoding)".
	as string
	// check is set when the text is passed through and must be checked
	// for invalid UTF-8.
	check bool
	// note, when set, says why the encoding given was not used.
	note string
}

// sniff is how much of a file without a byte-order mark is looked at to
// tell UTF-8 from the legacy encoding given.
const sniff = 64 << 10

// decode returns r's text as UTF-8. A byte-order mark wins over enc (it
// is certain; enc is for files without one). Without a mark, enc decodes
// the stream; but a file whose first 64 KiB hold non-ASCII text that is
// valid UTF-8 is read as UTF-8 (a UTF-8 file read as windows-1252 would
// turn Jörg into JÃ¶rg), and says so in a note. Without a mark or enc,
// text starting with an ASCII character and a zero byte is UTF-16LE, else
// UTF-8, checked by the Table.
func decode(r io.Reader, enc Encoding) decoded {
	br := bufio.NewReaderSize(r, sniff)
	b, _ := br.Peek(4)
	switch {
	case len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF:
		_, _ = br.Discard(3)
		return decoded{r: br, as: "utf-8 (byte-order mark)", check: true}
	case len(b) >= 2 && b[0] == 0xFF && b[1] == 0xFE:
		_, _ = br.Discard(2)
		return decoded{r: &utf16Reader{r: br, le: true}, as: "utf-16le (byte-order mark)"}
	case len(b) >= 2 && b[0] == 0xFE && b[1] == 0xFF:
		_, _ = br.Discard(2)
		return decoded{r: &utf16Reader{r: br}, as: "utf-16be (byte-order mark)"}
	}
	if !enc.UTF8() {
		if !strings.HasPrefix(enc.name, "utf-16") {
			head, _ := br.Peek(sniff)
			if looksUTF8(head) {
				return decoded{r: br, as: "utf-8", check: true,
					note: fmt.Sprintf("read as UTF-8, not %s: its first bytes are UTF-8 text", enc.name)}
			}
		}
		return decoded{r: transform.NewReader(br, enc.enc.NewDecoder()), as: enc.name + " (--csv-encoding)"}
	}
	if len(b) >= 4 && b[0] != 0 && b[0] < 0x80 && b[1] == 0 && b[2] != 0 && b[3] == 0 {
		return decoded{r: &utf16Reader{r: br, le: true}, as: "utf-16le (no byte-order mark)"}
	}
	return decoded{r: br, as: "utf-8", check: true}
}

// looksUTF8 reports whether b holds non-ASCII bytes and is valid UTF-8,
// but for a character cut at its end.
func looksUTF8(b []byte) bool {
	ascii := true
	for _, c := range b {
		if c >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return false
	}
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				b = b[:i]
			}
			break
		}
	}
	return utf8.Valid(b)
}

// utf16Reader transcodes a UTF-16 stream to UTF-8. Unpaired surrogates
// become U+FFFD.
type utf16Reader struct {
	r   *bufio.Reader
	le  bool
	out []byte // pending UTF-8 bytes
	hi  rune   // pending high surrogate, 0 if none
	err error
}

func (u *utf16Reader) unit() (rune, error) {
	var b [2]byte
	n, err := io.ReadFull(u.r, b[:])
	if err != nil {
		if n == 1 || errors.Is(err, io.ErrUnexpectedEOF) {
			return 0, ErrOddUTF16
		}
		return 0, err
	}
	if u.le {
		return rune(b[0]) | rune(b[1])<<8, nil
	}
	return rune(b[1]) | rune(b[0])<<8, nil
}

func (u *utf16Reader) emit(r rune) {
	u.out = utf8.AppendRune(u.out, r)
}

// Read implements io.Reader.
func (u *utf16Reader) Read(p []byte) (int, error) {
	for len(u.out) < len(p) && u.err == nil {
		c, err := u.unit()
		if err != nil {
			if u.hi != 0 {
				u.emit(utf8.RuneError)
				u.hi = 0
			}
			u.err = err
			break
		}
		switch {
		case utf16.IsSurrogate(c) && c < 0xDC00: // high surrogate
			if u.hi != 0 {
				u.emit(utf8.RuneError)
			}
			u.hi = c
		case utf16.IsSurrogate(c): // low surrogate
			if u.hi == 0 {
				u.emit(utf8.RuneError)
			} else {
				u.emit(utf16.DecodeRune(u.hi, c))
				u.hi = 0
			}
		default:
			if u.hi != 0 {
				u.emit(utf8.RuneError)
				u.hi = 0
			}
			u.emit(c)
		}
	}
	n := copy(p, u.out)
	u.out = u.out[:copy(u.out, u.out[n:])]
	if n == 0 && u.err != nil {
		return 0, u.err
	}
	return n, nil
}
