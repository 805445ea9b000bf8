package dnsbl

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/preflight-scan/preflight/blocklist"
	"github.com/preflight-scan/preflight/resolver"
	"github.com/preflight-scan/preflight/snapshot"
)

type fakeRes map[string]resolver.Answer

func (f fakeRes) Lookup(_ context.Context, name, _ string) resolver.Answer {
	if a, ok := f[name]; ok {
		return a
	}
	if f["*"].Outcome != "" {
		return f["*"]
	}
	return resolver.Answer{Outcome: snapshot.LookupNXDomain}
}

func collect(t *testing.T, c *Collector) (snapshot.Source, []snapshot.BlocklistResult) {
	t.Helper()
	var out []snapshot.BlocklistResult
	src, err := c.Collect(context.Background(), snapshot.SinkFunc(func(r *snapshot.Record) error {
		out = append(out, *r.Blocklist)
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Zone+out[i].Subject < out[j].Zone+out[j].Subject })
	return src, out
}

func TestCollect(t *testing.T) {
	res := fakeRes{
		"2.0.0.127.bl.test":  {Outcome: snapshot.LookupFound, Records: []string{"127.0.0.2"}},
		"10.2.0.192.bl.test": {Outcome: snapshot.LookupFound, Records: []string{"127.0.0.4"}},
		"test.dbl.test":      {Outcome: snapshot.LookupFound, Records: []string{"127.0.1.2"}},
	}
	c := &Collector{Resolver: res, Zones: []Zone{{"bl.test", "ip"}, {"dbl.test", "domain"}},
		Table: map[string]blocklist.ZoneInfo{"bl.test": {Kind: "ip", Codes: map[string]string{"127.0.0.4": "XBL"}}},
		Subjects: func() []Subject {
			return []Subject{{"192.0.2.10", "ip", "MX a"}, {"192.0.2.10", "ip", "MX b"}, {"example.com", "domain", "mail domain"}}
		}}
	src, recs := collect(t, c)
	if src.Status != snapshot.StatusOK || src.Objects != 6 || len(recs) != 6 {
		t.Fatalf("src %+v, %d records", src, len(recs))
	}
	var got []string
	for _, r := range recs {
		got = append(got, r.Zone+" "+r.Subject+" "+r.Outcome+" "+strings.Join(r.Meaning, ","))
	}
	want := "bl.test 127.0.0.1 nxdomain |bl.test 127.0.0.2 found listed (127.0.0.2)|bl.test 192.0.2.10 found XBL|dbl.test example.com nxdomain |dbl.test invalid nxdomain |dbl.test test found listed (127.0.1.2)"
	if strings.Join(got, "|") != want {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "|"), want)
	}
	if recs[2].Reason != "MX a; MX b" || !recs[1].SelfTest || recs[2].SelfTest {
		t.Errorf("reasons/self-test flags wrong: %+v", recs)
	}

	// Nothing answered: the source failed.
	dead := &Collector{Resolver: fakeRes{"*": {Outcome: snapshot.LookupTimeout, Err: "no answer"}}, Zones: []Zone{{"bl.test", "ip"}}}
	src, _ = collect(t, dead)
	if src.Status != snapshot.StatusError || !strings.Contains(src.Error, "timeout") {
		t.Errorf("dead resolver: %+v", src)
	}
}

func TestDedupe(t *testing.T) {
	var in []Subject
	for _, d := range []string{"a", "b", "c", "d", "e", "a"} {
		in = append(in, Subject{Value: "192.0.2.1", Kind: "ip", Reason: "MX of " + d})
	}
	in = append(in, Subject{Value: "192.0.2.1", Kind: "domain", Reason: "x"})
	out := dedupe(in)
	if len(out) != 2 || out[1].Reason != "MX of a; MX of b; MX of c; and 2 more" {
		t.Errorf("%+v", out)
	}
}
