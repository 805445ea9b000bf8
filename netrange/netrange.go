// Package netrange holds the address-range arithmetic shared by the
// network collector and the checks: reading a CIDR or bare address, and
// the parts of a required range that an allow-list leaves uncovered. It
// is pure: no sockets, no collector code.
package netrange

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/preflight-scan/preflight/internal/clip"
)

// ParsePrefix reads a CIDR or a bare address (a /32 or /128); host bits
// must be zero.
func ParsePrefix(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, "/") {
		a, err := netip.ParseAddr(s)
		if err != nil || a.Zone() != "" {
			return netip.Prefix{}, fmt.Errorf("%s is not an address or CIDR", clip.Quote(s))
		}
		a = a.Unmap()
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("%s is not a CIDR", clip.Quote(s))
	}
	if p.Masked() != p {
		return netip.Prefix{}, fmt.Errorf("%s has host bits set (did you mean %s?)", clip.Quote(s), p.Masked())
	}
	return p, nil
}

// Uncovered returns the parts of req that no prefix of allow covers, as
// the smallest set of CIDRs (each block is maximal: its sibling is at
// least partly covered).
func Uncovered(req netip.Prefix, allow []netip.Prefix) []netip.Prefix {
	req = req.Masked()
	var rel []netip.Prefix
	for _, a := range allow {
		if a.Addr().Is4() == req.Addr().Is4() && a.Overlaps(req) {
			if a.Bits() <= req.Bits() {
				return nil
			}
			rel = append(rel, a)
		}
	}
	if len(rel) == 0 {
		return []netip.Prefix{req}
	}
	lo, hi := halves(req)
	return append(Uncovered(lo, rel), Uncovered(hi, rel)...)
}

// halves splits p into its two children (p is not a host prefix, since an
// allow prefix overlapping it is longer).
func halves(p netip.Prefix) (netip.Prefix, netip.Prefix) {
	bits := p.Bits() + 1
	lo := netip.PrefixFrom(p.Addr(), bits)
	b := p.Addr().AsSlice()
	i := (bits - 1) / 8
	b[i] |= 0x80 >> ((bits - 1) % 8)
	a, _ := netip.AddrFromSlice(b)
	return lo, netip.PrefixFrom(a, bits)
}
