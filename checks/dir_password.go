package checks

import (
	"fmt"
	"time"

	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/snapshot"
)

const day = 24 * time.Hour

// domainPolicy is a domain's maximum password age, from its domainDNS
// object.
type domainPolicy struct {
	maxAge time.Duration
	never  bool
	known  bool // the domain object carried maxPwdAge
}

func policyOf(o *snapshot.DirObject) domainPolicy {
	v, ok := o.Int("maxpwdage")
	if !ok {
		return domainPolicy{}
	}
	d, never := interval100ns(v)
	return domainPolicy{maxAge: d, never: never, known: true}
}

// pendingPwd is a user seen before its domain's policy: just what a
// finding needs.
type pendingPwd struct {
	object   model.Object
	identity string
	domain   string
	lastSet  int64
}

// passwordFresh is DIR-007: enabled users whose password will not be
// fresh at the cutover date.
type passwordFresh struct {
	scoped
	freshDays int
	useDomain bool
	source    string
	cutover   time.Time
	explicit  bool // the cutover date was given (else the scan date)
	domains   map[string]domainPolicy
	pending   []pendingPwd
	missing   int64
	missingEx sampler
}

// passwordFreshParams are the parameters of newPasswordFresh.
type passwordFreshParams struct {
	FreshDays     int    `json:"fresh_days" param:"min=1"`
	UseDomainPol  bool   `json:"use_domain_max_pwd_age"`
	FreshDaysFrom string `json:"fresh_days_source"`
}

func newPasswordFresh(cfg passwordFreshParams, env Env) (Check, error) {
	if cfg.FreshDays <= 0 {
		return nil, errParam("fresh_days", "missing or not positive")
	}
	return &passwordFresh{
		freshDays: cfg.FreshDays, useDomain: cfg.UseDomainPol, source: cfg.FreshDaysFrom,
		cutover: env.Cutover(), explicit: !env.CutoverDate.IsZero(),
		domains: map[string]domainPolicy{}, missingEx: sampler{k: 5},
	}, nil
}

func (c *passwordFresh) Observe(r *snapshot.Record, out *Output) {
	o := r.Dir
	if o == nil {
		return
	}
	if o.Kind == snapshot.KindDomain {
		if pol := policyOf(o); pol.known {
			c.domains[o.Domain] = pol
		}
		return
	}
	if o.Kind != snapshot.KindUser || !c.scope.in(o) || o.Disabled() {
		return
	}
	out.Consider(o)
	ft, ok := o.Int("pwdlastset")
	if !ok {
		out.NotJudged("no pwdLastSet")
		c.missing++
		c.missingEx.add(o.Label())
		return
	}
	var pol domainPolicy
	if ft != 0 && c.useDomain {
		var known bool
		if pol, known = c.domains[o.Domain]; !known {
			f := dirFinding(o)
			c.pending = append(c.pending, pendingPwd{object: f.Object, identity: f.Identity, domain: o.Domain, lastSet: ft})
			return
		}
	}
	if c.stale(ft, pol) {
		f := dirFinding(o)
		c.judge(f.Object, f.Identity, o.Domain, ft, pol, out)
	}
}

// limit is the password age allowed at the cutover under a domain policy.
func (c *passwordFresh) limit(pol domainPolicy) time.Duration {
	if c.useDomain && pol.known && !pol.never && pol.maxAge > 0 {
		return pol.maxAge
	}
	return time.Duration(c.freshDays) * day
}

// stale reports, cheaply, whether a pwdLastSet value is not fresh.
func (c *passwordFresh) stale(ft int64, pol domainPolicy) bool {
	if ft == 0 {
		return true
	}
	set, ok := fileTime(ft)
	return ok && set.Before(c.cutover.Add(-c.limit(pol)))
}

func (c *passwordFresh) Finish(out *Output) {
	for _, p := range c.pending {
		c.judge(p.object, p.identity, p.domain, p.lastSet, c.domains[p.domain], out)
	}
	c.pending = nil
	if c.missing > 0 && out.Evaluated > 0 {
		// When no user carries it at all, the engine reports the attribute
		// as absent from the export (the rule's "attributes").
		out.Fail("pwdLastSet is missing on %s enabled users in scope (e.g. %s): a Global Catalog query does not return it, query each domain's controller; password freshness was not assessed for them",
			count(c.missing), quoteList(c.missingEx.items))
	}
}

// judge reports the user when the password is not fresh at the cutover.
func (c *passwordFresh) judge(obj model.Object, identity, domain string, ft int64, pol domainPolicy, out *Output) {
	if !c.stale(ft, pol) {
		return
	}
	limit := c.limit(pol)
	limitFrom := fmt.Sprintf("%d days (%s)", c.freshDays, c.source)
	if c.useDomain && pol.known && !pol.never && pol.maxAge > 0 {
		limitFrom = fmt.Sprintf("%d days (maxPwdAge of %s)", days(limit), domain)
	} else if c.useDomain && pol.known && pol.never {
		limitFrom = fmt.Sprintf("%d days (%s; maxPwdAge of %s is 'never expires')", c.freshDays, c.source, domain)
	} else if c.useDomain {
		limitFrom = fmt.Sprintf("%d days (%s; no maxPwdAge for %s in the snapshot)", c.freshDays, c.source, domain)
	}
	when := "the cutover date"
	if !c.explicit {
		when = "the scan date (no cutover date given)"
	}
	cut := c.cutover.UTC().Format("2006-01-02")
	ev := map[string]any{
		"attribute":   "pwdLastSet",
		"cutover":     cut,
		"threshold":   days(limit),
		"limit":       limitFrom,
		"fresh_since": c.cutover.Add(-limit).UTC().Format("2006-01-02"),
	}
	f := Finding{Object: obj, Identity: identity, Evidence: ev}
	if ft == 0 {
		ev["value"] = "0"
		f.Message = fmt.Sprintf("user '%s' must change the password at next logon (pwdLastSet = 0): the password is not usable for the cutover on %s (%s)", obj.Name, cut, when)
		out.Add(f)
		return
	}
	set, ok := fileTime(ft)
	if !ok {
		return
	}
	if !set.Before(c.cutover.Add(-limit)) {
		return
	}
	age := days(c.cutover.Sub(set))
	ev["value"] = set.Format(time.RFC3339)
	ev["observed"] = age
	f.Message = fmt.Sprintf("password of '%s' was last set on %s, %d days before %s %s; the limit is %s, so it must be changed after %s",
		obj.Name, set.Format("2006-01-02"), age, when, cut, limitFrom, c.cutover.Add(-limit).UTC().Format("2006-01-02"))
	out.Add(f)
}

// passwordNeverExpires is DIR-008: enabled users whose password never
// expires, and (separately) users who need no password.
type passwordNeverExpires struct {
	scoped
	missing int64
}

func newPasswordNeverExpires(noParams, Env) (Check, error) {
	return &passwordNeverExpires{}, nil
}

func (c *passwordNeverExpires) Observe(r *snapshot.Record, out *Output) {
	o := r.Dir
	if o == nil || o.Kind != snapshot.KindUser || !c.scope.in(o) {
		return
	}
	out.Consider(o)
	uac, ok := o.Int("useraccountcontrol")
	if !ok {
		out.NotJudged("no userAccountControl")
		c.missing++
		return
	}
	if uac&snapshot.UACAccountDisable != 0 {
		return
	}
	if uac&snapshot.UACDontExpirePassword != 0 {
		f := dirFinding(o)
		f.Key = "DONT_EXPIRE_PASSWORD"
		f.Message = fmt.Sprintf("password of '%s' never expires (userAccountControl %d has DONT_EXPIRE_PASSWORD 0x10000): the user must change it before the transition and the flag should be cleared", o.Label(), uac)
		f.Evidence = map[string]any{"attribute": "userAccountControl", "value": uac, "flag": "DONT_EXPIRE_PASSWORD", "threshold": "flag 0x10000 not set"}
		out.Add(f)
	}
	if uac&snapshot.UACPasswdNotReqd != 0 {
		f := dirFinding(o)
		f.Key = "PASSWD_NOTREQD"
		f.Message = fmt.Sprintf("user '%s' may have an empty password (userAccountControl %d has PASSWD_NOTREQD 0x20): set a password that meets the policy and clear the flag", o.Label(), uac)
		f.Evidence = map[string]any{"attribute": "userAccountControl", "value": uac, "flag": "PASSWD_NOTREQD", "threshold": "flag 0x20 not set"}
		out.Add(f)
	}
}

func (c *passwordNeverExpires) Finish(out *Output) {
	if c.missing > 0 && out.Evaluated > 0 {
		out.Fail("userAccountControl is missing on %s users in scope: their password flags were not assessed", count(c.missing))
	}
}

// passwordPolicyParams are DIR-011's parameters.
type passwordPolicyParams struct {
	MinLength  int  `json:"min_length" param:"min=0"`
	Complexity bool `json:"complexity"`
	History    int  `json:"history" param:"min=0"`
	MaxAgeDays int  `json:"max_age_days" param:"min=0"`
}

// passwordPolicy is DIR-011: the domain password policy against the
// service's. A zero/false parameter is not checked under that profile.
type passwordPolicy struct {
	cfg     passwordPolicyParams
	seen    map[string]bool
	domains int
	users   bool
}

func newPasswordPolicy(cfg passwordPolicyParams, _ Env) (Check, error) {
	c := &passwordPolicy{cfg: cfg, seen: map[string]bool{}}
	if c.cfg.MinLength == 0 && !c.cfg.Complexity && c.cfg.History == 0 && c.cfg.MaxAgeDays == 0 {
		return nil, errParam("min_length", "no setting to check")
	}
	return c, nil
}

func (c *passwordPolicy) Observe(r *snapshot.Record, out *Output) {
	o := r.Dir
	if o == nil {
		return
	}
	if o.Kind == snapshot.KindUser {
		c.users = true
		return
	}
	if o.Kind != snapshot.KindDomain {
		return
	}
	out.Consider(o)
	c.domains++
	add := func(key, attr string, value any, msg string, threshold any) {
		if c.seen[o.Domain+"|"+key] {
			return
		}
		c.seen[o.Domain+"|"+key] = true
		out.Add(Finding{
			Object:   aggregateObject("domain", o.DN, o.Domain),
			Identity: o.Domain,
			Key:      key,
			Message:  fmt.Sprintf("domain %s: %s", o.Domain, msg),
			Evidence: map[string]any{"attribute": attr, "value": value, "threshold": threshold},
		})
	}
	if n, ok := o.Int("minpwdlength"); ok && c.cfg.MinLength > 0 && n < int64(c.cfg.MinLength) {
		add("minPwdLength", "minPwdLength", n, fmt.Sprintf("minimum password length is %d, the service requires at least %d", n, c.cfg.MinLength), c.cfg.MinLength)
	}
	if n, ok := o.Int("pwdproperties"); ok && c.cfg.Complexity && n&1 == 0 {
		add("pwdProperties", "pwdProperties", n, "password complexity is off (pwdProperties bit 1 not set); the service requires characters from at least 3 of 4 categories", "complexity on")
	}
	if n, ok := o.Int("pwdhistorylength"); ok && c.cfg.History > 0 && n < int64(c.cfg.History) {
		add("pwdHistoryLength", "pwdHistoryLength", n, fmt.Sprintf("password history keeps %d passwords, the service keeps %d", n, c.cfg.History), c.cfg.History)
	}
	if v, ok := o.Int("maxpwdage"); ok && c.cfg.MaxAgeDays > 0 {
		d, never := interval100ns(v)
		switch {
		case never:
			add("maxPwdAge", "maxPwdAge", "never", fmt.Sprintf("passwords never expire (maxPwdAge 'never'); the service requires a change at least every %d days", c.cfg.MaxAgeDays), c.cfg.MaxAgeDays)
		case d > time.Duration(c.cfg.MaxAgeDays)*day:
			add("maxPwdAge", "maxPwdAge", days(d), fmt.Sprintf("maximum password age is %d days; the service requires a change at least every %d days", days(d), c.cfg.MaxAgeDays), c.cfg.MaxAgeDays)
		}
	}
}

func (c *passwordPolicy) Finish(out *Output) {
	if c.domains == 0 && c.users {
		out.Skip("no domain object (objectClass domainDNS) in the snapshot, so the domain password policy was not read; include the domain head in the LDAP search base or export")
	}
}
