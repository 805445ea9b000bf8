package main

// The distribution and security groups.

import (
	"math/rand/v2"
	"sort"
	"strings"
)

// groups are distribution and security groups.
func groups(rng *rand.Rand, users []*user) []*entry {
	var out []*entry
	member := func(u *user) string { return userDN(u.cn, u.ou) }
	add := func(cn, alias, gtype string, mail bool, members []string, extra ...string) {
		dn := "CN=" + cn + ",OU=Groups,OU=Northwind," + baseDN
		e := &entry{comment: cn + ", Groups, Northwind, " + adDomain, dn: dn}
		e.add("objectClass", "top", "group")
		e.add("cn", cn)
		e.add("member", members...)
		e.add("distinguishedName", dn)
		e.add("name", cn)
		e.add("objectGUID", guid("group:"+cn))
		e.add("objectSid", sid(uint32(3000+len(out))))
		e.add("sAMAccountName", alias)
		e.add("groupType", gtype)
		if mail {
			e.add("displayName", cn)
			e.add("mail", alias+"@"+mailDomain)
			e.add("proxyAddresses", append([]string{"SMTP:" + alias + "@" + mailDomain}, extra...)...)
			e.add("mailNickname", alias)
			e.add("legacyExchangeDN", exOrg+alias)
		}
		out = append(out, e)
	}
	byDept := map[int][]string{}
	var all []string
	for _, u := range users {
		if u.ou != "Staff" {
			continue
		}
		byDept[u.dept] = append(byDept[u.dept], member(u))
		all = append(all, member(u))
	}
	add("All Staff", "allstaff", "8", true, all)
	for i, d := range departments {
		alias := "dl-" + strings.NewReplacer(" & ", "-", " ", "-").Replace(strings.ToLower(d))
		add("DL "+d, alias, "8", true, byDept[i])
	}
	// Events list: its address is also on a user and a contact (DIR-005).
	pickN := func(n int) []string {
		var m []string
		for i := 0; i < n; i++ {
			m = append(m, all[rng.IntN(len(all))])
		}
		sort.Strings(m)
		return dedup(m)
	}
	add("Events", "events", "8", true, pickN(6))
	add("Hamburg Site", "hamburg", "2", true, pickN(12), "smtp:hh@"+mailDomain)
	// A mail-enabled security group and plain security groups.
	add("SG Lab Access", "sg-lab-access", "-2147483646", true, pickN(15))
	add("SG VPN Users", "sg-vpn", "-2147483646", false, pickN(40))
	add("SG File Share Finance", "sg-fs-finance", "-2147483644", false, byDept[7])
	return out
}

func dedup(s []string) []string {
	var out []string
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}
