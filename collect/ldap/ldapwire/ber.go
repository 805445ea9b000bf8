// Package ldapwire reads LDAP messages (RFC 4511) off a stream as raw
// bytes and decodes the responses of a search in place: SearchResultEntry,
// SearchResultReference, SearchResultDone and the other LDAPResult
// responses (bind, extended), with their controls. Decoded values are
// sub-slices of the message bytes, and a Message reuses its slices from
// one Decode to the next, so decoding a stream of entries allocates
// nothing once the slices have grown to the largest entry.
//
// The decoder is strict about every length: an element must fit inside
// its parent, a message inside the MaxMessage cap, and nothing is
// allocated on the strength of a length the peer announced before the
// bytes arrived. Only the definite-length, single-byte-tag BER that LDAP
// prescribes is accepted.
//
// It also encodes the few requests a paged search needs (bind, search
// with the paged-results control).
package ldapwire

import (
	"errors"
	"fmt"
)

// MaxMessage caps the size of one LDAP message (64 MiB): far above any
// page entry Active Directory sends (a group of 5,000 members is under
// 1 MiB), far below what would exhaust the scanning machine.
const MaxMessage = 64 << 20

// Error classes. Every decoding error wraps exactly one of them.
var (
	// ErrTruncated: the bytes end before an element announced by its
	// length does.
	ErrTruncated = errors.New("truncated message")
	// ErrMalformed: the bytes are not the BER encoding of a valid LDAP
	// message of the expected shape.
	ErrMalformed = errors.New("malformed message")
	// ErrTooLarge: a message announces more than MaxMessage bytes.
	ErrTooLarge = errors.New("message too large")
)

// BER identifiers (class, constructed bit and tag number in one byte)
// used by LDAP.
const (
	tagBoolean     = 0x01
	tagInteger     = 0x02
	tagOctetString = 0x04
	tagEnumerated  = 0x0a
	tagSequence    = 0x30
	tagSet         = 0x31
	tagReferral    = 0xa3 // [3] in an LDAPResult
	tagControls    = 0xa0 // [0] in an LDAPMessage
)

// Application tags of the protocol operations (RFC 4511 4.2 onwards).
const (
	OpBindRequest           = 0
	OpBindResponse          = 1
	OpSearchRequest         = 3
	OpSearchResultEntry     = 4
	OpSearchResultDone      = 5
	OpSearchResultReference = 19
	OpExtendedResponse      = 24
)

// malformed returns an ErrMalformed error saying what was wrong where.
func malformed(what string, off int) error {
	return fmt.Errorf("%w: %s at byte %d", ErrMalformed, what, off)
}

// header reads the identifier and length of the element starting at b[i]
// and returns its identifier and the bounds of its content. The content
// must end within end.
func header(b []byte, i, end int) (tag byte, start, stop int, err error) {
	if i+2 > end {
		return 0, 0, 0, fmt.Errorf("%w: element header at byte %d", ErrTruncated, i)
	}
	tag = b[i]
	if tag&0x1f == 0x1f {
		return 0, 0, 0, malformed("multi-byte tag", i)
	}
	l := int(b[i+1])
	p := i + 2
	if l >= 0x80 {
		n := l & 0x7f
		switch {
		case n == 0:
			return 0, 0, 0, malformed("indefinite length", i)
		case n > 4:
			return 0, 0, 0, malformed("length of more than 4 bytes", i)
		case p+n > end:
			return 0, 0, 0, fmt.Errorf("%w: length at byte %d", ErrTruncated, i)
		}
		l = 0
		for _, c := range b[p : p+n] {
			l = l<<8 | int(c)
		}
		p += n
	}
	if l > end-p {
		return 0, 0, 0, fmt.Errorf("%w: element at byte %d announces %d bytes, %d remain", ErrTruncated, i, l, end-p)
	}
	return tag, p, p + l, nil
}

// expect reads the element at b[i] and checks its identifier.
func expect(b []byte, i, end int, want byte, what string) (start, stop int, err error) {
	tag, start, stop, err := header(b, i, end)
	if err != nil {
		return 0, 0, err
	}
	if tag != want {
		return 0, 0, malformed(fmt.Sprintf("%s: identifier 0x%02x, want 0x%02x", what, tag, want), i)
	}
	return start, stop, nil
}

// integer decodes a two's-complement INTEGER or ENUMERATED content of 1
// to 8 bytes.
func integer(c []byte, off int) (int64, error) {
	if len(c) == 0 || len(c) > 8 {
		return 0, malformed(fmt.Sprintf("integer of %d bytes", len(c)), off)
	}
	v := int64(int8(c[0]))
	for _, x := range c[1:] {
		v = v<<8 | int64(x)
	}
	return v, nil
}
