package snapshot

import (
	"sort"
	"strings"

	"github.com/preflight-scan/preflight/internal/dnsname"
)

// Inventory counts what a snapshot holds. It is small whatever the size of
// the directory.
type Inventory struct {
	Users             int64    `json:"users"`
	EnabledUsers      int64    `json:"enabled_users"`
	DisabledUsers     int64    `json:"disabled_users"`
	Contacts          int64    `json:"contacts"`
	Groups            int64    `json:"groups"`
	Computers         int64    `json:"computers"`
	MailEnabled       int64    `json:"mail_enabled"`
	Mailboxes         int64    `json:"mailboxes"`
	Folders           int64    `json:"folders"`
	TotalMailboxBytes int64    `json:"total_mailbox_bytes"`
	Domains           []string `json:"domains"`
}

// DomainSeen is a mail domain found in the snapshot and where.
type DomainSeen struct {
	Name   string
	SeenIn []string
}

// Tally is a sink that counts the inventory and collects the mail domains
// seen in the directory (UPN suffixes, mail and proxy-address domains).
type Tally struct {
	inv     Inventory
	domains map[string]map[string]bool
}

// NewTally returns an empty tally.
func NewTally() *Tally {
	return &Tally{domains: map[string]map[string]bool{}}
}

// Put counts one record.
func (t *Tally) Put(r *Record) error {
	switch {
	case r.Dir != nil:
		o := r.Dir
		switch o.Kind {
		case KindUser:
			t.inv.Users++
			if o.Disabled() {
				t.inv.DisabledUsers++
			} else {
				t.inv.EnabledUsers++
			}
			if upn := o.First("userprincipalname"); upn != "" {
				t.seen(domainOf(upn), "UPN suffix")
			}
		case KindContact:
			t.inv.Contacts++
		case KindGroup:
			t.inv.Groups++
		case KindComputer:
			t.inv.Computers++
		}
		if o.Kind == KindUser || o.Kind == KindContact || o.Kind == KindGroup {
			if o.MailEnabled() {
				t.inv.MailEnabled++
			}
			if o.Kind != KindContact {
				// A contact's addresses belong to someone else's domain.
				// The addresses of SMTPAddresses, without building its slice.
				for _, p := range o.Attrs["proxyaddresses"] {
					if prefix, addr, ok := strings.Cut(p, ":"); ok && strings.EqualFold(prefix, "smtp") {
						t.seen(domainOf(addr), "proxy address")
					}
				}
				if m := o.First("mail"); m != "" {
					t.seen(domainOf(m), "proxy address")
				}
			}
		}
	case r.Mailbox != nil:
		t.inv.Mailboxes++
		t.inv.TotalMailboxBytes += r.Mailbox.TotalBytes
	case r.Folder != nil:
		t.inv.Folders++
	case r.DNS != nil:
		if r.DNS.Domain != "" {
			t.seen(r.DNS.Domain, "")
		}
	}
	return nil
}

func domainOf(addr string) string {
	_, d, ok := strings.Cut(addr, "@")
	if !ok {
		return ""
	}
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(d)), ".")
}

func (t *Tally) seen(d, where string) {
	if m, ok := t.domains[d]; ok {
		// Already checked: most addresses share a few domains.
		if where != "" && !m[where] {
			m[where] = true
		}
		return
	}
	if d == "" || !strings.Contains(d, ".") || strings.HasSuffix(d, ".onmicrosoft.com") || d == "onmicrosoft.com" {
		return
	}
	if dnsname.Check(d) != nil {
		// A malformed domain is a DIR-002 finding of the address, never
		// a DNS lookup.
		return
	}
	m := t.domains[d]
	if m == nil {
		m = map[string]bool{}
		t.domains[d] = m
	}
	if where != "" {
		m[where] = true
	}
}

// Inventory returns the counts so far, domains sorted.
func (t *Tally) Inventory() Inventory {
	inv := t.inv
	inv.Domains = nil
	for _, d := range t.MailDomains() {
		inv.Domains = append(inv.Domains, d.Name)
	}
	if inv.Domains == nil {
		inv.Domains = []string{}
	}
	return inv
}

// MailDomains returns the domains seen in the directory, sorted by name,
// each with where it was seen; onmicrosoft.com domains are left out.
func (t *Tally) MailDomains() []DomainSeen {
	out := make([]DomainSeen, 0, len(t.domains))
	for d, w := range t.domains {
		ds := DomainSeen{Name: d}
		for k := range w {
			ds.SeenIn = append(ds.SeenIn, k)
		}
		sort.Strings(ds.SeenIn)
		out = append(out, ds)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
