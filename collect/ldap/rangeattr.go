package ldap

import (
	"strconv"
	"strings"
)

// valueRange is the ";range=lo-hi" option of an attribute description in a
// search result (MS-ADTS 3.1.1.3.1.3.3): the server returned values lo to
// hi of a multi-valued attribute. Last is true when hi was "*", the final
// chunk.
type valueRange struct {
	Base string // attribute name without options
	Lo   int
	Hi   int // meaningless when Last
	Last bool
}

// maxRangeIndex bounds the value indexes a server may name, far above any
// real attribute (AD caps a multi-valued attribute far lower), so that
// the next request's index cannot overflow.
const maxRangeIndex = 1 << 31

// parseRange reads an attribute description such as "member;range=0-1499"
// or "member;range=1500-*". ok is false when there is no well-formed range
// option.
func parseRange(desc string) (r valueRange, ok bool) {
	parts := strings.Split(desc, ";")
	r.Base = parts[0]
	for _, opt := range parts[1:] {
		if len(opt) < 6 || !strings.EqualFold(opt[:6], "range=") {
			continue
		}
		lo, hi, found := strings.Cut(opt[6:], "-")
		if !found {
			return r, false
		}
		n, err := strconv.Atoi(lo)
		if err != nil || n < 0 || n >= maxRangeIndex {
			return r, false
		}
		r.Lo = n
		if hi == "*" {
			r.Last = true
			return r, true
		}
		m, err := strconv.Atoi(hi)
		if err != nil || m < n || m >= maxRangeIndex {
			return r, false
		}
		r.Hi = m
		return r, true
	}
	return r, false
}

// nextRangeRequest is the attribute description asking for the values
// after r: "member;range=1500-*".
func nextRangeRequest(r valueRange) string {
	return r.Base + ";range=" + strconv.Itoa(r.Hi+1) + "-*"
}
