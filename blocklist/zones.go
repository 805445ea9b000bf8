// Package blocklist reads DNS blocklist (DNSBL and RHSBL) answers: the
// zone table's meaning of each answer code, the reserved error codes, the
// RFC 5782 query names and self-tests. It is pure: the DNS collector
// (collect/dnsbl) asks the questions, the blocklist checks judge the
// answers, and both use this package.
package blocklist

import (
	"fmt"
	"net/netip"
	"strings"
)

// ZoneInfo describes what a blocklist zone's answers mean. The table is
// rule data (the "zones" parameter of BL-001 and BL-002), not code.
type ZoneInfo struct {
	// Kind is "ip" (DNSBL) or "domain" (RHSBL).
	Kind string `json:"kind"`
	// Codes maps an answer address to its meaning ("SBL: spam source").
	Codes map[string]string `json:"codes,omitempty"`
	// Errors maps zone-specific answer addresses that are not listings
	// but query errors (Spamhaus DBL 127.0.1.255).
	Errors map[string]string `json:"errors,omitempty"`
	// Severity, when set, overrides the rule's severity for listings in
	// this zone (an aggressive list is informational).
	Severity string `json:"severity,omitempty"`
	// Note is shown with listings ("free for low volume; register the
	// resolver at ...").
	Note string `json:"note,omitempty"`
}

// ReservedErrors are the 127.255.255.0/24 codes that Spamhaus (and others
// following it) use for refused or malformed queries. The whole /24 is an
// error range, whatever the zone.
var reservedErrors = map[string]string{
	"127.255.255.252": "typing error in the DNSBL name",
	"127.255.255.254": "query refused: it came through a public or open resolver (use your own resolver, or a Spamhaus DQS key)",
	"127.255.255.255": "query refused: too many queries from this resolver",
}

var errorRange = netip.MustParsePrefix("127.255.255.0/24")
var loopback = netip.MustParsePrefix("127.0.0.0/8")

// Verdict is the reading of one answer set.
type Verdict struct {
	// Listed is true when the answers are listings.
	Listed bool
	// Meaning decodes the listing codes.
	Meaning []string
	// ZoneError is set when an answer is an error code or outside
	// 127.0.0.0/8: the zone cannot be trusted for this scan.
	ZoneError string
}

// Decode reads the A-record answers of a found lookup in zone. Any error
// answer makes the whole answer set a zone error, never a listing.
func Decode(info ZoneInfo, answers []string) Verdict {
	v := decode(info, answers)
	if v.ZoneError != "" {
		return Verdict{ZoneError: v.ZoneError}
	}
	return v
}

func decode(info ZoneInfo, answers []string) Verdict {
	var v Verdict
	for _, a := range answers {
		ip, err := netip.ParseAddr(a)
		if err != nil {
			v.ZoneError = fmt.Sprintf("answer %q is not an IPv4 address", a)
			return v
		}
		if why, ok := info.Errors[a]; ok {
			v.ZoneError = fmt.Sprintf("answer %s: %s", a, why)
			return v
		}
		if errorRange.Contains(ip) {
			why := reservedErrors[a]
			if why == "" {
				why = "reserved error code (127.255.255.0/24), not a listing"
			}
			v.ZoneError = fmt.Sprintf("answer %s: %s", a, why)
			return v
		}
		if !ip.Is4() || !loopback.Contains(ip) {
			v.ZoneError = fmt.Sprintf("answer %s is outside 127.0.0.0/8: the resolver rewrites answers or the zone is not a blocklist", a)
			return v
		}
		v.Listed = true
		if m, ok := info.Codes[a]; ok {
			v.Meaning = append(v.Meaning, m)
		} else {
			v.Meaning = append(v.Meaning, "listed ("+a+")")
		}
	}
	return v
}

// QueryName returns the name to ask (type A) for subject in zone: IPv4
// reversed octets, IPv6 reversed nibbles, a domain as is.
func QueryName(subject, zone string) (string, error) {
	zone = strings.TrimSuffix(strings.ToLower(zone), ".")
	if ip, err := netip.ParseAddr(subject); err == nil {
		ip = ip.Unmap()
		if ip.Is4() {
			b := ip.As4()
			return fmt.Sprintf("%d.%d.%d.%d.%s", b[3], b[2], b[1], b[0], zone), nil
		}
		b := ip.As16()
		var sb strings.Builder
		const hex = "0123456789abcdef"
		for i := 15; i >= 0; i-- {
			sb.WriteByte(hex[b[i]&0xf])
			sb.WriteByte('.')
			sb.WriteByte(hex[b[i]>>4])
			sb.WriteByte('.')
		}
		return sb.String() + zone, nil
	}
	d := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(subject)), ".")
	if d == "" || strings.ContainsAny(d, " /:") {
		return "", fmt.Errorf("dnsbl: %q is neither an address nor a domain", subject)
	}
	return d + "." + zone, nil
}

// SelfTests are the RFC 5782 §5 test entries of a zone kind: the subject
// and whether it must be listed.
func SelfTests(kind string) []struct {
	Subject string
	Listed  bool
} {
	if kind == "domain" {
		return []struct {
			Subject string
			Listed  bool
		}{{"test", true}, {"invalid", false}}
	}
	return []struct {
		Subject string
		Listed  bool
	}{{"127.0.0.2", true}, {"127.0.0.1", false}}
}
