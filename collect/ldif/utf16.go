package ldif

import (
	"io"
	"unicode/utf16"
	"unicode/utf8"
)

// utf16Reader transcodes UTF-16 text (its byte-order mark already read) to
// UTF-8. ldifde -u writes UTF-16 little-endian.
type utf16Reader struct {
	r         io.Reader
	bigEndian bool
	in        [16 << 10]byte
	nin       int    // bytes in in not yet decoded (at most 3: an odd byte or a lone high surrogate)
	out       []byte // decoded text not yet returned
	err       error
}

// Read implements io.Reader.
func (u *utf16Reader) Read(p []byte) (int, error) {
	for len(u.out) == 0 {
		if u.err != nil {
			if u.nin > 0 {
				// A truncated code unit or a lone high surrogate at the end.
				u.out = utf8.AppendRune(u.out, utf8.RuneError)
				u.nin = 0
				break
			}
			return 0, u.err
		}
		n, err := u.r.Read(u.in[u.nin:])
		u.nin += n
		u.err = err
		u.decode(err != nil)
	}
	n := copy(p, u.out)
	u.out = u.out[n:]
	return n, nil
}

// decode converts the complete code units of in to UTF-8, keeping an odd
// trailing byte and a trailing high surrogate for the next read.
func (u *utf16Reader) decode(final bool) {
	b := u.in[:u.nin]
	out := u.out[:0]
	i := 0
	for ; i+2 <= len(b); i += 2 {
		c := u.unit(b[i:])
		if utf16.IsSurrogate(rune(c)) && c < 0xdc00 {
			if i+4 > len(b) {
				if !final {
					break
				}
				out = utf8.AppendRune(out, utf8.RuneError)
				continue
			}
			c2 := u.unit(b[i+2:])
			if r := utf16.DecodeRune(rune(c), rune(c2)); r != utf8.RuneError {
				out = utf8.AppendRune(out, r)
				i += 2
				continue
			}
			out = utf8.AppendRune(out, utf8.RuneError)
			continue
		}
		if utf16.IsSurrogate(rune(c)) {
			out = utf8.AppendRune(out, utf8.RuneError)
			continue
		}
		out = utf8.AppendRune(out, rune(c))
	}
	u.nin = copy(u.in[:], b[i:])
	u.out = out
}

func (u *utf16Reader) unit(b []byte) uint16 {
	if u.bigEndian {
		return uint16(b[0])<<8 | uint16(b[1])
	}
	return uint16(b[1])<<8 | uint16(b[0])
}
