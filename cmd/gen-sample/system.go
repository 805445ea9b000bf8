package main

// The built-in and service accounts, and the shared and room mailboxes.

import "strconv"

// systemAccounts are the built-in and service accounts every domain has,
// plus shared and room mailboxes.
func systemAccounts() []*entry {
	var out []*entry
	builtin := func(cn, sam string, uac int, age int, rid uint32, critical bool) *entry {
		dn := "CN=" + cn + ",CN=Users," + baseDN
		e := &entry{comment: cn + ", Users, " + adDomain, dn: dn}
		e.add("objectClass", "top", "person", "organizationalPerson", "user")
		e.add("cn", cn)
		e.add("distinguishedName", dn)
		e.add("name", cn)
		e.add("objectGUID", guid("sys:"+sam))
		e.add("userAccountControl", strconv.Itoa(uac))
		e.add("pwdLastSet", daysAgo(age))
		e.add("objectSid", sid(rid))
		e.add("accountExpires", never)
		e.add("sAMAccountName", sam)
		if critical {
			e.add("isCriticalSystemObject", "TRUE")
		}
		return e
	}
	out = append(out,
		builtin("Administrator", "Administrator", 66048, 1460, 500, true),
		builtin("Guest", "Guest", 66082, 4000, 501, true),
		builtin("krbtgt", "krbtgt", 514, 2900, 502, true),
	)
	// Service accounts: not mail-enabled, passwords that never expire.
	for i, s := range []string{"svc-backup", "svc-sql", "svc-scan2mail"} {
		e := builtin(s, s, 66048, 900+200*i, uint32(1100+i), false)
		e.dn = "CN=" + s + ",OU=Service Accounts,OU=Northwind," + baseDN
		e.comment = s + ", Service Accounts, Northwind, " + adDomain
		for i := range e.attrs {
			if e.attrs[i][0] == "distinguishedName" {
				e.attrs[i][1] = e.dn
			}
		}
		e.add("description", "Service account, do not disable")
		out = append(out, e)
	}
	// Shared and room mailboxes: disabled users with a mailbox.
	for i, m := range []struct{ cn, alias, typ string }{
		{"Info Northwind", "info", "4"},
		{"Human Resources Team", "hr", "4"},
		{"Quality Complaints", "qa-complaints", "4"},
		{"Room Hamburg Elbe", "room-hh-elbe", "16"},
		{"Room Basel Rhein", "room-bs-rhein", "16"},
	} {
		dn := "CN=" + m.cn + ",OU=Resources,OU=Northwind," + baseDN
		e := &entry{comment: m.cn + ", Resources, Northwind, " + adDomain, dn: dn}
		e.add("objectClass", "top", "person", "organizationalPerson", "user")
		e.add("cn", m.cn)
		e.add("distinguishedName", dn)
		e.add("displayName", m.cn)
		e.add("name", m.cn)
		e.add("objectGUID", guid("res:"+m.alias))
		e.add("userAccountControl", "514")
		e.add("pwdLastSet", daysAgo(700+30*i))
		e.add("objectSid", sid(uint32(1050+i)))
		e.add("sAMAccountName", m.alias)
		e.add("userPrincipalName", m.alias+"@"+mailDomain)
		e.add("proxyAddresses", "SMTP:"+m.alias+"@"+mailDomain)
		e.add("mail", m.alias+"@"+mailDomain)
		e.add("mailNickname", m.alias)
		e.add("legacyExchangeDN", exOrg+m.alias)
		e.add("homeMDB", homeMDB)
		e.add("msExchRecipientTypeDetails", m.typ)
		out = append(out, e)
	}
	return out
}
