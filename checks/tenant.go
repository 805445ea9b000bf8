package checks

import (
	"fmt"
	"sort"
	"strings"

	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/snapshot"
)

// The tenant-to-tenant rules (T2T-001..005) read the Recipient records of
// the source and target tenants' exports (collect/tenant).

func addTenant(r Registry) {
	r["tenant.onmicrosoft_address"] = Typed(func(_ noParams, env Env) (Check, error) { return newT2T(env, t2tOnMicrosoft), nil })
	r["tenant.domain_still_held"] = Typed(func(_ noParams, env Env) (Check, error) { return newT2T(env, t2tStillHeld), nil })
	r["tenant.target_contacts"] = Typed(func(_ noParams, env Env) (Check, error) { return newT2T(env, t2tTargetContacts), nil })
	r["tenant.target_collision"] = Typed(func(_ noParams, env Env) (Check, error) { return newT2T(env, t2tCollision), nil })
	r["tenant.forwarding"] = Typed(func(_ noParams, env Env) (Check, error) { return newT2T(env, t2tForwarding), nil })
}

// RecipientKind sorts an Exchange RecipientTypeDetails (or RecipientType)
// into mailbox, contact, mailuser, group or other.
func RecipientKind(r *snapshot.Recipient) string {
	d := strings.ToLower(r.RecipientTypeDetails)
	if d == "" {
		d = strings.ToLower(r.RecipientType)
	}
	switch {
	case d == "":
		if r.ExchangeGUID != "" {
			return "mailbox"
		}
		return "other"
	case strings.Contains(d, "contact"):
		return "contact"
	case strings.Contains(d, "mailuser"):
		return "mailuser"
	case strings.Contains(d, "group"):
		return "group"
	case strings.HasSuffix(d, "mailbox"):
		return "mailbox"
	}
	return "other"
}

// reportKind maps a RecipientKind onto the report's object kinds.
func reportKind(k string) string {
	switch k {
	case "mailbox", "contact", "group":
		return k
	case "mailuser":
		return "user"
	}
	return "other"
}

// forRecipient starts a finding about a recipient.
func forRecipient(r *snapshot.Recipient) Finding {
	id := firstNonEmptyOf(r.PrimarySMTP, r.UPN, r.Identity, r.ExchangeGUID)
	return Finding{
		Object:   model.Object{Kind: reportKind(RecipientKind(r)), ID: id, Name: firstNonEmptyOf(r.DisplayName, r.Alias, id)},
		Identity: r.Side + ":" + strings.ToLower(firstNonEmptyOf(r.ExchangeGUID, id)),
	}
}

func firstNonEmptyOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// addrBare strips an address type prefix (smtp:, SIP:).
func addrBare(a string) string {
	if i := strings.IndexByte(a, ':'); i > 0 && i <= 12 && !strings.Contains(a[:i], "@") {
		return a[i+1:]
	}
	return a
}

func addrDomain(a string) string {
	_, d, ok := strings.Cut(addrBare(a), "@")
	if !ok {
		return ""
	}
	return strings.ToLower(strings.TrimSuffix(d, "."))
}

// TenantPrefix returns the tenant prefix of an onmicrosoft.com domain
// (fabrikam for fabrikam.onmicrosoft.com and fabrikam.mail.onmicrosoft.com).
func TenantPrefix(domain string) (string, bool) {
	p, ok := strings.CutSuffix(domain, ".onmicrosoft.com")
	if !ok {
		return "", false
	}
	p = strings.TrimSuffix(p, ".mail")
	if p == "" || strings.Contains(p, ".") {
		return "", false
	}
	return p, true
}

type t2tRule int

const (
	t2tOnMicrosoft t2tRule = iota
	t2tStillHeld
	t2tTargetContacts
	t2tCollision
	t2tForwarding
)

// t2tCheck holds the recipients of both sides until Finish: T2T-001 needs
// the tenant name, derived from all of them; T2T-004 joins the sides.
type t2tCheck struct {
	env    Env
	rule   t2tRule
	source []*snapshot.Recipient
	target []*snapshot.Recipient
}

func newT2T(env Env, rule t2tRule) Check { return &t2tCheck{env: env, rule: rule} }

func (c *t2tCheck) Observe(r *snapshot.Record, _ *Output) {
	if r.Recipient == nil {
		return
	}
	cp := *r.Recipient
	if cp.Side == snapshot.SideTarget {
		c.target = append(c.target, &cp)
	} else {
		c.source = append(c.source, &cp)
	}
}

func (c *t2tCheck) Finish(out *Output) {
	switch c.rule {
	case t2tOnMicrosoft:
		c.onMicrosoft(out)
	case t2tStillHeld:
		c.stillHeld(out)
	case t2tTargetContacts:
		c.targetContacts(out)
	case t2tCollision:
		c.collision(out)
	case t2tForwarding:
		c.forwarding(out)
	}
}

const noSourceExports = "no source tenant export given (--recipients, --mailboxes or --users)"

// tenant returns the tenant prefix and where it comes from: --tenant, or
// the prefix most of the source's onmicrosoft.com addresses carry.
func (c *t2tCheck) tenant() (string, string) {
	if c.env.Tenant != "" {
		return c.env.Tenant, "--tenant"
	}
	seen := map[string]int{}
	for _, r := range c.source {
		for _, a := range append(append([]string(nil), r.Addresses...), r.PrimarySMTP, r.UPN) {
			if p, ok := TenantPrefix(addrDomain(a)); ok {
				seen[p]++
			}
		}
	}
	best, n := "", 0
	for p, k := range seen {
		if k > n || (k == n && p < best) {
			best, n = p, k
		}
	}
	if best == "" {
		return "", ""
	}
	return best, fmt.Sprintf("derived from the exports' onmicrosoft.com addresses (%d of %s.onmicrosoft.com; give --tenant to override)", n, best)
}

// T2T-001: every source mailbox needs an smtp: address at
// <tenant>.onmicrosoft.com [004 s25–28].
func (c *t2tCheck) onMicrosoft(out *Output) {
	if len(c.source) == 0 {
		out.Skip(noSourceExports)
		return
	}
	tenant, from := c.tenant()
	judged := 0
	for _, r := range c.source {
		if RecipientKind(r) != "mailbox" {
			continue
		}
		judged++
		out.Judged(1)
		has := false
		for _, a := range r.Addresses {
			p, ok := TenantPrefix(addrDomain(a))
			if ok && (tenant == "" || p == tenant) && !strings.HasPrefix(strings.ToLower(a), "sip:") {
				has = true
			}
		}
		if has {
			continue
		}
		f := forRecipient(r)
		want := "an smtp: address at <tenant>.onmicrosoft.com (tenant unknown: give --tenant)"
		if tenant != "" {
			local := firstNonEmptyOf(r.Alias, strings.SplitN(addrBare(r.PrimarySMTP), "@", 2)[0])
			want = fmt.Sprintf("smtp:%s@%s.onmicrosoft.com (tenant %s, %s)", local, tenant, tenant, from)
		}
		f.Message = fmt.Sprintf("%s %s has no address at the tenant's onmicrosoft.com domain; add %s", RecipientTypeOf(r), f.Object.ID, want)
		f.Evidence = map[string]any{"attribute": "EmailAddresses", "observed": strings.Join(r.Addresses, ";"), "tenant": tenant, "origin": r.Origin}
		out.Add(f)
	}
	if judged == 0 {
		out.Skip("the source exports hold no mailbox (user, shared, room, equipment)")
	}
}

// RecipientTypeOf names the object's Exchange type for messages.
func RecipientTypeOf(r *snapshot.Recipient) string {
	return firstNonEmptyOf(r.RecipientTypeDetails, r.RecipientType, "recipient")
}

// inMigrating reports whether addr's domain is one of ds (or a subdomain).
func inMigrating(addr string, ds []string) bool {
	d := addrDomain(addr)
	if d == "" {
		return false
	}
	for _, m := range ds {
		if d == m || strings.HasSuffix(d, "."+m) {
			return true
		}
	}
	return false
}

const noMigrating = "no --migrating-domain given: the domains that move are not known"

// T2T-002: source objects still holding a migrating domain [004 s66–75].
func (c *t2tCheck) stillHeld(out *Output) {
	if len(c.source) == 0 {
		out.Skip(noSourceExports)
		return
	}
	if len(c.env.MigratingDomains) == 0 {
		out.Skip(noMigrating)
		return
	}
	post := c.env.Phase == "post-cutover"
	out.Judged(int64(len(c.source)))
	for _, r := range c.source {
		var held []string
		add := func(what, v string) {
			if v != "" && inMigrating(v, c.env.MigratingDomains) {
				held = append(held, what+" "+v)
			}
		}
		add("UPN", r.UPN)
		add("primary SMTP", r.PrimarySMTP)
		add("external address", r.ExternalAddress)
		for _, a := range r.Addresses {
			low := strings.ToLower(a)
			if strings.HasPrefix(low, "smtp:") || strings.HasPrefix(low, "sip:") {
				if strings.EqualFold(addrBare(a), r.PrimarySMTP) && strings.HasPrefix(low, "smtp:") {
					continue
				}
				add("proxy", a)
			}
		}
		if len(held) == 0 {
			continue
		}
		f := forRecipient(r)
		f.Message = fmt.Sprintf("%s %s still holds the migrating domain: %s; move each to the onmicrosoft.com domain or remove it before the domain can leave the source tenant", RecipientTypeOf(r), f.Object.ID, strings.Join(held, ", "))
		if r.Licensed == "false" && len(r.Addresses) > 0 {
			f.Message += "; the user is unlicensed: assign a temporary licence so that Exchange lets the alias be removed [004 s75]"
		}
		f.Evidence = map[string]any{"observed": held, "domains": c.env.MigratingDomains, "origin": r.Origin}
		if post {
			f.Severity = "high"
		}
		out.Add(f)
	}
}

// T2T-003: target contacts and mail users with a migrating address
// [004 s53, s87–88].
func (c *t2tCheck) targetContacts(out *Output) {
	if len(c.target) == 0 {
		out.Skip("no target tenant export given (--target-recipients)")
		return
	}
	if len(c.env.MigratingDomains) == 0 {
		out.Skip(noMigrating)
		return
	}
	for _, r := range c.target {
		k := RecipientKind(r)
		if k != "contact" && k != "mailuser" {
			continue
		}
		out.Judged(1)
		var held []string
		for _, a := range append([]string{r.PrimarySMTP, r.ExternalAddress}, r.Addresses...) {
			if inMigrating(a, c.env.MigratingDomains) && !containsFold(held, addrBare(a)) {
				held = append(held, addrBare(a))
			}
		}
		if len(held) == 0 {
			continue
		}
		sort.Strings(held)
		f := forRecipient(r)
		f.Message = fmt.Sprintf("target %s %s carries the migrating address %s: delete it before the final pass, or the move of the domain fails", RecipientTypeOf(r), f.Object.ID, strings.Join(held, ", "))
		f.Evidence = map[string]any{"observed": held, "origin": r.Origin}
		out.Add(f)
	}
}

// T2T-004: target mailboxes and groups already holding an address a
// source object holds in a migrating domain.
func (c *t2tCheck) collision(out *Output) {
	if len(c.source) == 0 || len(c.target) == 0 {
		out.Skip("the collision check needs both the source exports (--recipients, --mailboxes, --users) and --target-recipients")
		return
	}
	if len(c.env.MigratingDomains) == 0 {
		out.Skip(noMigrating)
		return
	}
	owner := map[string]*snapshot.Recipient{}
	for _, r := range c.source {
		for _, a := range append([]string{r.PrimarySMTP, r.UPN}, r.Addresses...) {
			if inMigrating(a, c.env.MigratingDomains) && !strings.HasPrefix(strings.ToLower(a), "sip:") {
				k := strings.ToLower(addrBare(a))
				if owner[k] == nil {
					owner[k] = r
				}
			}
		}
	}
	for _, t := range c.target {
		k := RecipientKind(t)
		if k != "mailbox" && k != "group" {
			continue
		}
		out.Judged(1)
		var hit []string
		for _, a := range append([]string{t.PrimarySMTP}, t.Addresses...) {
			b := strings.ToLower(addrBare(a))
			if s := owner[b]; s != nil && !containsFold(hit, b) {
				hit = append(hit, b)
			}
		}
		if len(hit) == 0 {
			continue
		}
		sort.Strings(hit)
		f := forRecipient(t)
		src := owner[hit[0]]
		f.Message = fmt.Sprintf("target %s %s already holds %s, which source %s %s holds: the move collides; remove the address in the target first",
			RecipientTypeOf(t), f.Object.ID, strings.Join(hit, ", "), RecipientTypeOf(src), firstNonEmptyOf(src.PrimarySMTP, src.Identity))
		f.Evidence = map[string]any{"observed": hit, "origin": t.Origin, "source_origin": src.Origin}
		out.Add(f)
	}
}

// T2T-005: forwarding to carry over [004 s54, s81].
func (c *t2tCheck) forwarding(out *Output) {
	if len(c.source) == 0 {
		out.Skip(noSourceExports)
		return
	}
	out.Judged(int64(len(c.source)))
	for _, r := range c.source {
		if r.Forwarding == "" && r.ForwardTo == "" {
			continue
		}
		var what []string
		if r.Forwarding != "" {
			what = append(what, "ForwardingSmtpAddress "+r.Forwarding)
		}
		if r.ForwardTo != "" {
			what = append(what, "ForwardingAddress "+r.ForwardTo)
		}
		keep := "forwards only"
		if r.DeliverAndForward {
			keep = "keeps a copy (DeliverToMailboxAndForward)"
		}
		f := forRecipient(r)
		f.Message = fmt.Sprintf("%s forwards: %s, %s; set the same forwarding on the target mailbox after the move", f.Object.ID, strings.Join(what, ", "), keep)
		f.Evidence = map[string]any{"observed": what, "deliver_and_forward": r.DeliverAndForward, "origin": r.Origin}
		out.Add(f)
	}
}
