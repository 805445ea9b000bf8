package mailbox

import (
	"errors"
	"testing"
)

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{
		"1.234 GB (1,325,421,312 bytes)":                 1325421312,
		"1,234 GB (1.325.421.312 Bytes)":                 1325421312,
		"0 B (0 bytes)":                                  0,
		"12,5 Go (13 421 772 800 octets)":                13421772800,
		"12,5 Go (13\u00a0421\u00a0772\u00a0800 octets)": 13421772800,
		"12,5 Go (13\u202f421\u202f772\u202f800 octets)": 13421772800,
		"1'234 GB (1'325'421'312 Bytes)":                 1325421312,
		"25 GB (26,843,545,600 bytes)":                   26843545600,
		"999 B (999 bytes)":                              999,
		"1325421312":                                     1325421312,
		"1,325,421,312":                                  1325421312,
		" 53687091201 ":                                  53687091201,
		"4,2 ГБ (4 509 715 660 байт)":                    4509715660,
	} {
		got, err := ParseSize(in)
		if err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "1.5 GB", "1.5", "12,34", "1,2345", "abc", "1 GB (bytes)", "1 GB (12 34 bytes)", "1 GB (1,000", "(1,000)", "-5", "99999999999999999999", "B", "1.5B", "12 KB", "1.2MB"} {
		if got, err := ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q) = %d, want an error", in, got)
		}
	}
	if _, err := ParseSize("Unlimited"); !errors.Is(err, ErrUnlimited) {
		t.Errorf("Unlimited: %v", err)
	}
}

func TestParseCount(t *testing.T) {
	for in, want := range map[string]int64{"20000": 20000, "20,000": 20000, "20.000": 20000, "20 000": 20000, "0": 0} {
		if got, err := ParseCount(in); err != nil || got != want {
			t.Errorf("ParseCount(%q) = %d, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "2,00", "x", "1.5"} {
		if _, err := ParseCount(in); err == nil {
			t.Errorf("ParseCount(%q): want an error", in)
		}
	}
}

func FuzzParseSize(f *testing.F) {
	for _, s := range []string{"1.234 GB (1,325,421,312 bytes)", "1,234 GB (1.325.421.312 Bytes)", "0 B (0 bytes)", "12", "1 2", "(", ")(", "1 GB (1'000 B)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseSize(s)
		if err == nil && n < 0 {
			t.Fatalf("ParseSize(%q) = %d: negative", s, n)
		}
	})
}
