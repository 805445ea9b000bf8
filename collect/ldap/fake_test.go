package ldap

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	goldap "github.com/go-ldap/ldap/v3"
)

// fakeDir is an in-process directory server behind the searcher
// interface: a RootDSE, CN=Partitions, one domain's objects served in pages
// with a cookie, and ranged values above maxVal like Active Directory.
type fakeDir struct {
	mu       sync.Mutex
	nc       string // naming context
	config   string // configuration naming context ("" = none)
	password string
	crossRef []*goldap.Entry
	objects  []*goldap.Entry // subtree result, domain object included
	refs     []string        // search result references on every page
	maxVal   int             // values per attribute before ranging (0 = never)

	// failOn, if set, is called before every search; a non-nil error is
	// returned instead of the result.
	failOn func(req *goldap.SearchRequest, n int) error
	// block makes subtree searches wait until Close.
	block bool

	events   []string // "bind", "search <base> <scope> <attrs>", "page N"
	searches []*goldap.SearchRequest
	closed   chan struct{}
	once     sync.Once
}

func newFakeDir(nc string) *fakeDir {
	return &fakeDir{nc: nc, password: "s3cret!", closed: make(chan struct{})}
}

func (f *fakeDir) log(e string) {
	f.mu.Lock()
	f.events = append(f.events, e)
	f.mu.Unlock()
}

func (f *fakeDir) Bind(user, password string) error {
	f.log("bind " + user)
	if password != f.password {
		return goldap.NewError(goldap.LDAPResultInvalidCredentials, errors.New("80090308: LdapErr: DSID-0C09042A, comment: AcceptSecurityContext error, data 52e, v3839"))
	}
	return nil
}

func (f *fakeDir) Close() error {
	f.once.Do(func() { close(f.closed) })
	return nil
}

func (f *fakeDir) Search(req *goldap.SearchRequest) (*goldap.SearchResult, error) {
	f.mu.Lock()
	f.searches = append(f.searches, req)
	n := len(f.searches)
	f.mu.Unlock()
	select {
	case <-f.closed:
		return nil, goldap.NewError(goldap.ErrorNetwork, errors.New("ldap: connection closed"))
	default:
	}
	if f.failOn != nil {
		if err := f.failOn(req, n); err != nil {
			return nil, err
		}
	}
	res := &goldap.SearchResult{}
	switch {
	case req.BaseDN == "":
		e := &goldap.Entry{DN: ""}
		e.Attributes = append(e.Attributes, attr("defaultNamingContext", f.nc))
		if f.config != "" {
			e.Attributes = append(e.Attributes, attr("configurationNamingContext", f.config))
		}
		res.Entries = []*goldap.Entry{e}
	case strings.HasPrefix(req.BaseDN, "CN=Partitions,"):
		res.Entries = f.crossRef
	case req.Scope == goldap.ScopeBaseObject && len(req.Attributes) == 1 && strings.Contains(req.Attributes[0], ";range="):
		return f.rangeSearch(req)
	case req.Scope == goldap.ScopeBaseObject:
		for _, o := range f.objects {
			if strings.EqualFold(o.DN, req.BaseDN) {
				res.Entries = []*goldap.Entry{f.serve(o)}
			}
		}
		if len(res.Entries) == 0 {
			return nil, goldap.NewError(goldap.LDAPResultNoSuchObject, errors.New("no such object"))
		}
	default:
		if f.block {
			<-f.closed
			return nil, goldap.NewError(goldap.ErrorNetwork, errors.New("ldap: response channel closed"))
		}
		paging, _ := goldap.FindControl(req.Controls, goldap.ControlTypePaging).(*goldap.ControlPaging)
		if paging == nil {
			return nil, errors.New("fake: subtree search without paging control")
		}
		start := 0
		if len(paging.Cookie) > 0 {
			start, _ = strconv.Atoi(string(paging.Cookie))
		}
		end := min(start+int(paging.PagingSize), len(f.objects))
		f.log(fmt.Sprintf("page %d", start/int(paging.PagingSize)+1))
		for _, o := range f.objects[start:end] {
			res.Entries = append(res.Entries, f.serve(o))
		}
		res.Referrals = append(res.Referrals, f.refs...)
		cookie := []byte(nil)
		if end < len(f.objects) {
			cookie = []byte(strconv.Itoa(end))
		}
		res.Controls = []goldap.Control{&goldap.ControlPaging{Cookie: cookie}}
	}
	return res, nil
}

// serve returns the object as the server sends it: attributes with more
// than maxVal values are cut to "attr;range=0-(maxVal-1)".
func (f *fakeDir) serve(o *goldap.Entry) *goldap.Entry {
	out := &goldap.Entry{DN: o.DN}
	for _, a := range o.Attributes {
		if f.maxVal > 0 && len(a.ByteValues) > f.maxVal {
			out.Attributes = append(out.Attributes, &goldap.EntryAttribute{
				Name:       fmt.Sprintf("%s;range=0-%d", a.Name, f.maxVal-1),
				ByteValues: a.ByteValues[:f.maxVal],
			})
			continue
		}
		out.Attributes = append(out.Attributes, a)
	}
	return out
}

func (f *fakeDir) rangeSearch(req *goldap.SearchRequest) (*goldap.SearchResult, error) {
	r, ok := parseRange(req.Attributes[0])
	if !ok {
		return nil, fmt.Errorf("fake: bad range request %q", req.Attributes[0])
	}
	f.log("range " + req.Attributes[0])
	for _, o := range f.objects {
		if !strings.EqualFold(o.DN, req.BaseDN) {
			continue
		}
		for _, a := range o.Attributes {
			if !strings.EqualFold(a.Name, r.Base) {
				continue
			}
			hi := min(r.Lo+f.maxVal, len(a.ByteValues)) - 1
			name := fmt.Sprintf("%s;range=%d-%d", a.Name, r.Lo, hi)
			if hi == len(a.ByteValues)-1 {
				name = fmt.Sprintf("%s;range=%d-*", a.Name, r.Lo)
			}
			e := &goldap.Entry{DN: o.DN, Attributes: []*goldap.EntryAttribute{{Name: name, ByteValues: a.ByteValues[r.Lo : hi+1]}}}
			return &goldap.SearchResult{Entries: []*goldap.Entry{e}}, nil
		}
	}
	return &goldap.SearchResult{}, nil
}

// dialer returns a dialer handing out f, reopened if an earlier Collect
// closed it.
func (f *fakeDir) dialer() dialer {
	return func(_ context.Context, _ Endpoint) (searcher, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		select {
		case <-f.closed:
			f.closed = make(chan struct{})
			f.once = sync.Once{}
		default:
		}
		return f, nil
	}
}

func attr(name string, vals ...string) *goldap.EntryAttribute {
	a := &goldap.EntryAttribute{Name: name, Values: vals}
	for _, v := range vals {
		a.ByteValues = append(a.ByteValues, []byte(v))
	}
	return a
}

func entry(dn string, attrs ...*goldap.EntryAttribute) *goldap.Entry {
	return &goldap.Entry{DN: dn, Attributes: attrs}
}

// smallDomain is a domain object, n contacts and a group with members
// members.
func smallDomain(n, members int) *fakeDir {
	f := newFakeDir("DC=corp,DC=example")
	f.objects = append(f.objects, entry("DC=corp,DC=example",
		attr("objectClass", "top", "domain", "domainDNS"), attr("maxPwdAge", "-36288000000000"), attr("minPwdLength", "7")))
	var dns []string
	for i := range n {
		dn := fmt.Sprintf("CN=c%05d,OU=People,DC=corp,DC=example", i)
		f.objects = append(f.objects, entry(dn, attr("objectClass", "top", "contact"), attr("mail", fmt.Sprintf("c%05d@corp.example", i))))
		if i < members {
			dns = append(dns, dn)
		}
	}
	if members > 0 {
		f.objects = append(f.objects, entry("CN=Big,OU=Groups,DC=corp,DC=example",
			attr("objectClass", "top", "group"), attr("member", dns...), attr("sAMAccountName", "big")))
	}
	return f
}

func testConfig() Config {
	ep, _ := ParseURL("ldaps://dc1.corp.example", false)
	return Config{Endpoint: ep, BindUser: "scanner@corp.example", Password: NewSecret("s3cret!"), PageSize: 100}
}

func newTestCollector(f *fakeDir, cfg Config) *Collector {
	c, err := New(cfg)
	if err != nil {
		panic(err)
	}
	c.dial = f.dialer()
	c.wire = f.wireDialer()
	return c
}
