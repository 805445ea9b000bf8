package ldap

import (
	"context"
	"errors"
	"fmt"
	"net"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	ber "github.com/go-asn1-ber/asn1-ber"
	goldap "github.com/go-ldap/ldap/v3"

	"github.com/preflight-scan/preflight/snapshot"
)

// collect runs c into a slice of directory objects.
func collect(t *testing.T, ctx context.Context, c *Collector, f *fakeDir) ([]*snapshot.DirObject, snapshot.Source) {
	t.Helper()
	var got []*snapshot.DirObject
	sink := snapshot.SinkFunc(func(r *snapshot.Record) error {
		if r.Dir != nil {
			got = append(got, r.Dir)
			if f != nil {
				f.log("put " + r.Dir.DN)
			}
		}
		return nil
	})
	src, err := c.Collect(ctx, sink)
	if err != nil {
		t.Fatalf("Collect returned error %v; runtime failures must be a source status", err)
	}
	return got, src
}

func TestCollectStreamsPagesDomainFirstAndCompletesRanges(t *testing.T) {
	f := smallDomain(350, 320)
	f.maxVal = 150 // like MaxValRange 1500, scaled down
	c := newTestCollector(f, testConfig())
	got, src := collect(t, context.Background(), c, f)

	if src.Status != snapshot.StatusOK || src.Error != "" {
		t.Fatalf("source = %+v, want ok", src)
	}
	if src.Name != "ldaps://dc1.corp.example:636" || src.Kind != "ldap" {
		t.Errorf("source name/kind = %q/%q", src.Name, src.Kind)
	}
	if !reflect.DeepEqual(src.Areas, []snapshot.Area{snapshot.AreaDirectory, snapshot.AreaClients}) {
		t.Errorf("areas = %v, want directory and clients (computers feed CLI-001)", src.Areas)
	}
	// 1 domain + 350 contacts + 1 group, the domain object exactly once and first.
	if len(got) != 352 || src.Objects != 352 {
		t.Fatalf("got %d objects (source says %d), want 352", len(got), src.Objects)
	}
	if got[0].Kind != snapshot.KindDomain {
		t.Errorf("first object is %s %s, want the domain object first", got[0].Kind, got[0].DN)
	}
	domains := 0
	for _, o := range got {
		if o.Kind == snapshot.KindDomain {
			domains++
		}
	}
	if domains != 1 {
		t.Errorf("domain object emitted %d times, want once", domains)
	}
	group := got[len(got)-1]
	members := group.Attrs["member"]
	if len(members) != 320 {
		t.Fatalf("group has %d members after range retrieval, want 320", len(members))
	}
	for i, m := range members {
		if want := fmt.Sprintf("CN=c%05d,OU=People,DC=corp,DC=example", i); m != want {
			t.Fatalf("member %d = %q, want %q (values out of order or lost)", i, m, want)
		}
	}
	for k := range group.Attrs {
		if strings.Contains(k, ";") {
			t.Errorf("attribute %q kept its range option", k)
		}
	}

	// Range retrieval: base-scope follow-ups until the "*" marker.
	var ranges []string
	for _, e := range f.events {
		if strings.HasPrefix(e, "range ") {
			ranges = append(ranges, strings.TrimPrefix(e, "range "))
		}
	}
	if want := []string{"member;range=150-*", "member;range=300-*"}; !slices.Equal(ranges, want) {
		t.Errorf("range requests = %v, want %v", ranges, want)
	}

	// Exactly the snapshot's attributes, the documented filter, a time
	// limit, paging on every subtree request; bind before any search.
	want := snapshot.DirectoryAttributes()
	pages := 0
	for _, req := range f.searches {
		if req.Scope != goldap.ScopeWholeSubtree {
			continue
		}
		pages++
		if req.Filter != Filter {
			t.Errorf("filter = %q", req.Filter)
		}
		if !slices.Equal(req.Attributes, want) {
			t.Errorf("attributes = %v, want snapshot.DirectoryAttributes()", req.Attributes)
		}
		if req.TimeLimit <= 0 {
			t.Errorf("no time limit on the search")
		}
		if p, _ := goldap.FindControl(req.Controls, goldap.ControlTypePaging).(*goldap.ControlPaging); p == nil || p.PagingSize != 100 {
			t.Errorf("subtree search without paging control of size 100")
		}
	}
	if pages != 4 {
		t.Errorf("%d subtree pages, want 4 (352 objects / 100)", pages)
	}
	if !strings.HasPrefix(f.events[0], "bind ") {
		t.Errorf("first event %q, want the bind", f.events[0])
	}
}

// TestCollectIsStreamed proves that memory is bounded to about two
// pages: the request for page n+3 is sent only after the last object of
// page n reached the sink (page n+1 is asked for as soon as page n has
// arrived, page n+2 while n+1 is read, then the reader waits for n's
// buffer).
func TestCollectIsStreamed(t *testing.T) {
	f := smallDomain(900, 0)
	c := newTestCollector(f, testConfig())
	collect(t, context.Background(), c, f)
	idx := func(e string) int { return slices.Index(f.events, e) }
	for n := 1; n+3 <= 10; n++ {
		last := fmt.Sprintf("put CN=c%05d,OU=People,DC=corp,DC=example", n*100-2) // the domain object is entry 0 of page 1
		if p, put := idx(fmt.Sprintf("page %d", n+3)), idx(last); p < 0 || put < 0 || put > p {
			t.Errorf("page %d requested at event %d, last object of page %d put at %d: more than two pages held", n+3, p, n, put)
		}
	}
}

func TestCollectEveryDomainOfTheForest(t *testing.T) {
	forest := func() (*fakeDir, *fakeDir) {
		f := smallDomain(3, 0)
		f.config = "CN=Configuration,DC=corp,DC=example"
		f.crossRef = []*goldap.Entry{
			entry("CN=Enterprise Configuration,CN=Partitions,CN=Configuration,DC=corp,DC=example",
				attr("nCName", "CN=Configuration,DC=corp,DC=example"), attr("dnsRoot", "corp.example"), attr("systemFlags", "1")),
			entry("CN=CHILD,CN=Partitions,CN=Configuration,DC=corp,DC=example",
				attr("nCName", "DC=child,DC=corp,DC=example"), attr("dnsRoot", "child.corp.example"), attr("systemFlags", "3"), attr("nETBIOSName", "CHILD")),
			entry("CN=CORP,CN=Partitions,CN=Configuration,DC=corp,DC=example",
				attr("nCName", "DC=corp,DC=example"), attr("dnsRoot", "corp.example"), attr("systemFlags", "3"), attr("nETBIOSName", "CORP")),
		}
		child := newFakeDir("DC=child,DC=corp,DC=example")
		child.objects = []*goldap.Entry{
			entry("DC=child,DC=corp,DC=example", attr("objectClass", "top", "domain", "domainDNS")),
			entry("CN=u1,DC=child,DC=corp,DC=example", attr("objectClass", "top", "person", "user")),
		}
		return f, child
	}

	t.Run("child reachable", func(t *testing.T) {
		f, child := forest()
		c := newTestCollector(f, testConfig())
		var hosts []string
		c.dial = func(ctx context.Context, e Endpoint) (searcher, error) {
			hosts = append(hosts, e.String())
			if e.Host == "child.corp.example" {
				return child.dialer()(ctx, e)
			}
			return f.dialer()(ctx, e)
		}
		c.wire = func(ctx context.Context, e Endpoint) (net.Conn, error) {
			if e.Host == "child.corp.example" {
				return child.wireDialer()(ctx, e)
			}
			return f.wireDialer()(ctx, e)
		}
		got, src := collect(t, context.Background(), c, nil)
		if src.Status != snapshot.StatusOK {
			t.Fatalf("source = %+v", src)
		}
		if want := []string{"ldaps://dc1.corp.example:636", "ldaps://child.corp.example:636"}; !slices.Equal(hosts, want) {
			t.Errorf("dialled %v, want %v (own domain on the same server, the child through its dnsRoot with the same port and TLS)", hosts, want)
		}
		var dns []string
		for _, o := range got {
			dns = append(dns, o.Domain)
		}
		if len(got) != 6 || got[0].DN != "DC=corp,DC=example" || got[4].DN != "DC=child,DC=corp,DC=example" {
			t.Errorf("objects by domain = %v", dns)
		}
	})

	t.Run("child unreachable is an error naming the domain", func(t *testing.T) {
		f, _ := forest()
		c := newTestCollector(f, testConfig())
		c.dial = func(_ context.Context, e Endpoint) (searcher, error) {
			if e.Host == "child.corp.example" {
				return nil, &connectError{addr: e.Address(), err: errors.New("dial tcp: lookup child.corp.example: no such host")}
			}
			return f, nil
		}
		got, src := collect(t, context.Background(), c, nil)
		if src.Status != snapshot.StatusError {
			t.Fatalf("status = %s, want error: a domain that could not be read must not pass silently", src.Status)
		}
		if want := "domain child.corp.example: connect to child.corp.example:636: no such host"; src.Error != want {
			t.Errorf("error = %q, want %q", src.Error, want)
		}
		if len(got) != 4 {
			t.Errorf("got %d objects of the reachable domain, want 4", len(got))
		}
	})
}

func TestCollectBaseDNLimitsToOneBase(t *testing.T) {
	f := smallDomain(5, 0)
	f.config = "CN=Configuration,DC=corp,DC=example"
	cfg := testConfig()
	cfg.BaseDN = "DC=corp,DC=example"
	got, src := collect(t, context.Background(), newTestCollector(f, cfg), nil)
	if src.Status != snapshot.StatusOK || len(got) != 6 {
		t.Fatalf("source %+v, %d objects", src, len(got))
	}
	for _, req := range f.searches {
		if req.BaseDN == "" || strings.HasPrefix(req.BaseDN, "CN=Partitions") {
			t.Errorf("searched %q although --base-dn was given", req.BaseDN)
		}
	}
}

func TestCollectNotesReferrals(t *testing.T) {
	f := smallDomain(150, 0)
	f.refs = []string{"ldap://corp.example/CN=Configuration,DC=corp,DC=example", "ldap://ForestDnsZones.corp.example/DC=ForestDnsZones,DC=corp,DC=example"}
	_, src := collect(t, context.Background(), newTestCollector(f, testConfig()), nil)
	want := []string{
		"referral to ldap://corp.example/CN=Configuration,DC=corp,DC=example not followed",
		"referral to ldap://ForestDnsZones.corp.example/DC=ForestDnsZones,DC=corp,DC=example not followed",
	}
	if src.Status != snapshot.StatusOK || !slices.Equal(src.Notes, want) {
		t.Errorf("status %s, notes %q, want ok and %q (each once)", src.Status, src.Notes, want)
	}
}

func TestReferralsOfResult(t *testing.T) {
	// A SearchResultDone with resultCode referral(10) and one URI.
	err := referralError("ldap://other.example/DC=other,DC=example")
	if got := referralsOf(err); !slices.Equal(got, []string{"ldap://other.example/DC=other,DC=example"}) {
		t.Errorf("referralsOf = %q", got)
	}
	if referralsOf(errors.New("x")) != nil {
		t.Error("plain error has referrals")
	}

	f := smallDomain(1, 0)
	f.failOn = func(req *goldap.SearchRequest, _ int) error {
		if req.Scope == goldap.ScopeBaseObject && req.BaseDN != "" {
			return err
		}
		return nil
	}
	_, src := collect(t, context.Background(), newTestCollector(f, testConfig()), nil)
	if src.Status != snapshot.StatusError || !strings.Contains(src.Error, "not held by this server") ||
		!slices.Contains(src.Notes, "referral to ldap://other.example/DC=other,DC=example not followed") {
		t.Errorf("source = %+v", src)
	}
}

func TestCollectFailures(t *testing.T) {
	lost := goldap.NewError(goldap.ErrorNetwork, errors.New("ldap: response channel closed"))
	cases := []struct {
		name   string
		setup  func(f *fakeDir, c *Collector)
		want   string
		prefix bool
	}{
		{"wrong password", func(f *fakeDir, _ *Collector) { f.password = "other" },
			"bind as scanner@corp.example: invalid credentials (server: 80090308: LdapErr: DSID-0C09042A, comment: AcceptSecurityContext error, data 52e, v3839)", false},
		{"connection lost mid-scan", func(f *fakeDir, _ *Collector) {
			f.failOn = func(req *goldap.SearchRequest, _ int) error {
				if req.Scope == goldap.ScopeWholeSubtree {
					if p, _ := goldap.FindControl(req.Controls, goldap.ControlTypePaging).(*goldap.ControlPaging); len(p.Cookie) > 0 && string(p.Cookie) == "200" {
						return lost
					}
				}
				return nil
			}
		}, "connection lost after 200 objects: the server closed the connection", false},
		{"request timeout", func(f *fakeDir, c *Collector) {
			c.cfg.Timeout = 300 * time.Millisecond // the fake never answers
			f.failOn = func(req *goldap.SearchRequest, _ int) error {
				if req.Scope == goldap.ScopeWholeSubtree {
					return goldap.NewError(goldap.ErrorNetwork, errors.New("ldap: connection timed out"))
				}
				return nil
			}
		}, "no answer within 300ms after 1 objects", false},
		{"server time limit", func(f *fakeDir, _ *Collector) {
			f.failOn = func(req *goldap.SearchRequest, _ int) error {
				if req.Scope == goldap.ScopeWholeSubtree {
					return goldap.NewError(goldap.LDAPResultTimeLimitExceeded, errors.New("query took too long"))
				}
				return nil
			}
		}, "search DC=corp,DC=example: time limit exceeded (LDAP result 3) (server: query took too long)", false},
		{"unreachable", func(_ *fakeDir, c *Collector) {
			c.dial = func(_ context.Context, e Endpoint) (searcher, error) {
				return nil, &connectError{addr: e.Address(), err: errors.New("dial tcp 10.0.0.1:636: connect: connection refused")}
			}
		}, "connect to dc1.corp.example:636: connection refused", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := smallDomain(400, 0)
			c := newTestCollector(f, testConfig())
			tc.setup(f, c)
			_, src := collect(t, context.Background(), c, nil)
			if src.Status != snapshot.StatusError || src.Error != tc.want {
				t.Errorf("source = %s %q, want error %q", src.Status, src.Error, tc.want)
			}
			if strings.Contains(src.Error, "s3cret") || strings.Contains(fmt.Sprint(src), "s3cret") {
				t.Error("the password leaked into the source")
			}
		})
	}
}

func TestCollectCancelStopsPromptly(t *testing.T) {
	t.Run("during a blocked search", func(t *testing.T) {
		f := smallDomain(10, 0)
		f.block = true
		ctx, cancel := context.WithCancel(context.Background())
		c := newTestCollector(f, testConfig())
		sink := snapshot.SinkFunc(func(r *snapshot.Record) error {
			if r.Dir != nil && r.Dir.Kind == snapshot.KindDomain {
				cancel() // the subtree search now blocks until the connection closes
			}
			return nil
		})
		src, err := c.Collect(ctx, sink)
		if err != nil || src.Status != snapshot.StatusError || src.Error != "interrupted after 1 objects" {
			t.Errorf("Collect = %+v, %v; want error \"interrupted after 1 objects\"", src, err)
		}
	})
	t.Run("between objects", func(t *testing.T) {
		f := smallDomain(500, 0)
		ctx, cancel := context.WithCancel(context.Background())
		n := 0
		sink := snapshot.SinkFunc(func(_ *snapshot.Record) error {
			if n++; n == 42 {
				cancel()
			}
			return nil
		})
		src, _ := newTestCollector(f, testConfig()).Collect(ctx, sink)
		if src.Error != "interrupted after 42 objects" || n != 42 {
			t.Errorf("error %q after %d puts, want interrupted after 42 objects", src.Error, n)
		}
	})
}

func TestSinkFailureIsReturned(t *testing.T) {
	f := smallDomain(3, 0)
	boom := errors.New("disk full")
	_, err := newTestCollector(f, testConfig()).Collect(context.Background(),
		snapshot.SinkFunc(func(*snapshot.Record) error { return boom }))
	if !errors.Is(err, boom) {
		t.Errorf("err = %v, want the sink's error", err)
	}
}

func TestFetchRangeRejectsNonProgress(t *testing.T) {
	f := smallDomain(0, 0)
	f.failOn = func(_ *goldap.SearchRequest, _ int) error { return nil }
	bad := &badRange{}
	s := &scan{c: newTestCollector(f, testConfig()), seen: map[string]bool{}}
	_, err := s.fetchRange(bad, "CN=g", valueRange{Base: "member", Lo: 0, Hi: 9})
	if err == nil || !strings.Contains(err.Error(), "server answered range 0-9") {
		t.Errorf("err = %v, want a refusal to loop on a range that does not advance", err)
	}
}

// badRange answers every range request with the first chunk again.
type badRange struct{}

func (badRange) Bind(string, string) error { return nil }
func (badRange) Close() error              { return nil }
func (badRange) Search(req *goldap.SearchRequest) (*goldap.SearchResult, error) {
	return &goldap.SearchResult{Entries: []*goldap.Entry{entry(req.BaseDN, attr("member;range=0-9", "x"))}}, nil
}

func TestNewValidates(t *testing.T) {
	cfg := testConfig()
	cfg.BindUser = ""
	if _, err := New(cfg); err == nil {
		t.Error("no bind user accepted")
	}
	cfg = testConfig()
	cfg.Password = Secret{}
	if _, err := New(cfg); !errors.Is(err, ErrNoPassword) {
		t.Errorf("no password: %v", err)
	}
}

// referralError is the error go-ldap returns for a search answered with
// resultCode referral (10) carrying uri, decoded from wire bytes.
func referralError(uri string) error {
	pkt := ber.Encode(ber.ClassUniversal, ber.TypeConstructed, ber.TagSequence, nil, "LDAP Response")
	pkt.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagInteger, int64(2), "MessageID"))
	op := ber.Encode(ber.ClassApplication, ber.TypeConstructed, goldap.ApplicationSearchResultDone, nil, "Search Result Done")
	op.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagEnumerated, int64(goldap.LDAPResultReferral), "resultCode"))
	op.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, "", "matchedDN"))
	op.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, "", "diagnosticMessage"))
	ref := ber.Encode(ber.ClassContext, ber.TypeConstructed, 3, nil, "Referral")
	ref.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, uri, "URI"))
	op.AppendChild(ref)
	pkt.AppendChild(op)
	decoded, err := ber.DecodePacketErr(pkt.Bytes())
	if err != nil {
		panic(err)
	}
	return goldap.GetLDAPError(decoded)
}

func TestNotesForGlobalCatalogPortAndPlaintext(t *testing.T) {
	for _, tc := range []struct {
		url      string
		insecure bool
		want     string
	}{
		{"ldaps://dc1.corp.example:3269", false, "port 3269 is the Global Catalog"},
		{"ldap://dc1.corp.example", true, "plaintext LDAP (--ldap-insecure-plaintext)"},
	} {
		cfg := testConfig()
		cfg.Endpoint, _ = ParseURL(tc.url, tc.insecure)
		_, src := collect(t, context.Background(), newTestCollector(smallDomain(1, 0), cfg), nil)
		if !slices.ContainsFunc(src.Notes, func(n string) bool { return strings.HasPrefix(n, tc.want) }) {
			t.Errorf("%s: notes %q, want %q", tc.url, src.Notes, tc.want)
		}
	}
}

// view is one connection to a fake directory: closing it leaves the
// directory (and other connections) up.
type view struct {
	*fakeDir
	closed bool
}

func (v *view) Close() error { v.closed = true; return nil }
func (v *view) Search(req *goldap.SearchRequest) (*goldap.SearchResult, error) {
	if v.closed {
		return nil, goldap.NewError(goldap.ErrorNetwork, errors.New("ldap: connection closed"))
	}
	return v.fakeDir.Search(req)
}

// TestRangeRetrievalReconnects: the server dropped the idle range
// connection during the bulk read (AD's MaxConnIdleTime); the next range
// request dials and binds again and the group keeps every member.
func TestRangeRetrievalReconnects(t *testing.T) {
	f := smallDomain(300, 300)
	f.maxVal = 100
	c := newTestCollector(f, testConfig())
	var conns []*view
	c.dial = func(_ context.Context, _ Endpoint) (searcher, error) {
		v := &view{fakeDir: f}
		conns = append(conns, v)
		return v, nil
	}
	f.failOn = func(req *goldap.SearchRequest, _ int) error {
		if strings.Contains(strings.Join(req.Attributes, ","), ";range=") && len(conns) == 1 {
			conns[0].closed = true
			return goldap.NewError(goldap.ErrorNetwork, errors.New("ldap: connection closed"))
		}
		return nil
	}
	got, src := collect(t, context.Background(), c, nil)
	if src.Status != snapshot.StatusOK {
		t.Fatalf("source = %+v, want ok after reconnecting", src)
	}
	if len(conns) != 2 {
		t.Errorf("%d connections dialled, want 2 (the first dropped)", len(conns))
	}
	if g := got[len(got)-1]; len(g.Attrs["member"]) != 300 {
		t.Errorf("group has %d members, want 300", len(g.Attrs["member"]))
	}
}
