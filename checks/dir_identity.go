package checks

import (
	"fmt"
	"sort"
	"strings"

	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/snapshot"
)

// stripSIP removes a "sip:" prefix (any case).
func stripSIP(v string) string {
	v = strings.TrimSpace(v)
	if hasPrefixFold(v, "sip:") {
		return v[4:]
	}
	return v
}

// sipAddresses returns a user's SIP addresses: msRTCSIP-PrimaryUserAddress
// and the primary "SIP:" proxy address; lower-case "sip:" proxies count
// only when there is neither.
func sipAddresses(o *snapshot.DirObject) []string {
	var out []string
	addUnique := func(a string) {
		if a == "" {
			return
		}
		for _, x := range out {
			if strings.EqualFold(x, a) {
				return
			}
		}
		out = append(out, a)
	}
	for _, v := range o.Attrs["msrtcsip-primaryuseraddress"] {
		addUnique(stripSIP(v))
	}
	var secondary []string
	for _, p := range o.Attrs["proxyaddresses"] {
		if len(p) < 4 || !strings.EqualFold(p[:4], "sip:") {
			continue
		}
		if p[:4] == "SIP:" {
			addUnique(strings.TrimSpace(p[4:]))
		} else {
			secondary = append(secondary, strings.TrimSpace(p[4:]))
		}
	}
	if len(out) == 0 && len(secondary) > 0 {
		addUnique(secondary[0])
	}
	return out
}

// sameSIP compares a SIP and an SMTP address ignoring case and a trailing
// dot (a malformed "a@b.com." is DIR-002's, not a SIP mismatch).
func sameSIP(sip, smtp string) bool {
	return strings.EqualFold(strings.TrimSuffix(sip, "."), strings.TrimSuffix(smtp, "."))
}

// sipMatches reports, without allocating, whether every SIP address of the
// user (as sipAddresses defines them) equals primary.
func sipMatches(o *snapshot.DirObject, primary string) bool {
	found := false
	for _, v := range o.Attrs["msrtcsip-primaryuseraddress"] {
		if a := stripSIP(v); a != "" {
			if !sameSIP(a, primary) {
				return false
			}
			found = true
		}
	}
	var secondary string
	for _, p := range o.Attrs["proxyaddresses"] {
		if len(p) < 4 || !strings.EqualFold(p[:4], "sip:") {
			continue
		}
		a := strings.TrimSpace(p[4:])
		if p[:4] != "SIP:" {
			if secondary == "" {
				secondary = a
			}
			continue
		}
		if a != "" {
			if !sameSIP(a, primary) {
				return false
			}
			found = true
		}
	}
	return found || secondary == "" || sameSIP(secondary, primary)
}

// sipMismatch is DIR-009.
type sipMismatch struct{ scoped }

func newSIPMismatch(noParams, Env) (Check, error) { return &sipMismatch{}, nil }

func (c *sipMismatch) Observe(r *snapshot.Record, out *Output) {
	o := r.Dir
	if o == nil || o.Kind != snapshot.KindUser || !c.scope.in(o) {
		return
	}
	out.Consider(o)
	if !o.Has("msrtcsip-primaryuseraddress") && !hasSIPProxy(o) {
		return
	}
	primary := strings.TrimSuffix(strings.TrimSpace(primarySMTP(o)), ".")
	if primary == "" {
		return
	}
	if sipMatches(o, primary) {
		return
	}
	var differ []string
	for _, s := range sipAddresses(o) {
		if !sameSIP(s, primary) {
			differ = append(differ, s)
		}
	}
	if len(differ) == 0 {
		return
	}
	f := dirFinding(o)
	f.Message = fmt.Sprintf("SIP address of '%s' (%s) differs from the primary SMTP address '%s': sign-in and presence break after the move until they match",
		o.Label(), quoteList(differ), primary)
	f.Evidence = map[string]any{
		"attribute": "msRTCSIP-PrimaryUserAddress, proxyAddresses (SIP:)",
		"value":     differ,
		"observed":  primary,
		"threshold": "SIP address equals the primary SMTP address (case-insensitive)",
	}
	out.Add(f)
}

func (c *sipMismatch) Finish(*Output) {}

func hasSIPProxy(o *snapshot.DirObject) bool {
	for _, p := range o.Attrs["proxyaddresses"] {
		if len(p) >= 4 && strings.EqualFold(p[:4], "sip:") {
			return true
		}
	}
	return false
}

// upnUser is one user whose UPN suffix DIR-010 judges when the mail
// domains are all known.
type upnUser struct {
	obj      model.Object
	identity string
	upn      string
}

// upnSuffix is DIR-010: users whose UPN suffix is not a public, routable
// domain or is not a mail domain of the organisation, one finding per
// user grouped by suffix.
type upnSuffix struct {
	scoped
	nonRoutable  map[string]bool
	sevNotMail   string
	sevSubdomain string
	// users holds, per suffix, the users whose suffix was not yet known
	// as a mail domain when they were seen; Finish judges them.
	users       map[string][]upnUser
	mailDomains map[string]bool
}

// upnSuffixParams are the parameters of newUPNSuffix.
type upnSuffixParams struct {
	NonRoutable     []string `json:"non_routable_tlds"`
	NotMailSeverity string   `json:"not_mail_domain_severity"`
	SubdomainSev    string   `json:"subdomain_severity"`
}

func newUPNSuffix(cfg upnSuffixParams, _ Env) (Check, error) {
	if len(cfg.NonRoutable) == 0 {
		return nil, errParam("non_routable_tlds", "missing")
	}
	c := &upnSuffix{nonRoutable: map[string]bool{}, sevNotMail: cfg.NotMailSeverity, sevSubdomain: cfg.SubdomainSev,
		users: map[string][]upnUser{}, mailDomains: map[string]bool{}}
	for _, t := range cfg.NonRoutable {
		c.nonRoutable[strings.ToLower(strings.TrimPrefix(t, "."))] = true
	}
	return c, nil
}

func (c *upnSuffix) Observe(r *snapshot.Record, out *Output) {
	o := r.Dir
	if o == nil || !c.scope.in(o) {
		return
	}
	if o.Kind != snapshot.KindContact {
		// A contact's addresses belong to someone else's domain.
		for _, v := range o.Attrs["mail"] {
			c.mailDomain(v)
		}
		for _, p := range o.Attrs["proxyaddresses"] {
			if a, _, ok := smtpProxy(p); ok {
				c.mailDomain(a)
			}
		}
	}
	if o.Kind != snapshot.KindUser {
		return
	}
	out.Consider(o)
	upn := o.First("userprincipalname")
	_, suffix, ok := splitAddress(upn)
	if !ok {
		out.NotJudged("no userPrincipalName with '@'")
		return
	}
	suffix = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(suffix)), ".")
	if c.mailDomains[suffix] {
		// Mail domains only grow: this user's suffix is fine (the common
		// case, kept out of memory).
		return
	}
	f := ForDir(o)
	c.users[suffix] = append(c.users[suffix], upnUser{obj: f.Object, identity: f.Identity, upn: strings.Clone(upn)})
}

func (c *upnSuffix) mailDomain(addr string) {
	_, d, ok := splitAddress(addr)
	if !ok {
		return
	}
	d = strings.TrimSuffix(strings.TrimSpace(d), ".")
	if d == "" || c.mailDomains[d] {
		return
	}
	if l := strings.ToLower(d); l != d {
		d = l
		if c.mailDomains[d] {
			return
		}
	}
	c.mailDomains[strings.Clone(d)] = true
}

// judge says why a UPN suffix cannot be used as is and how severe that is,
// or "" when it can.
func (c *upnSuffix) judge(suffix string) (why, sev string) {
	tld := suffix
	if i := strings.LastIndexByte(suffix, '.'); i >= 0 {
		tld = suffix[i+1:]
	}
	switch {
	case suffix == "":
		return "it is empty", "high"
	case !strings.Contains(suffix, "."):
		return "it is a single-label name, not a public domain", "high"
	case c.nonRoutable[tld]:
		return fmt.Sprintf("'.%s' is not a public top-level domain", tld), "high"
	case !validTLD(tld) || addressProblems("x@"+suffix) != 0:
		return "it is not a valid DNS domain name", "high"
	case suffix == "onmicrosoft.com" || strings.HasSuffix(suffix, ".onmicrosoft.com"):
		return "", ""
	case c.mailDomains[suffix]:
		return "", ""
	}
	if parent := c.mailParent(suffix); parent != "" {
		return fmt.Sprintf("it is not a mail domain but a subdomain of the mail domain %s; add it to the tenant as a subdomain", parent), c.sevSubdomain
	}
	return "it is not among the mail domains of the directory; it must be verified in the tenant, and sign-in names will differ from e-mail addresses", c.sevNotMail
}

func (c *upnSuffix) Finish(out *Output) {
	for _, suffix := range sortedKeys(c.users) {
		why, sev := c.judge(suffix)
		if sev == "" {
			continue
		}
		users := c.users[suffix]
		sort.Slice(users, func(i, j int) bool { return users[i].obj.ID < users[j].obj.ID })
		for _, u := range users {
			out.Add(Finding{
				Object:   u.obj,
				Identity: u.identity,
				Key:      "upn-suffix:" + suffix,
				Group:    suffix,
				Severity: model.Severity(sev),
				Message: fmt.Sprintf("UPN '%s' of user '%s' must change: its suffix '%s' cannot be used as is: %s; unless a verified domain is used, Entra ID replaces it with the tenant's onmicrosoft.com domain",
					u.upn, u.obj.Name, suffix, why),
				Evidence: map[string]any{
					"attribute": "userPrincipalName",
					"value":     u.upn,
					"suffix":    suffix,
					"reason":    why,
					"threshold": "a public DNS domain that is a verified (mail) domain of the organisation",
				},
			})
		}
	}
}

// mailParent returns a mail domain that suffix is a subdomain of.
func (c *upnSuffix) mailParent(suffix string) string {
	for d := suffix; ; {
		i := strings.IndexByte(d, '.')
		if i < 0 {
			return ""
		}
		d = d[i+1:]
		if strings.Contains(d, ".") && c.mailDomains[d] {
			return d
		}
	}
}

// forwardingInventory is DIR-012: users with forwarding or delegates, one
// info finding each, for the migration plan.
type forwardingInventory struct{ scoped }

func newForwardingInventory(noParams, Env) (Check, error) { return &forwardingInventory{}, nil }

func (c *forwardingInventory) Observe(r *snapshot.Record, out *Output) {
	o := r.Dir
	if o == nil || o.Kind != snapshot.KindUser || !c.scope.in(o) {
		return
	}
	out.Consider(o)
	alt := o.First("altrecipient")
	target := o.First("targetaddress")
	delegates := o.Attrs["publicdelegates"]
	if alt == "" && target == "" && len(delegates) == 0 {
		return
	}
	var parts []string
	ev := map[string]any{"threshold": "inventory: altRecipient, deliverAndRedirect, targetAddress, publicDelegates"}
	var attrs []string
	if alt != "" {
		mode := "instead of delivering to the mailbox"
		if strings.EqualFold(strings.TrimSpace(o.First("deliverandredirect")), "TRUE") {
			mode = "and also delivers to the mailbox (deliverAndRedirect)"
			ev["deliverAndRedirect"] = true
		}
		parts = append(parts, fmt.Sprintf("forwards mail to %s %s", alt, mode))
		ev["altRecipient"] = alt
		attrs = append(attrs, "altRecipient")
	}
	if target != "" {
		parts = append(parts, fmt.Sprintf("routes mail to the external address %s (targetAddress)", target))
		ev["targetAddress"] = target
		attrs = append(attrs, "targetAddress")
	}
	if len(delegates) > 0 {
		parts = append(parts, fmt.Sprintf("has %s with send-on-behalf rights (publicDelegates)", plural(int64(len(delegates)), "delegate", "delegates")))
		ev["publicDelegates"] = delegates
		attrs = append(attrs, "publicDelegates")
	}
	ev["attribute"] = attrs
	f := dirFinding(o)
	f.Message = fmt.Sprintf("user '%s' %s: re-create this after the move", o.Label(), strings.Join(parts, "; "))
	f.Evidence = ev
	out.Add(f)
}

func (c *forwardingInventory) Finish(*Output) {}
