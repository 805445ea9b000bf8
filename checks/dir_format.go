package checks

import (
	"fmt"
	"strings"

	"github.com/preflight-scan/preflight/internal/dnsname"
	"github.com/preflight-scan/preflight/snapshot"
)

// Address problems found by addressProblems, as bits.
const (
	addrNoAt uint16 = 1 << iota
	addrManyAt
	addrEmptyLocal
	addrEmptyDomain
	addrLocalDots // leading, trailing or consecutive dots in the local part
	addrDomainDots
	addrDomainChars
	addrLabel // a label longer than 63 or starting/ending with "-"
	addrNoTLD
	addrBadTLD
	addrDomainLong // above dnsname.MaxLength
)

// addressProblems checks the form of an e-mail address (without any
// "smtp:" prefix). It returns 0 for a valid address and never allocates.
// The domain must be in ASCII (IDNA "xn--" form); the TLD must be two or
// more letters or an "xn--" label.
func addressProblems(a string) uint16 {
	var p uint16
	at := strings.IndexByte(a, '@')
	if at < 0 {
		return addrNoAt
	}
	if strings.LastIndexByte(a, '@') != at {
		p |= addrManyAt
	}
	local, domain := a[:at], a[strings.LastIndexByte(a, '@')+1:]
	if local == "" {
		p |= addrEmptyLocal
	} else if local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, "..") {
		p |= addrLocalDots
	}
	if domain == "" {
		return p | addrEmptyDomain
	}
	if domain[0] == '.' || domain[len(domain)-1] == '.' || strings.Contains(domain, "..") {
		p |= addrDomainDots
	}
	if len(domain) > dnsname.MaxLength {
		p |= addrDomainLong
	}
	labels, start := 0, 0
	tld := ""
	for i := 0; i <= len(domain); i++ {
		if i < len(domain) && domain[i] != '.' {
			c := domain[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				p |= addrDomainChars
			}
			continue
		}
		l := domain[start:i]
		start = i + 1
		if l == "" {
			continue
		}
		labels++
		if len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			p |= addrLabel
		}
		tld = l
	}
	switch {
	case labels < 2:
		p |= addrNoTLD
	case !validTLD(tld):
		p |= addrBadTLD
	}
	return p
}

// validTLD accepts two or more ASCII letters, or an IDNA "xn--" label.
func validTLD(t string) bool {
	if len(t) > 4 && hasPrefixFold(t, "xn--") {
		return true
	}
	if len(t) < 2 {
		return false
	}
	for i := 0; i < len(t); i++ {
		c := t[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// describeAddressProblems renders the bits for a message.
func describeAddressProblems(p uint16) []string {
	var out []string
	for _, x := range []struct {
		bit  uint16
		text string
	}{
		{addrNoAt, "it has no '@'"},
		{addrManyAt, "it has more than one '@'"},
		{addrEmptyLocal, "the part before '@' is empty"},
		{addrEmptyDomain, "the domain part is empty"},
		{addrLocalDots, "the part before '@' starts or ends with a dot or has two dots in a row"},
		{addrDomainDots, "the domain starts or ends with a dot or has two dots in a row"},
		{addrDomainChars, "the domain has characters other than letters, digits, '-' and '.' (write international domains in their xn-- form)"},
		{addrLabel, "a domain label is longer than 63 characters or starts or ends with '-'"},
		{addrNoTLD, "the domain has no top-level domain"},
		{addrBadTLD, "the top-level domain is not two or more letters"},
		{addrDomainLong, fmt.Sprintf("the domain is longer than %d characters", dnsname.MaxLength)},
	} {
		if p&x.bit != 0 {
			out = append(out, x.text)
		}
	}
	return out
}

// addrMemo remembers the last few addresses parsed for one object.
type addrMemo struct {
	addr [4]string
	prob [4]uint16
	n    int
}

func (m *addrMemo) problems(a string) uint16 {
	for i := 0; i < m.n; i++ {
		if m.addr[i] == a {
			return m.prob[i]
		}
	}
	p := addressProblems(a)
	if m.n < len(m.addr) {
		m.addr[m.n], m.prob[m.n] = a, p
		m.n++
	}
	return p
}

// formatLimits are DIR-002's parameters; 0 disables a limit.
type formatLimits struct {
	UPNMax            int  `json:"upn_max" param:"min=0"`
	UPNLocalMax       int  `json:"upn_local_max" param:"min=0"`
	UPNDomainMax      int  `json:"upn_domain_max" param:"min=0"`
	MailNicknameMax   int  `json:"mailnickname_max" param:"min=0"`
	DisplayNameMax    int  `json:"displayname_max" param:"min=0"`
	ProxyMax          int  `json:"proxy_max" param:"min=0"`
	SAMAccountNameMax int  `json:"samaccountname_max" param:"min=0"`
	TargetAddressMax  int  `json:"targetaddress_max" param:"min=0"`
	CheckAddresses    bool `json:"check_addresses"`
}

// invalidFormat is DIR-002.
type invalidFormat struct {
	scoped
	lim formatLimits
}

func newInvalidFormat(lim formatLimits, _ Env) (Check, error) {
	c := &invalidFormat{lim: lim}
	if c.lim.UPNMax < 0 || c.lim.ProxyMax < 0 || c.lim.SAMAccountNameMax < 0 {
		return nil, errParam("limits", "must not be negative")
	}
	return c, nil
}

func (c *invalidFormat) Observe(r *snapshot.Record, out *Output) {
	o := r.Dir
	if o == nil || !c.scope.in(o) {
		return
	}
	out.Consider(o)
	l := c.lim
	// mail, the primary proxy address and the UPN are usually the same
	// string: parse each distinct address once per object.
	var memo addrMemo
	problems := func(a string) uint16 {
		if !c.lim.CheckAddresses {
			return 0
		}
		return memo.problems(a)
	}
	if v := o.First("userprincipalname"); v != "" {
		var why []string
		p := problems(v)
		local, domain, _ := splitAddress(v)
		why = appendLen(why, "it is", v, l.UPNMax)
		why = appendLen(why, "the part before '@' is", local, l.UPNLocalMax)
		why = appendLen(why, "the part after '@' is", domain, l.UPNDomainMax)
		c.report(o, "userPrincipalName", v, p, why, out)
	}
	for _, v := range o.Attrs["mail"] {
		if p := problems(v); p != 0 {
			c.report(o, "mail", v, p, nil, out)
		}
	}
	for _, v := range o.Attrs["proxyaddresses"] {
		var p uint16
		if a, _, ok := smtpProxy(v); ok {
			p = problems(a)
		}
		why := appendLen(nil, "it is", v, l.ProxyMax)
		c.report(o, "proxyAddresses", v, p, why, out)
	}
	if v := o.First("targetaddress"); v != "" {
		var p uint16
		if a, ok := targetSMTP(v); ok {
			p = problems(a)
		}
		c.report(o, "targetAddress", v, p, appendLen(nil, "it is", v, l.TargetAddressMax), out)
	}
	if v := o.First("mailnickname"); v != "" {
		c.report(o, "mailNickname", v, 0, appendLen(nil, "it is", v, l.MailNicknameMax), out)
	}
	if v := o.First("displayname"); v != "" {
		c.report(o, "displayName", v, 0, appendLen(nil, "it is", v, l.DisplayNameMax), out)
	}
	if o.Kind == snapshot.KindUser {
		if v := o.First("samaccountname"); v != "" {
			c.report(o, "sAMAccountName", v, 0, appendLen(nil, "it is", v, l.SAMAccountNameMax), out)
		}
	}
}

// appendLen adds a length problem when s is longer than limit characters
// (limit 0: no limit). It allocates only for a problem.
func appendLen(why []string, what, s string, limit int) []string {
	if limit <= 0 || len(s) <= limit {
		return why
	}
	if n := runeLen(s); n > limit {
		why = append(why, fmt.Sprintf("%s %d characters long (limit %d)", what, n, limit))
	}
	return why
}

func (c *invalidFormat) report(o *snapshot.DirObject, attr, v string, p uint16, lengths []string, out *Output) {
	if p == 0 && len(lengths) == 0 {
		return
	}
	why := append(describeAddressProblems(p), lengths...)
	f := dirFinding(o)
	f.Key = strings.ToLower(attr) + ":" + strings.ToLower(v)
	lead := "is not valid"
	if p == 0 {
		lead = "is too long"
	}
	f.Message = fmt.Sprintf("%s '%s' %s: %s", attr, v, lead, strings.Join(why, "; "))
	f.Evidence = map[string]any{
		"attribute": attr,
		"value":     v,
		"problems":  why,
		"length":    runeLen(v),
		"threshold": c.threshold(attr),
	}
	out.Add(f)
}

func (c *invalidFormat) threshold(attr string) map[string]any {
	l := c.lim
	switch attr {
	case "userPrincipalName":
		return map[string]any{"max_length": l.UPNMax, "max_before_at": l.UPNLocalMax, "max_after_at": l.UPNDomainMax, "address": c.lim.CheckAddresses}
	case "mail":
		return map[string]any{"address": true}
	case "proxyAddresses":
		return map[string]any{"max_length": l.ProxyMax, "address": c.lim.CheckAddresses}
	case "targetAddress":
		return map[string]any{"max_length": l.TargetAddressMax, "address": c.lim.CheckAddresses}
	case "mailNickname":
		return map[string]any{"max_length": l.MailNicknameMax}
	case "displayName":
		return map[string]any{"max_length": l.DisplayNameMax}
	case "sAMAccountName":
		return map[string]any{"max_length": l.SAMAccountNameMax}
	}
	return nil
}

func (c *invalidFormat) Finish(*Output) {}
