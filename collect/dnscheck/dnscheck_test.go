package dnscheck

import (
	"context"
	"strings"
	"testing"

	"github.com/preflight-scan/preflight/resolver"
	"github.com/preflight-scan/preflight/snapshot"
)

type fakeRes map[string]resolver.Answer

func (f fakeRes) Lookup(_ context.Context, name, qtype string) resolver.Answer {
	if a, ok := f[name+"/"+qtype]; ok {
		return a
	}
	if a, ok := f["*"]; ok {
		return a
	}
	return resolver.Answer{Outcome: snapshot.LookupNXDomain}
}

func TestCollect(t *testing.T) {
	res := fakeRes{
		"example.com/MX":         {Outcome: snapshot.LookupFound, Records: []string{"10 mx.example.com"}, TTL: 3600},
		"mx.example.com/A":       {Outcome: snapshot.LookupFound, Records: []string{"192.0.2.1"}},
		"mx.example.com/AAAA":    {Outcome: snapshot.LookupFound, Records: []string{"2001:db8::1"}},
		"example.com/TXT":        {Outcome: snapshot.LookupFound, Records: []string{"v=spf1 include:spf.example.net mx -all"}},
		"spf.example.net/TXT":    {Outcome: snapshot.LookupFound, Records: []string{"v=spf1 -all"}},
		"_dmarc.example.com/TXT": {Outcome: snapshot.LookupServFail, Err: "SERVFAIL"},
	}
	c := &Collector{Resolver: res, Domains: []Domain{{Name: "Example.COM.", SeenIn: []string{"UPN suffix"}}}}
	var recs []snapshot.DNSResult
	src, err := c.Collect(context.Background(), snapshot.SinkFunc(func(r *snapshot.Record) error { recs = append(recs, *r.DNS); return nil }))
	if err != nil || src.Status != snapshot.StatusOK {
		t.Fatalf("%+v %v", src, err)
	}
	seen := map[string]snapshot.DNSResult{}
	for _, r := range recs {
		if r.Domain != "example.com" {
			t.Errorf("record domain %q", r.Domain)
		}
		if _, dup := seen[r.Name+"/"+r.Type]; dup {
			t.Errorf("asked twice: %s %s", r.Name, r.Type)
		}
		seen[r.Name+"/"+r.Type] = r
	}
	// MX, A, AAAA, TXT, include TXT, (mx of the SPF = the MX, asked once), 7 fixed questions.
	if len(recs) != 5+len(Questions()) {
		t.Errorf("%d records: %v", len(recs), seen)
	}
	if mx := seen["example.com/MX"]; strings.Join(mx.SeenIn, ",") != "UPN suffix" || mx.TTL != 3600 {
		t.Errorf("MX record %+v", mx)
	}
	if seen["_dmarc.example.com/TXT"].Outcome != snapshot.LookupServFail {
		t.Error("failure not recorded")
	}
	if !strings.Contains(strings.Join(src.Notes, "\n"), "example.com MX: 10 mx.example.com (TTL 3600 s)") {
		t.Errorf("notes %v", src.Notes)
	}
	if s := c.Subjects(); len(s) != 2 || s[0].Reason != "MX mx.example.com of example.com" {
		t.Errorf("subjects %+v", s)
	}

	dead := &Collector{Resolver: fakeRes{"*": {Outcome: snapshot.LookupRefused, Err: "REFUSED"}}, Domains: []Domain{{Name: "example.com"}}}
	src, _ = dead.Collect(context.Background(), snapshot.SinkFunc(func(*snapshot.Record) error { return nil }))
	if src.Status != snapshot.StatusError || !strings.Contains(src.Error, "refused") {
		t.Errorf("dead: %+v", src)
	}
}

func TestAuthoritativeMX(t *testing.T) {
	rec := fakeRes{
		"example.com/MX":      {Outcome: snapshot.LookupFound, Records: []string{"10 mx.example.com"}, TTL: 120, Server: "192.0.2.53:53"},
		"example.com/NS":      {Outcome: snapshot.LookupFound, Records: []string{"ns1.example.com", "ns2.example.com"}},
		"ns1.example.com/A":   {Outcome: snapshot.LookupFound, Records: []string{"192.0.2.1"}},
		"example.net/MX":      {Outcome: snapshot.LookupFound, Records: []string{"10 mx.example.net"}, TTL: 120},
		"example.net/NS":      {Outcome: snapshot.LookupFound, Records: []string{"ns.example.net"}},
		"ns.example.net/A":    {Outcome: snapshot.LookupNXDomain},
		"ns.example.net/AAAA": {Outcome: snapshot.LookupNXDomain},
	}
	var asked []string
	c := &Collector{Resolver: rec, Domains: []Domain{{Name: "example.com"}, {Name: "example.net"}, {Name: "sub.example.org"}}, Concurrency: 1,
		Direct: func(srv string) resolver.Resolver {
			asked = append(asked, srv)
			return fakeRes{"example.com/MX": {Outcome: snapshot.LookupFound, Records: []string{"10 mx.example.com"}, TTL: 3600}}
		}}
	rec["sub.example.org/MX"] = resolver.Answer{Outcome: snapshot.LookupFound, Records: []string{"10 mx.example.org"}}
	var auth []snapshot.DNSResult
	_, err := c.Collect(context.Background(), snapshot.SinkFunc(func(r *snapshot.Record) error {
		if r.DNS.Authoritative {
			auth = append(auth, *r.DNS)
		}
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(asked, ",") != "192.0.2.1:53" {
		t.Errorf("asked %v", asked)
	}
	// example.com: the configured TTL; example.net: name server address
	// unknown (an error record); sub.example.org: no NS of its own.
	if len(auth) != 2 || auth[0].Domain != "example.com" || auth[0].TTL != 3600 || auth[0].Type != "MX" ||
		auth[1].Domain != "example.net" || auth[1].Outcome != snapshot.LookupError || len(auth[0].SeenIn) != 0 {
		t.Errorf("authoritative records %+v", auth)
	}
}
