// Package dnscheck collects the DNS records that matter to a move to
// Microsoft 365, per mail domain: MX (and the addresses of the MX hosts),
// the apex TXT records (SPF and the MS= verification record) with every
// lookup the SPF policy makes, DMARC, autodiscover (CNAME and SRV) and the
// Teams / Lync records. Every answer, fact or failure, becomes one
// snapshot.DNSResult record; the checks judge those records only.
package dnscheck

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/preflight-scan/preflight/mailauth/dmarc"
	"github.com/preflight-scan/preflight/mailauth/spf"
	"github.com/preflight-scan/preflight/progress"
	"github.com/preflight-scan/preflight/resolver"
	"github.com/preflight-scan/preflight/snapshot"
)

// Domain is a mail domain to check and where it was found.
type Domain struct {
	Name   string
	SeenIn []string
}

// Subject is an address of an MX host, for the blocklist collector.
type Subject struct {
	Addr   netip.Addr
	Reason string
}

// Question is one record a domain is asked for; Name is relative to the
// domain ("" is the apex).
type Question struct {
	Label string
	Type  string
}

// Questions are the fixed questions asked of every domain, besides MX
// host addresses and SPF lookups.
func Questions() []Question {
	qs := []Question{
		{"_dmarc", "TXT"},
		{"autodiscover", "CNAME"},
		{"_autodiscover._tcp", "SRV"},
		{"_sipfederationtls._tcp", "SRV"},
		{"_sip._tls", "SRV"},
		{"sip", "CNAME"},
		{"lyncdiscover", "CNAME"},
	}
	// MTA-STS and TLS-RPT (DNS-009).
	qs = append(qs, Question{"_mta-sts", "TXT"}, Question{"_smtp._tls", "TXT"})
	// DKIM (DNS-008): the selectors Exchange Online signs with, as CNAMEs,
	// and the keys a current provider publishes at well-known selectors.
	for _, s := range []string{"selector1", "selector2"} {
		qs = append(qs, Question{s + "._domainkey", "CNAME"})
	}
	for _, s := range DKIMSelectors() {
		qs = append(qs, Question{s + "._domainkey", "TXT"})
	}
	return qs
}

// DKIMSelectors are the well-known selectors whose DKIM keys are looked
// up to report what the current provider signs with.
func DKIMSelectors() []string {
	return []string{"default", "dkim", "google", "k1", "k2", "mail", "s1", "s2", "selector1", "selector2", "smtp"}
}

// Collector asks the DNS about each domain.
type Collector struct {
	// Resolver answers the questions (wrap it in resolver.NewCache).
	Resolver resolver.Resolver
	// Name names the source in the report ("dns via 192.0.2.53:53").
	Name    string
	Domains []Domain
	// Concurrency bounds how many domains are checked at once (default 8).
	Concurrency int
	// Deadline bounds the whole collection (0: none besides ctx).
	Deadline time.Duration
	// Progress, when set, receives progress lines.
	Progress *progress.Reporter
	// MaxNotes bounds how many per-domain MX notes the source carries
	// (default 50).
	MaxNotes int
	// Direct, when set, returns a resolver asking one name server
	// (HOST:PORT) without recursion. The collector then asks the MX
	// question again of the domain's first name server, so that DNS-002
	// judges the configured TTL rather than a resolver's counted-down
	// cache time. Nil skips it.
	Direct func(server string) resolver.Resolver
	// DirectPort is the port of the domain's name servers (default 53).
	DirectPort string
	// MTASTS, when set, fetches the MTA-STS policy of every domain that
	// publishes an _mta-sts record (DNS-009). Nil records no policy.
	MTASTS *PolicyFetcher

	mu       sync.Mutex
	subjects []Subject
}

// Subjects returns the addresses of every MX host found by Collect.
func (c *Collector) Subjects() []Subject {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Subject(nil), c.subjects...)
}

type state struct {
	mu       sync.Mutex
	sink     snapshot.Sink
	err      error
	records  int64
	facts    int64
	failures int64
	firstErr string
	notes    []string
}

func (s *state) put(r *snapshot.DNSResult) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return
	}
	s.records++
	if resolver.IsFailure(r.Outcome) {
		s.failures++
		if s.firstErr == "" {
			s.firstErr = fmt.Sprintf("%s %s: %s %s", r.Type, r.Name, r.Outcome, r.Error)
		}
	} else {
		s.facts++
	}
	s.err = s.sink.Put(&snapshot.Record{DNS: r})
}

// Collect checks every domain. It never returns an error: a domain list
// that fails to resolve is a failed source.
func (c *Collector) Collect(ctx context.Context, sink snapshot.Sink) (snapshot.Source, error) {
	start := time.Now()
	src := snapshot.Source{Name: c.Name, Kind: "dns", Areas: []snapshot.Area{snapshot.AreaDNS}}
	if src.Name == "" {
		src.Name = "dns"
	}
	if c.Deadline > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.Deadline)
		defer cancel()
	}
	conc := c.Concurrency
	if conc <= 0 {
		conc = 8
	}
	st := &state{sink: sink}
	jobs := make(chan Domain)
	var wg sync.WaitGroup
	var done int64
	var doneMu sync.Mutex
	for i := 0; i < conc; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for d := range jobs {
				note := c.domain(ctx, d, st)
				doneMu.Lock()
				done++
				if note != "" {
					st.mu.Lock()
					st.notes = append(st.notes, note)
					st.mu.Unlock()
				}
				c.Progress.Update(src.Name, done, 0)
				doneMu.Unlock()
			}
		}()
	}
	for _, d := range c.Domains {
		jobs <- d
	}
	close(jobs)
	wg.Wait()

	src.DurationMS = time.Since(start).Milliseconds()
	src.Objects = st.records
	if st.err != nil {
		return src, fmt.Errorf("dns: write record: %w", st.err)
	}
	sort.Strings(st.notes)
	limit := c.MaxNotes
	if limit <= 0 {
		limit = 50
	}
	if len(st.notes) > limit {
		more := len(st.notes) - limit
		st.notes = append(st.notes[:limit], fmt.Sprintf("… and %d more domains (their MX hosts are in the snapshot and in DNS-001)", more))
	}
	src.Notes = st.notes
	if st.failures > 0 {
		src.Notes = append(src.Notes, fmt.Sprintf("%d of %d lookups failed (first: %s); the checks that need them report error", st.failures, st.records, st.firstErr))
	}
	switch {
	case st.records > 0 && st.facts == 0:
		src.Status = snapshot.StatusError
		src.Error = fmt.Sprintf("no DNS lookup was answered (%d failed; first: %s)", st.failures, st.firstErr)
	case ctx.Err() != nil && st.failures > 0:
		src.Status = snapshot.StatusError
		src.Error = fmt.Sprintf("overall DNS deadline reached: %d lookups unanswered", st.failures)
	default:
		src.Status = snapshot.StatusOK
	}
	c.Progress.Done(src.Name, st.records, 0, src.Status)
	return src, nil
}

// domain asks every question about one domain and returns a note listing
// its MX hosts.
func (c *Collector) domain(ctx context.Context, d Domain, st *state) string {
	name := strings.ToLower(strings.TrimSuffix(d.Name, "."))
	asked := map[string]resolver.Answer{}
	record := func(qname, qtype string, a resolver.Answer, auth bool) {
		r := &snapshot.DNSResult{
			Domain: name, Name: qname, Type: qtype, Outcome: a.Outcome, Error: a.Err,
			Answers: a.Records, TTL: a.TTL, Resolver: a.Server, Authoritative: auth,
		}
		if qname == name && qtype == "MX" && !auth {
			r.SeenIn = d.SeenIn
		}
		st.put(r)
	}
	ask := func(qname, qtype string) resolver.Answer {
		qname = strings.ToLower(strings.TrimSuffix(qname, "."))
		key := qname + "/" + qtype
		if a, ok := asked[key]; ok {
			return a
		}
		a := c.Resolver.Lookup(ctx, qname, qtype)
		asked[key] = a
		record(qname, qtype, a, false)
		return a
	}

	mx := ask(name, "MX")
	var note string
	switch mx.Outcome {
	case snapshot.LookupFound:
		var hosts []string
		for _, rec := range mx.Records {
			_, h, _ := strings.Cut(rec, " ")
			hosts = append(hosts, rec)
			if h == "" || h == "." {
				continue
			}
			for _, t := range []string{"A", "AAAA"} {
				a := ask(h, t)
				for _, v := range a.Records {
					if ip, err := netip.ParseAddr(v); err == nil {
						c.mu.Lock()
						c.subjects = append(c.subjects, Subject{Addr: ip, Reason: fmt.Sprintf("MX %s of %s", h, name)})
						c.mu.Unlock()
					}
				}
			}
		}
		note = fmt.Sprintf("%s MX: %s (TTL %d s)", name, strings.Join(hosts, ", "), mx.TTL)
		if c.Direct != nil {
			c.authoritativeMX(ctx, name, ask, record)
		}
	case snapshot.LookupNXDomain, snapshot.LookupNoData:
		note = fmt.Sprintf("%s MX: none (%s)", name, mx.Outcome)
	default:
		note = fmt.Sprintf("%s MX: lookup failed (%s)", name, mx.Outcome)
	}

	spf.Analyse(name, func(qname, qtype string) spf.Response {
		a := ask(qname, qtype)
		return spf.Response{Outcome: a.Outcome, Records: a.Records, Err: a.Err}
	})
	for _, q := range Questions() {
		ask(q.Label+"."+name, q.Type)
	}
	dmarcFollowUp(name, ask)
	c.mtaSTSFollowUp(ctx, name, ask, record)
	return note
}

// dmarcFollowUp asks what DNS-007 needs beyond _dmarc.<domain>: the
// organisational domain's record when the domain has none (RFC 7489
// §6.6.3) and, for the record in force, the authorisation of every
// external report destination (§7.1).
func dmarcFollowUp(name string, ask func(string, string) resolver.Answer) {
	a := ask(dmarc.Name(name), "TXT")
	if a.Failed() {
		return
	}
	policy := name
	recs, misplaced := dmarc.Select(a.Records)
	if len(recs) == 0 && len(misplaced) == 0 {
		org := dmarc.OrgDomain(name)
		if org == name {
			return
		}
		b := ask(dmarc.Name(org), "TXT")
		if b.Failed() {
			return
		}
		recs, _ = dmarc.Select(b.Records)
		policy = org
	}
	if len(recs) != 1 {
		return
	}
	for _, dest := range dmarc.Parse(recs[0]).Destinations(policy) {
		ask(dmarc.ReportAuthName(policy, dest), "TXT")
	}
}

// authoritativeMX asks the MX question of the domain's first name server
// (in name order) without recursion and records the answer as
// authoritative. When the domain has no NS of its own (a name below a zone
// cut) nothing is asked.
func (c *Collector) authoritativeMX(ctx context.Context, name string, ask func(string, string) resolver.Answer, record func(string, string, resolver.Answer, bool)) {
	ns := ask(name, "NS")
	if ns.Outcome != snapshot.LookupFound || len(ns.Records) == 0 {
		return
	}
	host := ns.Records[0]
	addr := ask(host, "A")
	if addr.Outcome != snapshot.LookupFound || len(addr.Records) == 0 {
		addr = ask(host, "AAAA")
	}
	if addr.Outcome != snapshot.LookupFound || len(addr.Records) == 0 {
		record(name, "MX", resolver.Answer{Outcome: snapshot.LookupError, Err: "address of name server " + host + " unknown", Server: host}, true)
		return
	}
	port := c.DirectPort
	if port == "" {
		port = "53"
	}
	srv := net.JoinHostPort(addr.Records[0], port)
	a := c.Direct(srv).Lookup(ctx, name, "MX")
	a.Server = host + " (" + srv + ")"
	record(name, "MX", a, true)
}
