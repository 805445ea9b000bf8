package main

// The staff: every person's account as planned, and its entry.

import (
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
)

// user is a person's account as the generator plans it before writing.
type user struct {
	p          person
	cn         string
	sam, upn   string
	nick       string
	primary    string   // primary SMTP address
	extra      []string // further proxy addresses, with prefixes
	sip        string   // msRTCSIP-PrimaryUserAddress, "" when not enabled for Lync
	uac        int
	pwdAge     int // days; -1 means pwdLastSet 0
	dept       int
	site       int
	galFill    int // 0..3: how much of the address book is filled
	noNames    bool
	noDisplay  bool
	recipType  string // msExchRecipientTypeDetails
	extraAttrs [][2]string
	ou         string
}

// planUsers decides every person's account, then plants the problems.
func planUsers(rng *rand.Rand) []*user {
	users := planPeople(rng)
	plantProblems(users)
	return users
}

// planPeople decides every person's account, sorted by sAMAccountName.
func planPeople(rng *rand.Rand) []*user {
	var users []*user
	seen := map[string]bool{}
	addPerson := func(p person) {
		sam := p.agiven[:1] + strings.ReplaceAll(p.asn, "-", "")
		for i := 2; seen[sam]; i++ {
			sam = p.agiven[:1] + strings.ReplaceAll(p.asn, "-", "") + strconv.Itoa(i)
		}
		seen[sam] = true
		if len(sam) > 20 {
			sam = sam[:20]
		}
		local := p.agiven + "." + strings.ReplaceAll(p.asn, " ", "")
		if seen["local:"+local] {
			local = p.agiven + "." + strings.ReplaceAll(p.asn, " ", "") + strconv.Itoa(len(users))
		}
		seen["local:"+local] = true
		u := &user{
			p: p, cn: p.name(), sam: sam, upn: local + "@" + mailDomain, nick: local,
			primary: local + "@" + mailDomain, uac: 512, pwdAge: rng.IntN(14),
			dept: rng.IntN(len(departments)), site: rng.IntN(len(sites)), galFill: 3, ou: "Staff",
			recipType: "1",
		}
		if seen["cn:"+u.cn] {
			u.cn += " (" + sam + ")"
		}
		seen["cn:"+u.cn] = true
		u.extra = append(u.extra, "smtp:"+sam+"@"+mailDomain)
		if rng.IntN(100) < 45 {
			u.sip = "sip:" + u.primary
			u.extra = append(u.extra, "SIP:"+u.primary)
		}
		if rng.IntN(100) < 30 {
			u.extra = append(u.extra, "X500:"+exOrg+sam)
		}
		switch r := rng.IntN(100); {
		case r < 45:
			u.galFill = 3
		case r < 75:
			u.galFill = 2
		case r < 92:
			u.galFill = 1
		default:
			u.galFill = 0
		}
		users = append(users, u)
	}
	for _, p := range nonLatin {
		addPerson(p)
	}
	// Two named colleagues from the product documentation.
	addPerson(latin("José", "Núñez"))
	addPerson(latin("Zoë", "Ängström"))
	for len(users) < 232 {
		addPerson(latin(givenNames[rng.IntN(len(givenNames))], surnames[rng.IntN(len(surnames))]))
	}
	sort.SliceStable(users, func(i, j int) bool { return users[i].sam < users[j].sam })
	return users
}

func userEntry(u *user, rid uint32) *entry {
	dn := userDN(u.cn, u.ou)
	e := &entry{comment: u.cn + ", " + u.ou + ", Northwind, " + adDomain, dn: dn}
	e.add("objectClass", "top", "person", "organizationalPerson", "user")
	e.add("cn", u.cn)
	if !u.noNames {
		e.add("sn", u.p.sn)
		e.add("givenName", u.p.given)
	}
	s := sites[u.site]
	if u.galFill >= 1 {
		e.add("title", titles[(u.dept*7+int(rid))%len(titles)])
		e.add("physicalDeliveryOfficeName", s.office)
	}
	if u.galFill >= 2 {
		e.add("telephoneNumber", s.phone+" "+strconv.Itoa(int(rid)%1000+100))
		e.add("streetAddress", s.street)
		e.add("l", s.city)
		e.add("st", s.state)
		e.add("postalCode", s.zip)
		e.add("c", s.c)
		e.add("co", s.co)
	}
	if u.galFill >= 3 {
		e.add("mobile", s.mobile+strconv.Itoa(1000000+int(rid)*7919%9000000))
		if rid%9 == 0 {
			e.add("facsimileTelephoneNumber", s.phone+" 999")
		}
	}
	e.add("distinguishedName", dn)
	switch {
	case u.noDisplay:
	case u.noNames:
		e.add("displayName", u.sam)
	default:
		e.add("displayName", u.p.name())
	}
	if u.galFill >= 1 {
		e.add("department", departments[u.dept])
	}
	e.add("name", u.cn)
	e.add("objectGUID", guid(u.sam))
	e.add("userAccountControl", strconv.Itoa(u.uac))
	if u.pwdAge < 0 {
		e.add("pwdLastSet", "0")
	} else {
		e.add("pwdLastSet", daysAgo(u.pwdAge))
	}
	e.add("objectSid", sid(rid))
	e.add("accountExpires", never)
	e.add("sAMAccountName", u.sam)
	e.add("userPrincipalName", u.upn)
	proxies := append([]string{"SMTP:" + u.primary}, u.extra...)
	e.add("proxyAddresses", proxies...)
	e.add("mail", u.primary)
	e.add("mailNickname", u.nick)
	e.add("legacyExchangeDN", exOrg+u.sam)
	e.add("homeMDB", homeMDB)
	e.add("msExchRecipientTypeDetails", u.recipType)
	e.add("msExchMailboxGuid", guid("mbx:"+u.sam))
	if u.sip != "" {
		e.add("msRTCSIP-PrimaryUserAddress", u.sip)
	}
	for _, a := range u.extraAttrs {
		e.add(a[0], a[1])
	}
	return e
}
