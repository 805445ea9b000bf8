package main

// The planted problems, one or a few per directory rule.

import "strings"

// plantProblems gives roughly one person in ten a typical migration
// problem, each on a different person, so that every directory rule has
// something to find, and moves the leavers to their OU.
func plantProblems(users []*user) {
	// pick takes the next clean Latin-script user in a fixed order.
	next := 0
	pick := func() *user {
		for {
			u := users[(next*37+11)%len(users)]
			next++
			if u.extraAttrs == nil && u.uac == 512 && u.pwdAge >= 0 && u.pwdAge < 14 && u.ou == "Staff" &&
				!u.noNames && u.p.agiven == fold(u.p.given) {
				u.extraAttrs = [][2]string{}
				return u
			}
		}
	}
	// DIR-001 unsupported characters in alias-type values.
	u := pick() // an apostrophe in the UPN and the aliases
	u.p = latin("Seán", "O'Brien")
	u.cn = "Seán O'Brien"
	u.sam, u.nick, u.upn, u.primary = "sobrien", "sean.o'brien", "sean.o'brien@"+mailDomain, "sean.o'brien@"+mailDomain
	u.extra = []string{"smtp:sobrien@" + mailDomain}
	if u.sip != "" {
		u.sip = "sip:" + u.primary
		u.extra = append(u.extra, "SIP:"+u.primary)
	}
	u = pick() // a space in sAMAccountName and mailNickname (created by hand)
	u.sam, u.nick = u.p.given+" "+u.p.sn, u.p.given+" "+u.p.sn
	u.sam = u.sam[:min(len(u.sam), 20)]
	u = pick() // parentheses in mailNickname, a space in a secondary proxy address
	u.nick = u.nick + "(temp)"
	u.extra = append(u.extra, "smtp:"+u.p.agiven+" "+u.p.asn+"@"+mailDomain)
	u = pick() // a slash and a plus in sAMAccountName
	u.sam = "ext/" + u.sam[:min(len(u.sam), 10)] + "+lab"
	u = pick() // a square bracket in a proxy address
	u.extra = append(u.extra, "smtp:["+u.p.asn+"]@"+mailDomain)

	// DIR-002 invalid formats and lengths.
	u = pick() // consecutive dots in mail and primary address
	u.primary = u.p.agiven + ".." + u.p.asn + "@" + mailDomain
	u = pick() // secondary address without a top-level domain
	u.extra = append(u.extra, "smtp:"+u.p.asn+"@northwindpharma")
	u = pick() // a dot right before the @ in the UPN
	u.upn = u.p.agiven + "." + u.p.asn + ".@" + mailDomain
	u = pick() // UPN with more than 64 characters before the @
	u.upn = "clinical.trials.coordination.team.lead." + u.p.agiven + "." + u.p.asn + ".hamburg.site@" + mailDomain
	u = pick() // sAMAccountName over 20 characters
	u.sam = u.p.agiven + "." + u.p.asn + ".adm-legacy"
	u = pick() // mail with a trailing dot in the domain
	u.primary = u.p.agiven + "." + u.p.asn + "@" + mailDomain + "."

	// DIR-003 required attributes missing on mail-enabled people.
	// Two of them, made by a provisioning script, lack a display name too.
	for i := 0; i < 4; i++ {
		u = pick()
		u.noNames = true
		u.noDisplay = i < 2
	}

	// DIR-005 duplicate addresses: a leaver's address kept on her successor.
	a, b := pick(), pick()
	b.extra = append(b.extra, "smtp:"+a.primary)
	// the same address on a user and (below) a contact and a group.
	u = pick()
	u.extra = append(u.extra, "smtp:events@"+mailDomain)

	// DIR-007 passwords not fresh: must change at next logon, and stale.
	for i := 0; i < 3; i++ {
		pick().pwdAge = -1
	}
	for _, age := range []int{95, 120, 187, 240, 366, 512, 730, 1101} {
		pick().pwdAge = age
	}

	// DIR-008 password never expires / not required.
	for i := 0; i < 5; i++ {
		u = pick()
		u.uac = 512 | 0x10000
		u.pwdAge = 200 + 97*i
	}
	for i := 0; i < 2; i++ {
		u = pick()
		u.uac = 512 | 0x20
	}

	// DIR-009 SIP address left behind after a change of name.
	for _, newSn := range []string{"Hartmann-Weber", "Lindqvist", "Moreau"} {
		u = pick()
		if u.sip == "" {
			u.sip = "sip:" + u.primary
		}
		old := u.primary
		u.p.sn, u.p.asn = newSn, fold(newSn)
		u.cn = u.p.given + " " + newSn
		u.primary = u.p.agiven + "." + u.p.asn + "@" + mailDomain
		u.upn = u.primary
		u.nick = u.p.agiven + "." + u.p.asn
		var extra []string
		for _, e := range u.extra {
			if !strings.EqualFold(e, "SIP:"+old) {
				extra = append(extra, e)
			}
		}
		u.extra = append(extra, "smtp:"+old)
	}
	// ... and one in Cyrillic script: Olga kept the SIP address of her
	// maiden name when she married (her mail address moved on).
	for _, u := range users {
		if u.p.given == "Ольга" {
			u.sip = "sip:olga.kuznetsova@" + mailDomain
		}
	}

	// DIR-010 accounts still on the internal UPN suffix.
	for i := 0; i < 8; i++ {
		u = pick()
		u.upn = u.sam + "@" + adDomain
	}

	// DIR-012 forwarding and delegation.
	boss, assistant := pick(), pick()
	boss.extraAttrs = append(boss.extraAttrs, [2]string{"publicDelegates", userDN(assistant.cn, assistant.ou)})
	ceo := pick()
	ceo.extraAttrs = append(ceo.extraAttrs, [2]string{"publicDelegates", userDN(assistant.cn, assistant.ou)})
	u = pick()
	u.extraAttrs = append(u.extraAttrs, [2]string{"altRecipient", userDN(assistant.cn, assistant.ou)}, [2]string{"deliverAndRedirect", "TRUE"})
	u = pick()
	u.extraAttrs = append(u.extraAttrs, [2]string{"altRecipient", "CN=Marketing Agency Brightline,OU=Contacts,OU=Northwind," + baseDN}, [2]string{"deliverAndRedirect", "FALSE"})
	u = pick() // a mail user forwarding to a private address
	u.extraAttrs = append(u.extraAttrs, [2]string{"targetAddress", "SMTP:" + u.p.agiven + "." + u.p.asn + "@gmx.de"})

	// Leavers: disabled, stale passwords; the password rules skip them.
	for i := 0; i < 9; i++ {
		u = pick()
		u.uac = 514
		u.pwdAge = 300 + 41*i
		u.ou = "Leavers"
	}
}
