package ldapwire

import (
	"bufio"
	"errors"
	"fmt"
	"io"
)

// growStep bounds how far a buffer grows ahead of the bytes that have
// actually arrived: a peer announcing a 60 MiB message and sending ten
// bytes costs 256 KiB, not 60 MiB.
const growStep = 256 << 10

// Reader reads whole LDAP messages from a stream.
type Reader struct {
	r   *bufio.Reader
	max int
}

// NewReader reads messages of at most MaxMessage bytes from r.
func NewReader(r io.Reader) *Reader {
	return &Reader{r: bufio.NewReaderSize(r, 64<<10), max: MaxMessage}
}

// Append reads the next message and appends its bytes, header included,
// to dst. It returns the extended slice. At the end of the stream before
// a message starts it returns io.EOF; within a message,
// io.ErrUnexpectedEOF; a message over the cap, ErrTooLarge; a header that
// is not an LDAPMessage's, ErrMalformed.
func (r *Reader) Append(dst []byte) ([]byte, error) {
	var hdr [6]byte
	c, err := r.r.ReadByte()
	if err != nil {
		return dst, err
	}
	if c != tagSequence {
		return dst, fmt.Errorf("%w: message identifier 0x%02x, want 0x30", ErrMalformed, c)
	}
	hdr[0] = c
	l, err := r.r.ReadByte()
	if err != nil {
		return dst, unexpected(err)
	}
	hdr[1] = l
	n := 2
	length := int(l)
	if l >= 0x80 {
		k := int(l & 0x7f)
		if k == 0 || k > 4 {
			return dst, fmt.Errorf("%w: message length form 0x%02x", ErrMalformed, l)
		}
		if _, err := io.ReadFull(r.r, hdr[2:2+k]); err != nil {
			return dst, unexpected(err)
		}
		length = 0
		for _, b := range hdr[2 : 2+k] {
			length = length<<8 | int(b)
		}
		n += k
	}
	if length > r.max {
		return dst, fmt.Errorf("%w: %d bytes announced, the cap is %d", ErrTooLarge, length, r.max)
	}
	dst = append(dst, hdr[:n]...)
	for length > 0 {
		step := min(length, growStep)
		at := len(dst)
		dst = grow(dst, step)
		if _, err := io.ReadFull(r.r, dst[at:at+step]); err != nil {
			return dst[:at], unexpected(err)
		}
		length -= step
	}
	return dst, nil
}

// grow extends b by n bytes, reallocating (doubling) only when needed.
func grow(b []byte, n int) []byte {
	if cap(b)-len(b) < n {
		nb := make([]byte, len(b), max(2*cap(b), len(b)+n))
		copy(nb, b)
		b = nb
	}
	return b[:len(b)+n]
}

func unexpected(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}
