package clip

import (
	"strings"
	"testing"
)

func TestQuoteNeutralisesControls(t *testing.T) {
	for _, in := range []string{
		"\x1b]0;owned\x07title",
		"line1\nline2\r\n",
		"bidi \u202egnp.exe",
		"c1 \u009b31m",
		"bad \xff\xfe bytes",
		"isolate \u2066x\u2069",
	} {
		for name, got := range map[string]string{"Quote": Quote(in), "Text": Text(in), "Line": Line(in), "Bytes": Bytes([]byte(in))} {
			for _, r := range got {
				if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || isBidi(r) || r == 0xfffd {
					t.Errorf("%s(%q) = %q: holds raw %U", name, in, got, r)
				}
			}
		}
	}
}

func TestQuoteClips(t *testing.T) {
	in := strings.Repeat("é", 50<<10)
	got := Quote(in)
	if len(got) > 3*Limit+40 {
		t.Fatalf("Quote of %d bytes is %d bytes long", len(in), len(got))
	}
	if !strings.HasSuffix(got, "... (102400 bytes)") {
		t.Errorf("Quote does not say the length: %q", got[len(got)-40:])
	}
	if b := Bytes([]byte(in)); b != got {
		t.Errorf("Bytes = %q, want %q", b[len(b)-40:], got[len(got)-40:])
	}
	if l := Line(strings.Repeat("x\n", 1<<20)); strings.Contains(l, "\n") || len(l) > 2*MessageLimit+40 {
		t.Errorf("Line of 2 MB of lines: %d bytes, newline kept: %v", len(l), strings.Contains(l, "\n"))
	}
}

func TestQuoteKeepsOrdinaryText(t *testing.T) {
	for _, in := range []string{"Müller, Jürgen", "日本語の名前", "plain ascii"} {
		if got := Text(in); got != in {
			t.Errorf("Text(%q) = %q", in, got)
		}
		if got := Quote(in); got != `"`+in+`"` {
			t.Errorf("Quote(%q) = %s", in, got)
		}
	}
}

func FuzzLine(f *testing.F) {
	f.Add("\x1b[31mred\x07")
	f.Add("a\u202eb")
	f.Fuzz(func(t *testing.T, s string) {
		for _, got := range []string{Line(s), Quote(s), Text(s)} {
			for _, r := range got {
				if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || isBidi(r) {
					t.Fatalf("raw %U in %q", r, got)
				}
			}
		}
	})
}
