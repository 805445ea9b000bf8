package mailbox

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/preflight-scan/preflight/internal/clip"
)

// ErrUnlimited is returned by ParseSize for "Unlimited", the value Exchange
// writes for a quota that is not set.
var ErrUnlimited = errors.New("unlimited")

// ParseSize reads a size as Exchange exports write it and returns bytes:
//
//   - ByteQuantifiedSize text in any culture: "1.234 GB (1,325,421,312
//     bytes)", "1,234 GB (1.325.421.312 Bytes)", "0 B (0 bytes)", "12,5 Go
//     (13 421 772 800 octets)"; only the exact byte count in parentheses
//     is used, never the rounded figure before it;
//   - a plain byte count, with or without digit grouping ("1325421312",
//     "1,325,421,312", "1.325.421.312", "1 325 421 312", "1'325'421'312"),
//     or with a B as Exchange 2007 writes it ("1325421312B").
//
// Grouping separators must separate groups of exactly three digits, so a
// decimal figure such as "1.5" is rejected rather than misread. An empty
// value is an error; "Unlimited" gives ErrUnlimited.
func ParseSize(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errors.New("empty size")
	}
	if strings.EqualFold(s, "unlimited") {
		return 0, ErrUnlimited
	}
	if open := strings.LastIndexByte(s, '('); open >= 0 {
		closing := strings.LastIndexByte(s, ')')
		if closing < open {
			return 0, fmt.Errorf("size %s: unbalanced parentheses", clip.Quote(s))
		}
		inner := strings.TrimSpace(s[open+1 : closing])
		// "1,325,421,312 bytes": digits, then a unit word in any language.
		num := strings.TrimRightFunc(inner, func(r rune) bool { return unicode.IsLetter(r) })
		if num == inner {
			return 0, fmt.Errorf("size %s: no unit after the byte count", clip.Quote(s))
		}
		n, err := parseGrouped(num)
		if err != nil {
			return 0, fmt.Errorf("size %s: %w", clip.Quote(s), err)
		}
		return n, nil
	}
	// Exchange 2007 writes a plain byte count with a B: "1325421312B".
	plain := strings.TrimSpace(strings.TrimSuffix(s, "B"))
	n, err := parseGrouped(plain)
	if err != nil {
		return 0, fmt.Errorf("size %s: want a byte count or Exchange size text such as \"1.2 GB (1,288,490,189 bytes)\": %w", clip.Quote(s), err)
	}
	return n, nil
}

// isGroupSep reports whether r separates digit groups in some culture.
func isGroupSep(r rune) bool {
	switch r {
	case ',', '.', ' ', '\u00a0', '\u202f', '\'', '\u2019':
		return true
	}
	return false
}

// parseGrouped parses a non-negative integer that may use one kind of
// digit-grouping separator between groups of three digits.
func parseGrouped(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errors.New("no digits")
	}
	var digits strings.Builder
	var sep rune
	group := -1 // digits since the last separator; -1 before the first
	lead := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
			if group >= 0 {
				group++
			} else {
				lead++
			}
		case isGroupSep(r):
			if sep == 0 {
				sep = r
				if lead == 0 || lead > 3 {
					return 0, fmt.Errorf("bad digit grouping in %s", clip.Quote(s))
				}
			} else if r != sep || group != 3 {
				return 0, fmt.Errorf("bad digit grouping in %s", clip.Quote(s))
			}
			group = 0
		default:
			return 0, fmt.Errorf("unexpected %q in %s", r, clip.Quote(s))
		}
	}
	if digits.Len() == 0 {
		return 0, errors.New("no digits")
	}
	if group >= 0 && group != 3 {
		return 0, fmt.Errorf("bad digit grouping in %s", clip.Quote(s))
	}
	n, err := strconv.ParseInt(digits.String(), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s out of range", clip.Quote(s))
	}
	return n, nil
}

// ParseCount reads an item count: a non-negative integer, possibly grouped
// ("20,000", "20.000", "20 000").
func ParseCount(s string) (int64, error) {
	n, err := parseGrouped(s)
	if err != nil {
		return 0, fmt.Errorf("count %s: %w", clip.Quote(strings.TrimSpace(s)), err)
	}
	return n, nil
}
