// Package ldap collects directory objects live from Active Directory over
// LDAP: LDAPS or StartTLS with certificate verification, a simple bind,
// every domain of the forest (each queried on a domain controller, not the
// Global Catalog, which lacks pwdLastSet, operatingSystem and the password
// policy), streamed paged searches and range retrieval of large
// multi-valued attributes.
//
// Each domain is read over two connections: a go-ldap one for the bind,
// the RootDSE and partition discovery, the domain object and range
// retrieval, and one the collector reads itself for the bulk paged search
// (pager.go): the next page is requested as soon as the previous one's
// SearchResultDone arrives and decoded in place (package ldapwire) while
// the server builds it.
//
// The collector only binds and searches; it never modifies the directory.
// Records are built with snapshot.NewDirObject from the raw attribute
// values, so a live scan and a scan of an LDIF export of the same objects
// give identical records. At most two pages of results (and one object's
// ranged values) are held in memory.
package ldap

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	goldap "github.com/go-ldap/ldap/v3"

	"github.com/preflight-scan/preflight/collect/ldap/ldapwire"
	netdial "github.com/preflight-scan/preflight/internal/dialer"
	"github.com/preflight-scan/preflight/snapshot"
)

// Filter selects the objects the directory rules read: users, contacts,
// groups, computers and the domain object.
const Filter = "(|(objectClass=user)(objectClass=contact)(objectClass=group)(objectClass=computer)(objectClass=domainDNS))"

// DefaultPageSize is the paged-results page size. Active Directory's
// default MaxPageSize is 1,000; a larger request is clamped anyway.
const DefaultPageSize = 1000

// DefaultTimeout bounds the dial, the handshake and each request when
// Config.Timeout is zero.
const DefaultTimeout = 2 * time.Minute

// maxNotes caps the referral notes of one source.
const maxNotes = 20

// Progress receives progress reports; *progress.Reporter implements it.
type Progress interface {
	Update(source string, objects, pages int64)
	Done(source string, objects, pages int64, status string)
}

// Config configures a live directory scan.
type Config struct {
	// Endpoint is the server to connect to (see ParseURL).
	Endpoint Endpoint
	// BindUser is a user principal name (user@domain) or a DN.
	BindUser string
	// Password is the bind password.
	Password Secret
	// Roots are the CAs that verify the server's certificate; nil means the
	// system roots.
	Roots *x509.CertPool
	// BaseDN limits the scan to one base; empty means every domain of the
	// forest, found through the RootDSE and CN=Partitions.
	BaseDN string
	// Timeout bounds the dial and TLS handshake, and each request (client
	// side, and as the search time limit sent to the server).
	Timeout time.Duration
	// PageSize is the paged-results page size (default DefaultPageSize).
	PageSize uint32
	// Progress, if not nil, receives progress reports.
	Progress Progress
	// Dialer opens every connection (the server of the URL and the
	// forest's other domain controllers) and enforces the loopback
	// guard; nil dials without the guard.
	Dialer *netdial.Dialer
}

// Collector is a live directory source. It implements snapshot.Collector.
type Collector struct {
	cfg    Config
	dial   dialer     // the go-ldap connection
	wire   wireDialer // the bulk search's connection
	filter []byte     // Filter, BER-encoded
}

// New checks the configuration and returns a collector. It does not
// connect.
func New(cfg Config) (*Collector, error) {
	if cfg.Endpoint.Host == "" {
		return nil, errors.New("ldap: no server URL")
	}
	if strings.TrimSpace(cfg.BindUser) == "" {
		return nil, errors.New("ldap: --bind-user is required with --ldap-url (a user principal name or a DN)")
	}
	if cfg.Password.Empty() {
		return nil, ErrNoPassword
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.PageSize == 0 {
		cfg.PageSize = DefaultPageSize
	}
	f, err := goldap.CompileFilter(Filter)
	if err != nil {
		return nil, fmt.Errorf("ldap: compile the search filter: %w", err)
	}
	return &Collector{cfg: cfg, filter: f.Bytes(),
		dial: netDialer(cfg.Dialer, cfg.Roots, cfg.Timeout),
		wire: netWireDialer(cfg.Dialer, cfg.Roots, cfg.Timeout)}, nil
}

// Name is the source name: the server URL without credentials.
func (c *Collector) Name() string { return c.cfg.Endpoint.String() }

// Collect scans the directory into sink. Runtime failures (unreachable
// server, bad certificate, wrong password, a connection lost mid-scan,
// cancellation) give a Source with status error and a one-line reason; the
// returned error is non-nil only when the sink fails.
func (c *Collector) Collect(ctx context.Context, sink snapshot.Sink) (snapshot.Source, error) {
	start := time.Now()
	s := &scan{c: c, sink: sink, seen: map[string]bool{}}
	if c.cfg.Endpoint.Security == Plaintext {
		s.note("plaintext LDAP (--ldap-insecure-plaintext): no TLS, the bind password is sent unencrypted")
	}
	if p := c.cfg.Endpoint.Port; p == 3268 || p == 3269 {
		s.note(fmt.Sprintf("port %d is the Global Catalog, which lacks pwdLastSet, operatingSystem and the password policy: scan a domain controller on 636 or 389", p))
	}
	fatal := s.run(ctx)
	src := snapshot.Source{
		Name:       c.Name(),
		Kind:       "ldap",
		Areas:      []snapshot.Area{snapshot.AreaDirectory, snapshot.AreaClients},
		Status:     snapshot.StatusOK,
		Objects:    s.objects,
		DurationMS: time.Since(start).Milliseconds(),
		Notes:      s.notes,
	}
	if s.dropped > 0 {
		src.Notes = append(src.Notes, fmt.Sprintf("%d more referrals not followed", s.dropped))
	}
	s.count.Fill(&src)
	var sinkErr *sinkError
	if errors.As(fatal, &sinkErr) {
		return src, sinkErr.err
	}
	if fatal != nil {
		s.failures = append(s.failures, failure{reason: fatal.Error()})
	}
	if len(s.failures) > 0 {
		src.Status = snapshot.StatusError
		src.Error = s.reason()
	}
	if p := c.cfg.Progress; p != nil {
		p.Done(src.Name, s.objects, s.pages, src.Status)
	}
	return src, nil
}

// failure is the failure of one domain, or of the whole scan (domain "").
type failure struct {
	domain string
	reason string
}

// scan is the state of one Collect call.
type scan struct {
	c        *Collector
	sink     snapshot.Sink
	objects  int64
	pages    int64
	notes    []string
	seen     map[string]bool
	dropped  int
	failures []failure
	multi    bool // the forest has more than one domain
	count    snapshot.EntryCount

	raw   map[string][][]byte // the entry being built, reused
	names map[string]string   // attribute names seen, interned
	msg   ldapwire.Message    // the message being decoded, reused
}

// domain is one domain naming context to scan.
type domain struct {
	nc    string // naming context DN
	dns   string // DNS name (dnsRoot)
	local bool   // held by the server we connected to
}

// sinkError wraps a failure of the sink, which aborts the scan as an
// internal error rather than a source failure.
type sinkError struct{ err error }

func (e *sinkError) Error() string { return e.err.Error() }

func isSinkError(err error) bool {
	var se *sinkError
	return errors.As(err, &se)
}

func (s *scan) reason() string {
	var parts []string
	for _, f := range s.failures {
		if f.domain != "" && s.multi {
			parts = append(parts, "domain "+f.domain+": "+f.reason)
		} else {
			parts = append(parts, f.reason)
		}
	}
	return strings.Join(parts, "; ")
}

// note records a fact about the collection once.
func (s *scan) note(n string) {
	if s.seen[n] {
		return
	}
	s.seen[n] = true
	if len(s.notes) >= maxNotes {
		s.dropped++
		return
	}
	s.notes = append(s.notes, n)
}

func (s *scan) noteReferrals(refs []string) {
	for _, r := range refs {
		s.note("referral to " + r + " not followed")
	}
}

// run performs the scan. A returned error fails the whole source; per
// domain failures are collected in s.failures.
func (s *scan) run(ctx context.Context) error {
	ep := s.c.cfg.Endpoint
	conn, err := s.control(ctx, ep)
	if err != nil {
		return s.explain(ctx, err)
	}
	// A read-only search session: closing it loses nothing, so a failed
	// close is not worth reporting over the scan's own result.
	defer func() { _ = conn.Close() }()
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	defer stop()

	domains, err := s.domains(ctx, conn)
	if err != nil {
		return s.explain(ctx, err)
	}
	s.multi = len(domains) > 1
	for _, d := range domains {
		if ctx.Err() != nil {
			return s.interrupted()
		}
		if d.local {
			if err := s.scanDomain(ctx, conn, ep, d); err != nil {
				if ctx.Err() != nil {
					return s.interrupted()
				}
				if isSinkError(err) {
					return err
				}
				s.failures = append(s.failures, failure{domain: d.dns, reason: s.explain(ctx, err).Error()})
			}
			continue
		}
		if err := s.scanRemote(ctx, ep.WithHost(d.dns), d); err != nil {
			if ctx.Err() != nil {
				return s.interrupted()
			}
			if isSinkError(err) {
				return err
			}
			s.failures = append(s.failures, failure{domain: d.dns, reason: err.Error()})
		}
	}
	return nil
}

// scanRemote scans a domain held by another domain controller, reached
// through its dnsRoot with the same port and TLS settings.
func (s *scan) scanRemote(ctx context.Context, ep Endpoint, d domain) error {
	conn, err := s.control(ctx, ep)
	if err != nil {
		return s.explain(ctx, err)
	}
	defer func() { _ = conn.Close() }() // read-only, as in run
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	defer stop()
	if err := s.scanDomain(ctx, conn, ep, d); err != nil {
		if isSinkError(err) {
			return err
		}
		return s.explain(ctx, err)
	}
	return nil
}

// timeLimit is the search time limit sent to the server, in seconds.
func (s *scan) timeLimit() int {
	return int(s.c.cfg.Timeout / time.Second)
}

func (s *scan) search(conn searcher, base string, scope int, filter string, attrs []string) (*goldap.SearchResult, error) {
	req := goldap.NewSearchRequest(base, scope, goldap.NeverDerefAliases, 0, s.timeLimit(), false, filter, attrs, nil)
	return conn.Search(req)
}

// domains lists the domains to scan: --base-dn alone, else every domain
// partition of the forest (crossRef objects with FLAG_CR_NTDS_DOMAIN under
// CN=Partitions), the connected server's own domain first.
func (s *scan) domains(ctx context.Context, conn searcher) ([]domain, error) {
	if b := s.c.cfg.BaseDN; b != "" {
		return []domain{{nc: b, dns: snapshot.DomainOfDN(b), local: true}}, nil
	}
	res, err := s.search(conn, "", goldap.ScopeBaseObject, "(objectClass=*)",
		[]string{"defaultNamingContext", "configurationNamingContext"})
	if err != nil {
		return nil, fmt.Errorf("read RootDSE: %w", err)
	}
	var def, config string
	if len(res.Entries) > 0 {
		def = res.Entries[0].GetAttributeValue("defaultNamingContext")
		config = res.Entries[0].GetAttributeValue("configurationNamingContext")
	}
	var out []domain
	if config != "" {
		res, err := s.search(conn, "CN=Partitions,"+config, goldap.ScopeSingleLevel, "(objectClass=crossRef)",
			[]string{"nCName", "dnsRoot", "systemFlags", "nETBIOSName"})
		if err != nil {
			if ctx.Err() != nil {
				return nil, err
			}
			s.failures = append(s.failures, failure{reason: "list the forest's domains in CN=Partitions: " + s.explain(ctx, err).Error() + " (scanned the server's own domain only)"})
		} else {
			s.noteReferrals(res.Referrals)
			for _, e := range res.Entries {
				flags, _ := strconv.ParseInt(e.GetAttributeValue("systemFlags"), 10, 64)
				nc := e.GetAttributeValue("nCName")
				if flags&2 == 0 || nc == "" { // FLAG_CR_NTDS_DOMAIN
					continue
				}
				dns := strings.ToLower(e.GetAttributeValue("dnsRoot"))
				if dns == "" {
					dns = snapshot.DomainOfDN(nc)
				}
				out = append(out, domain{nc: nc, dns: dns, local: strings.EqualFold(nc, def)})
			}
		}
	}
	hasLocal := false
	for _, d := range out {
		hasLocal = hasLocal || d.local
	}
	if !hasLocal {
		if def == "" {
			if len(out) == 0 {
				return nil, errors.New("the server's RootDSE has no defaultNamingContext: give --base-dn")
			}
		} else {
			out = append(out, domain{nc: def, dns: snapshot.DomainOfDN(def), local: true})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].local != out[j].local {
			return out[i].local
		}
		return out[i].dns < out[j].dns
	})
	return out, nil
}

// scanDomain emits the domain object, then every user, contact, group and
// computer of the naming context, page by page.
func (s *scan) scanDomain(ctx context.Context, conn searcher, ep Endpoint, d domain) error {
	attrs := snapshot.DirectoryAttributes()
	res, err := s.search(conn, d.nc, goldap.ScopeBaseObject, "(objectClass=domainDNS)", attrs)
	if err != nil {
		if refs := referralsOf(err); len(refs) > 0 {
			s.noteReferrals(refs)
			return fmt.Errorf("%s is not held by this server (referral not followed)", d.nc)
		}
		return fmt.Errorf("read domain object %s: %w", d.nc, err)
	}
	s.noteReferrals(res.Referrals)
	for _, e := range res.Entries {
		as := make([]ldapwire.Attribute, len(e.Attributes))
		for i, a := range e.Attributes {
			as[i] = ldapwire.Attribute{Name: []byte(a.Name), Values: a.ByteValues}
		}
		if err := s.emit(ctx, conn, e.DN, as); err != nil {
			return err
		}
	}
	return s.bulk(ctx, conn, ep, d, attrs)
}

// bulk runs the paged subtree search of d on a connection of its own
// (see pager.go) and emits its objects; conn serves range retrieval.
func (s *scan) bulk(ctx context.Context, conn searcher, ep Endpoint, d domain, attrs []string) error {
	raw, err := s.c.wire(ctx, ep)
	if err != nil {
		return err
	}
	stop := context.AfterFunc(ctx, func() { _ = raw.Close() })
	defer stop()
	rd := ldapwire.NewReader(raw)
	if err := wireBind(raw, rd, s.c.cfg.BindUser, []byte(s.c.cfg.Password.Reveal()), s.c.cfg.Timeout); err != nil {
		_ = raw.Close() // the bind error is the one to report
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return err
	}
	p := newPager(raw, rd, ldapwire.SearchRequest{
		Base: d.nc, Scope: goldap.ScopeWholeSubtree, Deref: goldap.NeverDerefAliases,
		TimeLimit: int64(s.timeLimit()), Filter: s.c.filter, Attrs: attrs,
		PageSize: int64(s.c.cfg.PageSize),
	}, s.c.cfg.Timeout)
	defer func() {
		_ = raw.Close() // unblocks the reader; read-only, nothing to flush
		p.stop()
	}()
	for {
		pg := p.next()
		if pg == nil {
			return nil
		}
		err := s.page(ctx, conn, d, pg)
		p.release(pg)
		if err != nil {
			return err
		}
	}
}

// page decodes one page of the bulk search and emits its objects. A page
// that ends in an error result emits nothing, as go-ldap's Search did.
func (s *scan) page(ctx context.Context, conn searcher, d domain, pg *page) error {
	if pg.err != nil {
		return fmt.Errorf("search %s: %w", d.nc, pg.err)
	}
	m := &s.msg
	n := len(pg.ends)
	start := 0
	if n > 1 {
		start = pg.ends[n-2]
	}
	if err := m.Decode(pg.buf[start:pg.ends[n-1]]); err != nil {
		return fmt.Errorf("search %s: %w", d.nc, goldap.NewError(goldap.ErrorNetwork, wireReadError(err)))
	}
	if code := m.Result.Code; code != 0 {
		result := m.Result
		result.Referrals = nil
		var refs []string
		for _, u := range m.Result.Referrals {
			refs = append(refs, string(u))
		}
		if err := s.references(pg); err != nil {
			return err
		}
		if code == goldap.LDAPResultReferral {
			if len(refs) == 0 {
				refs = []string{"(no URL)"}
			}
			s.noteReferrals(refs)
			return fmt.Errorf("%s is not held by this server (referral not followed)", d.nc)
		}
		return fmt.Errorf("search %s: %w", d.nc, resultError(&result))
	}
	s.pages++
	start = 0
	for _, end := range pg.ends[:n-1] {
		if err := m.Decode(pg.buf[start:end]); err != nil {
			return fmt.Errorf("search %s: %w", d.nc, goldap.NewError(goldap.ErrorNetwork, wireReadError(err)))
		}
		start = end
		switch m.Op {
		case ldapwire.OpSearchResultReference:
			s.noteURIs(m.URIs)
		case ldapwire.OpSearchResultEntry:
			if strings.EqualFold(string(m.DN), d.nc) {
				continue // emitted first
			}
			if err := s.emit(ctx, conn, string(m.DN), m.Attrs); err != nil {
				return err
			}
		}
	}
	return nil
}

// references notes the search result references of a page.
func (s *scan) references(pg *page) error {
	var m ldapwire.Message
	start := 0
	for _, end := range pg.ends {
		if err := m.Decode(pg.buf[start:end]); err == nil && m.Op == ldapwire.OpSearchResultReference {
			s.noteURIs(m.URIs)
		}
		start = end
	}
	return nil
}

func (s *scan) noteURIs(uris [][]byte) {
	for _, u := range uris {
		s.note("referral to " + string(u) + " not followed")
	}
}

// intern returns name as a string, the same string for the same bytes.
func (s *scan) intern(name []byte) string {
	if v, ok := s.names[string(name)]; ok {
		return v
	}
	v := string(name)
	if s.names == nil || len(s.names) > 1024 {
		s.names = map[string]string{} // a server sending endless new names
	}
	s.names[v] = v
	return v
}

// emit completes ranged attributes of one entry, builds its record and
// puts it into the sink. The attribute values may point into a page
// buffer: NewDirObject copies them.
func (s *scan) emit(ctx context.Context, conn searcher, dn string, attrs []ldapwire.Attribute) error {
	if s.raw == nil || len(s.raw) > 256 {
		s.raw = make(map[string][][]byte, 64)
	}
	for k, v := range s.raw {
		s.raw[k] = v[:0] // NewDirObject skips empty attributes
	}
	for _, a := range attrs {
		if bytes.IndexByte(a.Name, ';') < 0 {
			name := s.intern(a.Name)
			s.raw[name] = append(s.raw[name], a.Values...)
			continue
		}
		r, ok := parseRange(string(a.Name))
		if !ok {
			name := s.intern(a.Name)
			s.raw[name] = append(s.raw[name], a.Values...)
			continue
		}
		s.raw[r.Base] = append(s.raw[r.Base], a.Values...)
		if !r.Last {
			more, err := s.fetchRange(conn, dn, r)
			if err != nil {
				return err
			}
			s.raw[r.Base] = append(s.raw[r.Base], more...)
		}
	}
	obj := snapshot.NewDirObject(dn, s.raw)
	s.count.Add(obj, len(attrs))
	if err := s.sink.Put(&snapshot.Record{Dir: obj}); err != nil {
		return &sinkError{err: fmt.Errorf("ldap: %w", err)}
	}
	s.objects++
	if p := s.c.cfg.Progress; p != nil {
		p.Update(s.c.Name(), s.objects, s.pages)
	}
	return ctx.Err()
}

// fetchRange retrieves the values of a ranged attribute after r with
// base-scope searches on the object, until the server marks the last chunk
// with "*".
func (s *scan) fetchRange(conn searcher, dn string, r valueRange) ([][]byte, error) {
	var out [][]byte
	for !r.Last {
		want := nextRangeRequest(r)
		res, err := s.search(conn, dn, goldap.ScopeBaseObject, "(objectClass=*)", []string{want})
		if err != nil {
			return nil, fmt.Errorf("range retrieval of %s on %s: %w", want, dn, err)
		}
		var next valueRange
		found := false
		for _, e := range res.Entries {
			for _, a := range e.Attributes {
				nr, ok := parseRange(a.Name)
				if !ok || !strings.EqualFold(nr.Base, r.Base) {
					continue
				}
				out = append(out, a.ByteValues...)
				next, found = nr, true
			}
		}
		if !found {
			return out, nil // no more values
		}
		if next.Lo != r.Hi+1 || (!next.Last && next.Hi < next.Lo) {
			return nil, fmt.Errorf("range retrieval of %s on %s: server answered range %d-%d", want, dn, next.Lo, next.Hi)
		}
		r = next
	}
	return out, nil
}

// interrupted is the failure of a scan stopped by cancellation.
func (s *scan) interrupted() error {
	return fmt.Errorf("interrupted after %d objects", s.objects)
}
