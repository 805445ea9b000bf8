// Package dnsname validates mail domain names, once and the same way for
// every origin: the --domain flag, the configuration and the domains found
// in the directory. It is pure (no network, no collector code), so the
// command line, the snapshot tally and the checks share it.
package dnsname

import (
	"fmt"
	"strings"
)

// MaxLength is the longest domain name in presentation form without the
// final dot (RFC 1035 §2.3.4: 255 octets on the wire).
const MaxLength = 253

// Normalize lower-cases name and drops one final dot.
func Normalize(name string) string {
	return strings.ToLower(strings.TrimSuffix(strings.TrimSpace(name), "."))
}

// Check reports why name (normalized) is not a valid host name for mail:
// at most 253 characters, labels of 1 to 63 letters, digits and hyphens
// (RFC 952/1123 LDH, international names in their xn-- form), no label
// starting or ending with a hyphen, and a top-level label that is not all
// digits. It returns nil for a valid name.
func Check(name string) error {
	if name == "" {
		return fmt.Errorf("empty domain name")
	}
	if len(name) > MaxLength {
		return fmt.Errorf("%d characters, above the limit of %d", len(name), MaxLength)
	}
	labels := strings.Split(name, ".")
	for i, l := range labels {
		if l == "" {
			return fmt.Errorf("empty label (a leading dot or two dots in a row)")
		}
		if len(l) > 63 {
			return fmt.Errorf("label %d is %d characters, above the limit of 63", i+1, len(l))
		}
		for j := 0; j < len(l); j++ {
			c := l[j]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				if c >= 0x80 {
					return fmt.Errorf("label %q is not ASCII: give international names in their xn-- form", clip(l))
				}
				return fmt.Errorf("label %q has %q: only letters, digits and hyphens are allowed", clip(l), rune(c))
			}
		}
		if l[0] == '-' || l[len(l)-1] == '-' {
			return fmt.Errorf("label %q starts or ends with a hyphen", clip(l))
		}
	}
	if len(labels) < 2 {
		return fmt.Errorf("no top-level domain (a mail domain has at least two labels)")
	}
	tld := labels[len(labels)-1]
	if strings.Trim(tld, "0123456789") == "" {
		return fmt.Errorf("the top-level label %q is all digits", tld)
	}
	return nil
}

func clip(s string) string {
	if len(s) > 24 {
		return s[:24] + "…"
	}
	return s
}
