// Package resolver is preflight's own DNS interface. It asks one question
// at a time of a list of recursive resolvers (or, in tests, an
// authoritative server) and classifies the answer into facts (found,
// NXDOMAIN, no data) and failures (SERVFAIL, REFUSED, timeout, other
// error), never confusing the two.
//
// The implementation sits on github.com/miekg/dns v1; nothing of that
// library leaks through the interface, so that a move to its successor
// touches this package only.
package resolver

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/miekg/dns"

	"github.com/preflight-scan/preflight/internal/dialer"

	"github.com/preflight-scan/preflight/snapshot"
)

// Answer is the classified answer to one question.
type Answer struct {
	// Outcome is one of the snapshot.Lookup* values.
	Outcome string
	// Err says why a failure happened ("" for facts).
	Err string
	// Records hold the answer data of the asked type in presentation form
	// (see Format), sorted.
	Records []string
	// TTL is the smallest TTL of the records.
	TTL uint32
	// Server is the resolver that gave the final answer.
	Server string
}

// Failed reports whether the answer is a failure rather than a fact.
func (a Answer) Failed() bool { return IsFailure(a.Outcome) }

// IsFailure reports whether a lookup outcome means the question went
// unanswered (SERVFAIL, REFUSED, timeout or another error).
func IsFailure(outcome string) bool {
	switch outcome {
	case snapshot.LookupFound, snapshot.LookupNXDomain, snapshot.LookupNoData:
		return false
	}
	return true
}

// Resolver answers DNS questions. Implementations are safe for concurrent
// use. qtype is a type name such as "MX", "TXT", "A".
type Resolver interface {
	Lookup(ctx context.Context, name, qtype string) Answer
}

// Config configures a Client.
type Config struct {
	// Servers are resolver addresses HOST:PORT (a bare host gets port 53),
	// tried in order.
	Servers []string
	// Timeout bounds one try against one server (default 2s).
	Timeout time.Duration
	// Retries is how many times the whole server list is tried again
	// after a failure (default 0: one pass).
	Retries int
	// NoRecursion clears the RD bit (for querying an authoritative server).
	NoRecursion bool
	// Dialer opens the sockets to the servers and enforces the loopback
	// guard: New refuses a server it does not allow. Nil dials without
	// the guard.
	Dialer *dialer.Dialer
}

// Client is a Resolver over miekg/dns with per-try timeouts, retries over
// the server list and TCP fallback when a UDP answer is truncated.
type Client struct {
	cfg     Config
	udp     *dns.Client
	tcp     *dns.Client
	queries atomic.Int64
	// idle keeps UDP sockets per server for reuse (a new socket per query
	// costs as much as the query on loopback).
	idle map[string]chan *dns.Conn
}

// idleSockets bounds the UDP sockets kept per server.
const idleSockets = 64

// New returns a client for cfg. It fails when no server is given or an
// address is malformed.
func New(cfg Config) (*Client, error) {
	if len(cfg.Servers) == 0 {
		return nil, errors.New("resolver: no server given")
	}
	servers := make([]string, 0, len(cfg.Servers))
	for _, s := range cfg.Servers {
		a, err := NormalizeServer(s)
		if err != nil {
			return nil, err
		}
		if err := cfg.Dialer.CheckServer(a); err != nil {
			return nil, fmt.Errorf("resolver: %w", err)
		}
		servers = append(servers, a)
	}
	cfg.Servers = servers
	if cfg.Timeout <= 0 {
		cfg.Timeout = 2 * time.Second
	}
	if cfg.Retries < 0 {
		cfg.Retries = 0
	}
	c := &Client{
		cfg:  cfg,
		udp:  &dns.Client{Net: "udp", UDPSize: 4096},
		tcp:  &dns.Client{Net: "tcp"},
		idle: map[string]chan *dns.Conn{},
	}
	for _, s := range servers {
		c.idle[s] = make(chan *dns.Conn, idleSockets)
	}
	return c, nil
}

// Close releases the idle sockets. The client stays usable.
func (c *Client) Close() error {
	var errs []error
	for _, ch := range c.idle {
		for {
			select {
			case co := <-ch:
				if err := co.Close(); err != nil {
					errs = append(errs, err)
				}
				continue
			default:
			}
			break
		}
	}
	return errors.Join(errs...)
}

// exchangeUDP asks over a pooled UDP socket. Replies with another ID (late
// answers to an earlier, timed-out query) are skipped by the library; a
// socket that saw an error is closed rather than reused.
func (c *Client) exchangeUDP(ctx context.Context, m *dns.Msg, srv string) (*dns.Msg, error) {
	var co *dns.Conn
	select {
	case co = <-c.idle[srv]:
	default:
		var err error
		if co, err = c.dial(ctx, "udp", srv); err != nil {
			return nil, err
		}
	}
	r, _, err := c.udp.ExchangeWithConnContext(ctx, m, co)
	if err != nil {
		_ = co.Close() // the exchange error is the one to report
		return nil, err
	}
	select {
	case c.idle[srv] <- co:
	default:
		_ = co.Close() // pool full; the answer is already read
	}
	return r, nil
}

// dial opens a DNS socket to srv through the configured dialer.
func (c *Client) dial(ctx context.Context, network, srv string) (*dns.Conn, error) {
	raw, err := c.cfg.Dialer.DialContext(ctx, network, srv)
	if err != nil {
		return nil, err
	}
	return &dns.Conn{Conn: raw, UDPSize: c.udp.UDPSize}, nil
}

// exchangeTCP asks over a new TCP connection (after a truncated answer).
func (c *Client) exchangeTCP(ctx context.Context, m *dns.Msg, srv string) (*dns.Msg, error) {
	co, err := c.dial(ctx, "tcp", srv)
	if err != nil {
		return nil, err
	}
	defer func() { _ = co.Close() }() // one query, answer already read
	r, _, err := c.tcp.ExchangeWithConnContext(ctx, m, co)
	return r, err
}

// NormalizeServer turns "HOST" or "HOST:PORT" or "[V6]:PORT" into a
// dialable HOST:PORT, port 53 by default.
func NormalizeServer(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", errors.New("resolver: empty server address")
	}
	if host, port, err := net.SplitHostPort(s); err == nil {
		if host == "" {
			return "", fmt.Errorf("resolver: server %q: empty host", s)
		}
		if n, err := strconv.Atoi(port); err != nil || n <= 0 || n > 65535 {
			return "", fmt.Errorf("resolver: server %q: bad port", s)
		}
		return net.JoinHostPort(host, port), nil
	}
	h := strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")
	if strings.ContainsAny(h, " /") {
		return "", fmt.Errorf("resolver: server %q: not a host", s)
	}
	return net.JoinHostPort(h, "53"), nil
}

// SystemServers reads the nameservers of a resolv.conf file.
func SystemServers(path string) ([]string, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("resolver: %w", err)
	}
	cc, err := dns.ClientConfigFromFile(path)
	if err != nil {
		return nil, fmt.Errorf("resolver: read %s: %w", path, err)
	}
	var out []string
	for _, s := range cc.Servers {
		out = append(out, net.JoinHostPort(s, cc.Port))
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("resolver: %s names no nameserver", path)
	}
	return out, nil
}

// Queries returns how many DNS messages the client has sent.
func (c *Client) Queries() int64 { return c.queries.Load() }

// Servers returns the servers in the order they are tried.
func (c *Client) Servers() []string { return append([]string(nil), c.cfg.Servers...) }

// Lookup asks name/qtype, trying each server in turn and the whole list
// Retries more times while the answers are failures. The first fact wins;
// when every try fails, the last failure is returned. A done context is a
// timeout ("overall deadline").
func (c *Client) Lookup(ctx context.Context, name, qtype string) Answer {
	t, ok := dns.StringToType[strings.ToUpper(qtype)]
	if !ok {
		return Answer{Outcome: snapshot.LookupError, Err: "unknown query type " + qtype}
	}
	fq := dns.Fqdn(strings.ToLower(strings.TrimSpace(name)))
	if _, ok := dns.IsDomainName(fq); !ok || len(fq) > 254 {
		return Answer{Outcome: snapshot.LookupError, Err: fmt.Sprintf("%q is not a domain name", name)}
	}
	var last Answer
	for attempt := 0; attempt <= c.cfg.Retries; attempt++ {
		for _, srv := range c.cfg.Servers {
			if err := ctx.Err(); err != nil {
				return Answer{Outcome: snapshot.LookupTimeout, Err: "overall DNS deadline reached before an answer", Server: srv}
			}
			a := c.try(ctx, srv, fq, t)
			if !a.Failed() {
				return a
			}
			last = a
		}
	}
	return last
}

func (c *Client) try(ctx context.Context, srv, fq string, t uint16) Answer {
	m := new(dns.Msg)
	m.SetQuestion(fq, t)
	m.RecursionDesired = !c.cfg.NoRecursion
	m.SetEdns0(4096, false)
	tctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	c.queries.Add(1)
	r, err := c.exchangeUDP(tctx, m, srv)
	if err == nil && r != nil && r.Truncated {
		c.queries.Add(1)
		r, err = c.exchangeTCP(tctx, m, srv)
	}
	if err != nil {
		return classifyErr(err, srv, c.cfg.Timeout)
	}
	return classify(r, fq, t, srv)
}

func classifyErr(err error, srv string, timeout time.Duration) Answer {
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return Answer{Outcome: snapshot.LookupTimeout, Err: fmt.Sprintf("no answer from %s within %s", srv, timeout), Server: srv}
	}
	if errors.Is(err, context.Canceled) {
		return Answer{Outcome: snapshot.LookupTimeout, Err: "lookup cancelled", Server: srv}
	}
	return Answer{Outcome: snapshot.LookupError, Err: fmt.Sprintf("query to %s: %v", srv, err), Server: srv}
}

// classify turns a response into an Answer.
func classify(r *dns.Msg, fq string, t uint16, srv string) Answer {
	a := Answer{Server: srv}
	if len(r.Question) != 1 || !strings.EqualFold(r.Question[0].Name, fq) || r.Question[0].Qtype != t {
		a.Outcome, a.Err = snapshot.LookupError, "answer from "+srv+" is for another question"
		return a
	}
	switch r.Rcode {
	case dns.RcodeSuccess:
	case dns.RcodeNameError:
		a.Outcome = snapshot.LookupNXDomain
		return a
	case dns.RcodeServerFailure:
		a.Outcome, a.Err = snapshot.LookupServFail, "SERVFAIL from "+srv
		return a
	case dns.RcodeRefused:
		a.Outcome, a.Err = snapshot.LookupRefused, "REFUSED by "+srv
		return a
	default:
		a.Outcome, a.Err = snapshot.LookupError, fmt.Sprintf("rcode %s from %s", dns.RcodeToString[r.Rcode], srv)
		return a
	}
	// Follow an in-answer CNAME chain from the question name.
	want := fq
	for hop := 0; hop < 16; hop++ {
		next := ""
		for _, rr := range r.Answer {
			h := rr.Header()
			if !strings.EqualFold(h.Name, want) {
				continue
			}
			if h.Rrtype == t {
				a.Records = append(a.Records, Format(rr))
				if a.TTL == 0 || h.Ttl < a.TTL {
					a.TTL = h.Ttl
				}
			} else if cn, ok := rr.(*dns.CNAME); ok && t != dns.TypeCNAME {
				next = cn.Target
			}
		}
		if len(a.Records) > 0 || next == "" {
			break
		}
		want = next
	}
	if len(a.Records) == 0 {
		if want != fq && !r.Authoritative && r.RecursionAvailable {
			// A recursive resolver gave a CNAME without its target's data:
			// the target has no data of this type.
			a.Outcome = snapshot.LookupNoData
			return a
		}
		if want != fq {
			a.Outcome, a.Err = snapshot.LookupError, "CNAME to "+strings.TrimSuffix(want, ".")+" not followed by the server"
			return a
		}
		a.Outcome = snapshot.LookupNoData
		return a
	}
	sort.Strings(a.Records)
	a.Outcome = snapshot.LookupFound
	return a
}

// Format renders a record's data the way preflight records it: names in
// lower case without the final dot; MX as "PREF HOST"; SRV as "PRIO
// WEIGHT PORT TARGET"; TXT as its strings joined without separators.
func Format(rr dns.RR) string {
	switch v := rr.(type) {
	case *dns.A:
		return v.A.String()
	case *dns.AAAA:
		return v.AAAA.String()
	case *dns.MX:
		return fmt.Sprintf("%d %s", v.Preference, host(v.Mx))
	case *dns.CNAME:
		return host(v.Target)
	case *dns.NS:
		return host(v.Ns)
	case *dns.PTR:
		return host(v.Ptr)
	case *dns.SRV:
		return fmt.Sprintf("%d %d %d %s", v.Priority, v.Weight, v.Port, host(v.Target))
	case *dns.TXT:
		return strings.Join(v.Txt, "")
	case *dns.SPF:
		return strings.Join(v.Txt, "")
	}
	s := rr.String()
	if i := strings.Index(s, "\t"+dns.TypeToString[rr.Header().Rrtype]+"\t"); i >= 0 {
		return s[i+len(dns.TypeToString[rr.Header().Rrtype])+2:]
	}
	return s
}

func host(s string) string { return strings.ToLower(strings.TrimSuffix(s, ".")) }

// Cache wraps a Resolver so that each distinct question is asked once per
// scan (SPF includes such as spf.protection.outlook.com are shared by many
// domains). Concurrent askers of the same question wait for the first.
// Failures are cached too: a scan reports what it saw.
type Cache struct {
	next Resolver
	mu   sync.Mutex
	m    map[string]*cacheEntry
}

type cacheEntry struct {
	done chan struct{}
	a    Answer
}

// NewCache returns a caching wrapper around next.
func NewCache(next Resolver) *Cache {
	return &Cache{next: next, m: map[string]*cacheEntry{}}
}

// Lookup answers from the cache or asks the wrapped resolver.
func (c *Cache) Lookup(ctx context.Context, name, qtype string) Answer {
	key := strings.ToLower(strings.TrimSuffix(strings.TrimSpace(name), ".")) + "/" + strings.ToUpper(qtype)
	c.mu.Lock()
	e, ok := c.m[key]
	if !ok {
		e = &cacheEntry{done: make(chan struct{})}
		c.m[key] = e
	}
	c.mu.Unlock()
	if ok {
		select {
		case <-e.done:
			return e.a
		case <-ctx.Done():
			return Answer{Outcome: snapshot.LookupTimeout, Err: "overall DNS deadline reached before an answer"}
		}
	}
	e.a = c.next.Lookup(ctx, name, qtype)
	close(e.done)
	return e.a
}
