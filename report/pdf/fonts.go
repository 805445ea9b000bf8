package pdf

// The embedded DejaVu Sans faces, and what the report does with the
// characters they have no glyph for.

import (
	_ "embed"
	"fmt"
	"strings"
)

const family = "dejavu"

//go:embed fonts/DejaVuSans.ttf
var fontRegular []byte

//go:embed fonts/DejaVuSans-Bold.ttf
var fontBold []byte

// clean replaces characters the embedded font has no glyph for with
// their code points (U+4E2D), so that nothing is silently dropped, and
// remembers that it did so for the note in the report.
func (w *writer) clean(s string) string {
	ok := true
	for _, r := range s {
		if !w.cov[r] && r != '\n' {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n' || w.cov[r]:
			b.WriteRune(r)
		case r == '\t':
			b.WriteString(" ")
		case r < 0x20 || (r >= 0x7f && r < 0xa0) || r == 0xfffd:
			b.WriteString("?")
			w.replaced = true
		default:
			fmt.Fprintf(&b, "‹U+%04X›", r)
			w.replaced = true
		}
	}
	return b.String()
}

// fontNote explains, once and after the first place it happened, that
// characters the font lacks were written as code points.
func (w *writer) fontNote() {
	if !w.replaced || w.noted {
		return
	}
	w.noted = true
	w.p.Ln(2)
	w.need(12)
	w.para("Some names contain characters the embedded font cannot show (for example Chinese, Japanese or Korean ideographs); they are written as Unicode code points such as ‹U+4E2D›. findings.csv and report.json have every name exactly.", 8.5, colMuted)
}

func (w *writer) font(style string, size float64) { w.p.SetFont(family, style, size) }
