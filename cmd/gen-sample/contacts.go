package main

// The external partners in the address book.

import "strings"

// contacts are external partners in the address book.
func contacts() []*entry {
	var out []*entry
	partners := []struct{ given, sn, domain, company string }{
		{"Klaus", "Brenner", "brenner-labor.de", "Brenner Labor GmbH"},
		{"Anja", "Seidel", "medlogistik.de", "MedLogistik AG"},
		{"Pierre", "Laurent", "biopharm-conseil.fr", "BioPharm Conseil"},
		{"Emily", "Carter", "carter-regulatory.co.uk", "Carter Regulatory Ltd"},
		{"Jan", "Visser", "visser-analytics.nl", "Visser Analytics"},
		{"Ana", "Costa", "costa-clinica.pt", "Clínica Costa"},
		{"Marek", "Zieliński", "zielinski-med.pl", "Zieliński Med"},
		{"Yuki", "Yamamoto", "yamamoto-pharma.co.jp", "Yamamoto Pharma KK"},
		{"Sergei", "Volkov", "volkov-chem.com", "Volkov Chemicals"},
		{"Ali", "Hassan", "hassan-trading.ae", "Hassan Trading"},
		{"Laura", "Rossi", "studio-rossi.it", "Studio Rossi"},
		{"Tom", "Becker", "becker-it-service.de", "Becker IT Service"},
		{"Nina", "Hahn", "hahn-kommunikation.de", "Hahn Kommunikation"},
		{"Peter", "Olsen", "olsen-consult.dk", "Olsen Consult"},
		{"Lisa", "Graf", "graf-law.ch", "Graf Legal"},
		{"Martin", "Kühn", "kuehn-transporte.de", "Kühn Transporte"},
		{"Sofia", "Martínez", "martinez-farma.es", "Martínez Farma"},
		{"Hans", "Vogt", "vogt-engineering.de", "Vogt Engineering"},
		{"Eva", "Lind", "lind-qa.se", "Lind QA"},
	}
	add := func(cn, given, sn, addr string, extra ...[2]string) {
		dn := "CN=" + escapeRDN(cn) + ",OU=Contacts,OU=Northwind," + baseDN
		e := &entry{comment: cn + ", Contacts, Northwind, " + adDomain, dn: dn}
		e.add("objectClass", "top", "person", "organizationalPerson", "contact")
		e.add("cn", cn)
		if sn != "" {
			e.add("sn", sn)
		}
		if given != "" {
			e.add("givenName", given)
		}
		e.add("distinguishedName", dn)
		e.add("displayName", cn)
		e.add("name", cn)
		e.add("objectGUID", guid("contact:"+addr))
		e.add("mail", addr)
		e.add("proxyAddresses", "SMTP:"+addr)
		e.add("targetAddress", "SMTP:"+addr)
		e.add("mailNickname", strings.NewReplacer("@", "_", ".", "_").Replace(addr))
		e.add("legacyExchangeDN", exOrg+"contact-"+strings.Split(addr, "@")[0])
		for _, x := range extra {
			e.add(x[0], x[1])
		}
		out = append(out, e)
	}
	for _, p := range partners {
		addr := strings.ToLower(fold(p.given)) + "." + strings.ToLower(fold(p.sn)) + "@" + p.domain
		add(p.given+" "+p.sn+" ("+p.company+")", p.given, p.sn, addr, [2]string{"company", p.company})
	}
	// The agency that organises events holds the address a user and a
	// group also hold (DIR-005).
	add("Marketing Agency Brightline", "", "", "events@"+mailDomain)
	// A contact typed by hand with a missing top-level domain (DIR-002).
	add("Dr. Weiss (Labor)", "Stefan", "Weiss", "s.weiss@weiss-labor")
	return out
}
