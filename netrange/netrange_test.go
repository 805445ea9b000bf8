package netrange

import (
	"net/netip"
	"strings"
	"testing"
)

func TestUncovered(t *testing.T) {
	pp := func(ss ...string) []netip.Prefix {
		var out []netip.Prefix
		for _, s := range ss {
			out = append(out, netip.MustParsePrefix(s))
		}
		return out
	}
	for _, tc := range []struct {
		req   string
		allow []string
		want  string
	}{
		{"40.107.0.0/16", []string{"40.0.0.0/8"}, ""},
		{"40.107.0.0/16", []string{"40.107.0.0/16"}, ""},
		{"40.107.0.0/16", nil, "40.107.0.0/16"},
		{"40.107.0.0/16", []string{"40.107.0.0/17"}, "40.107.128.0/17"},
		{"10.0.0.0/24", []string{"10.0.0.0/26", "10.0.0.128/26"}, "10.0.0.64/26 10.0.0.192/26"},
		{"10.0.0.0/24", []string{"10.0.0.7/32"}, "10.0.0.0/30 10.0.0.4/31 10.0.0.6/32 10.0.0.8/29 10.0.0.16/28 10.0.0.32/27 10.0.0.64/26 10.0.0.128/25"},
		{"2a01:111:f400::/48", []string{"2a01:111:f400::/49"}, "2a01:111:f400:8000::/49"},
		{"2a01:111:f400::/48", []string{"40.0.0.0/8", "::/0"}, ""},
		{"192.0.2.0/24", []string{"::/0"}, "192.0.2.0/24"},
	} {
		var got []string
		for _, u := range Uncovered(netip.MustParsePrefix(tc.req), pp(tc.allow...)) {
			got = append(got, u.String())
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("Uncovered(%s, %v) = %v, want %s", tc.req, tc.allow, got, tc.want)
		}
	}
}

func FuzzUncovered(f *testing.F) {
	f.Add("10.0.0.0/24", "10.0.0.7/32", "10.0.0.128/25")
	f.Fuzz(func(t *testing.T, req, a, b string) {
		r, err1 := netip.ParsePrefix(req)
		pa, err2 := netip.ParsePrefix(a)
		pb, err3 := netip.ParsePrefix(b)
		if err1 != nil || err2 != nil || err3 != nil {
			return
		}
		r, pa, pb = r.Masked(), pa.Masked(), pb.Masked()
		un := Uncovered(r, []netip.Prefix{pa, pb})
		for _, u := range un {
			if !r.Contains(u.Addr()) || u.Bits() < r.Bits() {
				t.Fatalf("%s outside %s", u, r)
			}
			if pa.Overlaps(u) && pa.Addr().Is4() == u.Addr().Is4() || pb.Overlaps(u) && pb.Addr().Is4() == u.Addr().Is4() {
				t.Fatalf("%s overlaps an allowed prefix", u)
			}
		}
	})
}
