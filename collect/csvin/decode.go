package csvin

import (
	"bufio"
	"errors"
	"io"
	"unicode/utf16"
	"unicode/utf8"
)

// ErrOddUTF16 is returned when a UTF-16 file ends in the middle of a code
// unit: the file was cut off.
var ErrOddUTF16 = errors.New("UTF-16 file ends with half a character (is the file truncated?)")

// Decode returns a reader giving r's text as UTF-8. It looks at the byte
// order mark: UTF-8's is dropped; UTF-16LE and UTF-16BE (Windows
// PowerShell's "Unicode" and "BigEndianUnicode", and what its ">" writes)
// are transcoded as they stream. Without a mark, text that starts with an
// ASCII character followed by a zero byte is taken as UTF-16LE; anything
// else is passed through as UTF-8.
func Decode(r io.Reader) io.Reader {
	br := bufio.NewReaderSize(r, 64<<10)
	b, _ := br.Peek(4)
	switch {
	case len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF:
		_, _ = br.Discard(3)
		return br
	case len(b) >= 2 && b[0] == 0xFF && b[1] == 0xFE:
		_, _ = br.Discard(2)
		return &utf16Reader{r: br, le: true}
	case len(b) >= 2 && b[0] == 0xFE && b[1] == 0xFF:
		_, _ = br.Discard(2)
		return &utf16Reader{r: br}
	case len(b) >= 4 && b[0] != 0 && b[0] < 0x80 && b[1] == 0 && b[2] != 0 && b[3] == 0:
		return &utf16Reader{r: br, le: true}
	}
	return br
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
