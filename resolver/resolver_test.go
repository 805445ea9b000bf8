package resolver

import (
	"context"
	"net"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/preflight-scan/preflight/snapshot"
)

// serve runs an in-process DNS server on loopback UDP and TCP (same port)
// with handler h and returns its address.
func serve(t *testing.T, h dns.HandlerFunc) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := pc.LocalAddr().String()
	l, err := net.Listen("tcp", addr)
	if err != nil {
		_ = pc.Close()
		t.Skipf("tcp port %s taken: %v", addr, err)
	}
	us := &dns.Server{PacketConn: pc, Handler: h}
	ts := &dns.Server{Listener: l, Handler: h}
	go func() { _ = us.ActivateAndServe() }()
	go func() { _ = ts.ActivateAndServe() }()
	t.Cleanup(func() { _ = us.Shutdown(); _ = ts.Shutdown() })
	time.Sleep(20 * time.Millisecond)
	return addr
}

func TestOutcomes(t *testing.T) {
	srv := serve(t, func(w dns.ResponseWriter, r *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(r)
		m.Authoritative = true
		q := r.Question[0]
		switch {
		case strings.HasPrefix(q.Name, "found."):
			rr, _ := dns.NewRR(q.Name + " 600 IN TXT \"v=spf1 \" \"-all\"")
			rr2, _ := dns.NewRR(q.Name + " 300 IN TXT \"other\"")
			m.Answer = append(m.Answer, rr, rr2)
		case strings.HasPrefix(q.Name, "nodata."):
		case strings.HasPrefix(q.Name, "nx."):
			m.Rcode = dns.RcodeNameError
		case strings.HasPrefix(q.Name, "fail."):
			m.Rcode = dns.RcodeServerFailure
		case strings.HasPrefix(q.Name, "refused."):
			m.Rcode = dns.RcodeRefused
		case strings.HasPrefix(q.Name, "notimp."):
			m.Rcode = dns.RcodeNotImplemented
		case strings.HasPrefix(q.Name, "alias."):
			rr, _ := dns.NewRR(q.Name + " 600 IN CNAME target.example.")
			rr2, _ := dns.NewRR("target.example. 60 IN A 192.0.2.1")
			m.Answer = append(m.Answer, rr, rr2)
		}
		_ = w.WriteMsg(m)
	})
	c, err := New(Config{Servers: []string{srv}, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, tc := range []struct {
		name, qtype, outcome string
		records              []string
		ttl                  uint32
	}{
		{"found.example", "TXT", snapshot.LookupFound, []string{"other", "v=spf1 -all"}, 300},
		{"nodata.example", "TXT", snapshot.LookupNoData, nil, 0},
		{"nx.example", "MX", snapshot.LookupNXDomain, nil, 0},
		{"fail.example", "MX", snapshot.LookupServFail, nil, 0},
		{"refused.example", "MX", snapshot.LookupRefused, nil, 0},
		{"notimp.example", "MX", snapshot.LookupError, nil, 0},
		{"alias.example", "A", snapshot.LookupFound, []string{"192.0.2.1"}, 60},
	} {
		a := c.Lookup(ctx, tc.name, tc.qtype)
		if a.Outcome != tc.outcome || strings.Join(a.Records, "|") != strings.Join(tc.records, "|") || a.TTL != tc.ttl {
			t.Errorf("%s %s: got %s %q ttl %d (%s), want %s %q ttl %d", tc.name, tc.qtype, a.Outcome, a.Records, a.TTL, a.Err, tc.outcome, tc.records, tc.ttl)
		}
		if a.Failed() != IsFailure(tc.outcome) {
			t.Errorf("%s: Failed() = %v", tc.name, a.Failed())
		}
	}
	if a := c.Lookup(ctx, "bad name..example", "A"); a.Outcome != snapshot.LookupError {
		t.Errorf("bad name: %s", a.Outcome)
	}
}

func TestTCPFallbackOnTruncation(t *testing.T) {
	var tcp atomic.Int32
	srv := serve(t, func(w dns.ResponseWriter, r *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(r)
		if _, isTCP := w.RemoteAddr().(*net.TCPAddr); !isTCP {
			m.Truncated = true
		} else {
			tcp.Add(1)
			rr, _ := dns.NewRR(r.Question[0].Name + " 60 IN TXT \"big\"")
			m.Answer = append(m.Answer, rr)
		}
		_ = w.WriteMsg(m)
	})
	c, _ := New(Config{Servers: []string{srv}, Timeout: time.Second})
	a := c.Lookup(context.Background(), "big.example", "TXT")
	if a.Outcome != snapshot.LookupFound || tcp.Load() != 1 || len(a.Records) != 1 {
		t.Fatalf("got %s %v (%s), tcp queries %d", a.Outcome, a.Records, a.Err, tcp.Load())
	}
	if c.Queries() != 2 {
		t.Errorf("queries = %d, want 2 (udp + tcp)", c.Queries())
	}
}

func silent(t *testing.T) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pc.Close() })
	go func() {
		b := make([]byte, 512)
		for {
			if _, _, err := pc.ReadFrom(b); err != nil {
				return
			}
		}
	}()
	return pc.LocalAddr().String()
}

func TestTimeoutRetryAndFailover(t *testing.T) {
	dead := silent(t)
	var hits atomic.Int32
	good := serve(t, func(w dns.ResponseWriter, r *dns.Msg) {
		hits.Add(1)
		m := new(dns.Msg)
		m.SetReply(r)
		rr, _ := dns.NewRR(r.Question[0].Name + " 60 IN MX 10 mx.example.")
		m.Answer = append(m.Answer, rr)
		_ = w.WriteMsg(m)
	})
	c, _ := New(Config{Servers: []string{dead}, Timeout: 100 * time.Millisecond, Retries: 2})
	start := time.Now()
	a := c.Lookup(context.Background(), "example.com", "MX")
	if a.Outcome != snapshot.LookupTimeout {
		t.Fatalf("silent server: %s, want timeout", a.Outcome)
	}
	if c.Queries() != 3 || time.Since(start) < 250*time.Millisecond {
		t.Errorf("retries: %d queries in %s, want 3 tries", c.Queries(), time.Since(start))
	}
	c2, _ := New(Config{Servers: []string{dead, good}, Timeout: 100 * time.Millisecond})
	a = c2.Lookup(context.Background(), "example.com", "MX")
	if a.Outcome != snapshot.LookupFound || a.Server != good || a.Records[0] != "10 mx.example" {
		t.Fatalf("failover: %+v", a)
	}
	// The overall deadline is a timeout too.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if a := c2.Lookup(ctx, "example.com", "MX"); a.Outcome != snapshot.LookupTimeout {
		t.Errorf("cancelled context: %s", a.Outcome)
	}
}

func TestCacheAsksOnce(t *testing.T) {
	var hits atomic.Int32
	srv := serve(t, func(w dns.ResponseWriter, r *dns.Msg) {
		hits.Add(1)
		m := new(dns.Msg)
		m.SetReply(r)
		_ = w.WriteMsg(m)
	})
	c, _ := New(Config{Servers: []string{srv}})
	cc := NewCache(c)
	done := make(chan bool)
	for i := 0; i < 10; i++ {
		go func() { cc.Lookup(context.Background(), "Spf.Example.", "txt"); done <- true }()
	}
	for i := 0; i < 10; i++ {
		<-done
	}
	if hits.Load() != 1 {
		t.Errorf("server asked %d times, want 1", hits.Load())
	}
}

func TestServersAndResolvConf(t *testing.T) {
	for in, want := range map[string]string{"192.0.2.1": "192.0.2.1:53", "192.0.2.1:5353": "192.0.2.1:5353", "::1": "[::1]:53", "[::1]:54": "[::1]:54"} {
		if got, err := NormalizeServer(in); err != nil || got != want {
			t.Errorf("NormalizeServer(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "1.2.3.4:0", "1.2.3.4:x", ":53"} {
		if _, err := NormalizeServer(bad); err == nil {
			t.Errorf("NormalizeServer(%q) accepted", bad)
		}
	}
	if _, err := New(Config{}); err == nil {
		t.Error("New with no server accepted")
	}
	dir := t.TempDir()
	p := dir + "/resolv.conf"
	if err := writeFile(p, "# test\nnameserver 127.0.0.53\nnameserver ::1\noptions edns0\n"); err != nil {
		t.Fatal(err)
	}
	s, err := SystemServers(p)
	if err != nil || strings.Join(s, ",") != "127.0.0.53:53,[::1]:53" {
		t.Errorf("SystemServers = %v, %v", s, err)
	}
	if _, err := SystemServers(dir + "/missing"); err == nil {
		t.Error("missing resolv.conf accepted")
	}
}

func writeFile(p, s string) error { return os.WriteFile(p, []byte(s), 0o600) }
