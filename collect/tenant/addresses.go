package tenant

import (
	"regexp"
	"strings"
)

// typeName matches what PowerShell writes into a CSV cell for a
// multi-valued property exported without -join: the collection's .NET
// type name instead of its values.
var typeName = regexp.MustCompile("^(System|Microsoft|Deserialized)\\.[A-Za-z0-9_.`\\[\\], ]+$")

// IsTypeName reports whether v is a .NET type name such as
// System.Collections.Generic.List`1[System.String] or
// Microsoft.Exchange.Data.ProxyAddressCollection, not a value.
func IsTypeName(v string) bool {
	v = strings.TrimSpace(v)
	return v == "System.Object[]" || (typeName.MatchString(v) && !strings.Contains(v, "@"))
}

// prefixed matches an address type prefix such as smtp:, SIP: or X500:.
var prefixed = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]{0,11}:`)

// SplitAddresses splits a joined address column on ';', ',' or white
// space. A piece that neither carries a type prefix nor holds an '@' is
// part of the previous address (an X500 address's spaces), not an
// address of its own.
func SplitAddresses(v string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(v, func(r rune) bool { return r == ';' || r == ',' }) {
		for _, f := range strings.Fields(part) {
			if len(out) > 0 && !prefixed.MatchString(f) && !strings.Contains(f, "@") && !strings.HasPrefix(f, "{") {
				if prev := out[len(out)-1]; strings.HasPrefix(strings.ToLower(prev), "x500:") || strings.HasPrefix(strings.ToLower(prev), "x400:") {
					out[len(out)-1] = prev + " " + f
					continue
				}
			}
			out = append(out, f)
		}
	}
	return out
}

// SplitList splits a joined list column (holds, licences, delegates) on
// ';' or ','; white space is kept inside values.
func SplitList(v string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == ';' || r == ',' }) {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// Domain returns the lower-case domain of an address (with or without a
// type prefix), "" when it has none.
func Domain(addr string) string {
	_, d, ok := strings.Cut(Bare(addr), "@")
	if !ok {
		return ""
	}
	return strings.ToLower(d)
}

// Bare returns the address without its smtp:/SIP: prefix.
func Bare(addr string) string {
	if loc := prefixed.FindStringIndex(addr); loc != nil {
		return addr[loc[1]:]
	}
	return addr
}
