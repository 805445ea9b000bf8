package blocklist

import (
	"strings"
	"testing"
)

func TestQueryName(t *testing.T) {
	for in, want := range map[string]string{
		"203.0.113.79":         "79.113.0.203.zen.example",
		"::ffff:203.0.113.79":  "79.113.0.203.zen.example",
		"2001:db8:7ca6:22::45": "5.4.0.0.0.0.0.0.0.0.0.0.0.0.0.0.2.2.0.0.6.a.c.7.8.b.d.0.1.0.0.2.zen.example",
		"Example.COM.":         "example.com.zen.example",
		"test":                 "test.zen.example",
	} {
		got, err := QueryName(in, "Zen.Example.")
		if err != nil || got != want {
			t.Errorf("QueryName(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "a b", "http://x"} {
		if _, err := QueryName(bad, "z.example"); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestDecode(t *testing.T) {
	zen := ZoneInfo{Kind: "ip", Codes: map[string]string{"127.0.0.2": "SBL", "127.0.0.4": "XBL"}}
	dbl := ZoneInfo{Kind: "domain", Errors: map[string]string{"127.0.1.255": "IP queried"}}
	for _, tc := range []struct {
		info    ZoneInfo
		answers []string
		listed  bool
		meaning string
		zoneErr string
	}{
		{zen, []string{"127.0.0.2", "127.0.0.4"}, true, "SBL,XBL", ""},
		{zen, []string{"127.0.0.11"}, true, "listed (127.0.0.11)", ""},
		{zen, []string{"127.255.255.254"}, false, "", "public or open resolver"},
		{zen, []string{"127.255.255.1"}, false, "", "reserved error code"},
		{zen, []string{"192.0.2.1"}, false, "", "outside 127.0.0.0/8"},
		{zen, []string{"::1"}, false, "", "outside"},
		{zen, []string{"x"}, false, "", "not an IPv4"},
		{dbl, []string{"127.0.1.255"}, false, "", "IP queried"},
	} {
		v := Decode(tc.info, tc.answers)
		if v.Listed != tc.listed || strings.Join(v.Meaning, ",") != tc.meaning || (tc.zoneErr == "") != (v.ZoneError == "") || !strings.Contains(v.ZoneError, tc.zoneErr) {
			t.Errorf("Decode(%v) = %+v", tc.answers, v)
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add("127.0.0.2", "127.255.255.254")
	f.Fuzz(func(t *testing.T, a, b string) {
		v := Decode(ZoneInfo{}, []string{a, b})
		if v.Listed && v.ZoneError != "" {
			t.Fatal("listed and zone error at once")
		}
		if v.Listed && (strings.HasPrefix(a, "127.255.255.") || strings.HasPrefix(b, "127.255.255.")) {
			t.Fatalf("error code read as a listing: %v", v)
		}
		_, _ = QueryName(a, "zone.example")
	})
}
