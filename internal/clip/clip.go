// Package clip makes untrusted text safe to print in a message: to a
// terminal, a log line or a report. Input echoed in an error is clipped
// (a 50 MB CSV header is not printed whole) and every control character,
// escape sequence and bidirectional override is shown escaped (\x1b,
// \u202e) rather than sent raw, so a hostile file can neither retitle the
// terminal nor turn one error into thousands of lines.
//
// Every reader quotes the input it echoes with Quote; the command line
// passes every message it prints through Line, so the guarantee holds even
// for a message no reader shaped.
package clip

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limit is how many characters of an input value a message echoes.
const Limit = 200

// MessageLimit is how many characters of a whole message are printed.
const MessageLimit = 2000

// Quote returns s double-quoted for a message, clipped to Limit
// characters (the clipped length is said) and with every control
// character, invalid byte and bidirectional control escaped.
func Quote(s string) string {
	return quote(s, len(s))
}

// Bytes is Quote for a byte slice; only its head is copied.
func Bytes(b []byte) string {
	const head = 4*Limit + 4 // enough bytes for Limit runes
	if len(b) > head {
		return quote(string(b[:head]), len(b))
	}
	return quote(string(b), len(b))
}

// quote quotes the head of an input of total bytes.
func quote(s string, total int) string {
	head, cut := clipRunes(s, Limit)
	// strconv.Quote escapes what is not printable; the bidirectional
	// controls are escaped as well, whatever IsPrint says of them.
	q := escapeBidi(strconv.Quote(head))
	if cut || total > len(s) {
		return q + fmt.Sprintf("... (%d bytes)", total)
	}
	return q
}

// Text returns s without quotes, clipped to Limit characters and with
// control characters, invalid bytes and bidirectional controls escaped.
func Text(s string) string {
	return text(s, Limit)
}

// Line returns a whole message as one printable line: newlines, tabs,
// escape sequences and other controls escaped, at most MessageLimit
// characters.
func Line(s string) string {
	return text(s, MessageLimit)
}

func text(s string, limit int) string {
	if safe(s) && utf8.RuneCountInString(s) <= limit {
		return s
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(s); {
		if n >= limit {
			fmt.Fprintf(&b, "... (%d bytes)", len(s))
			break
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unsafeRune(r):
			q := strconv.QuoteRuneToASCII(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
		i += size
		n++
	}
	return b.String()
}

// safe reports whether s has nothing to escape.
func safe(s string) bool {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || unsafeRune(r) {
			return false
		}
		i += size
	}
	return true
}

// unsafeRune reports whether r must not reach a terminal raw: C0 and C1
// controls, DEL, bidirectional controls, and any other rune that is not
// printable (format characters, unassigned, private use, separators
// other than the space).
func unsafeRune(r rune) bool {
	if r == ' ' {
		return false
	}
	return isBidi(r) || !unicode.IsPrint(r)
}

// isBidi reports the bidirectional marks, embeddings, overrides and
// isolates (Trojan Source).
func isBidi(r rune) bool {
	switch {
	case r == 0x061C, r == 0x200E, r == 0x200F:
		return true
	case r >= 0x202A && r <= 0x202E:
		return true
	case r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// escapeBidi escapes bidirectional controls strconv.Quote left raw.
func escapeBidi(q string) string {
	if !strings.ContainsFunc(q, isBidi) {
		return q
	}
	var b strings.Builder
	for _, r := range q {
		if isBidi(r) {
			fmt.Fprintf(&b, `\u%04x`, r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// clipRunes returns the first n runes of s and whether s was longer.
func clipRunes(s string, n int) (string, bool) {
	i := 0
	for k := 0; k < n; k++ {
		if i >= len(s) {
			return s, false
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	if i >= len(s) {
		return s, false
	}
	return s[:i], true
}

// SecretRef returns how a message may name the value of a flag that
// names a secret (--bind-password-env VAR): the name itself when it looks
// like an environment variable name ([A-Za-z_][A-Za-z0-9_]*, at most 64
// characters), otherwise a placeholder, since a user who typed the
// password itself in its place must not find it echoed to a terminal or
// a log.
func SecretRef(name string) string {
	if looksLikeVarName(name) {
		return name
	}
	return "(the value given, not shown: it does not look like a variable name; is it the secret itself?)"
}

func looksLikeVarName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_', r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z':
		case r >= '0' && r <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}
