package main

// The workstations and servers.

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// computers are workstations and servers, with the old systems a company
// of this age still runs in its labs.
func computers(rng *rand.Rand) []*entry {
	type osv struct{ name, version, sp string }
	win11 := osv{"Windows 11 Enterprise", "10.0 (26100)", ""}
	win10 := osv{"Windows 10 Enterprise", "10.0 (19045)", ""}
	plan := []struct {
		prefix   string
		from, to int
		os       osv
	}{
		{"NW-NB", 1, 22, win11},
		{"NW-PC", 1, 8, win11},
		{"NW-PC", 9, 14, win10},
		{"LAB-PC", 1, 4, osv{"Windows 7 Professional", "6.1 (7601)", "Service Pack 1"}},
		{"LAB-XP", 1, 2, osv{"Windows XP Professional", "5.1 (2600)", "Service Pack 2"}},
		{"LAB-XP", 3, 5, osv{"Windows XP Professional", "5.1 (2600)", "Service Pack 3"}},
		{"HPLC-VISTA", 1, 1, osv{"Windows Vista™ Business", "6.0 (6001)", "Service Pack 1"}},
		{"SRV-FILE", 1, 1, osv{"Windows Server 2022 Standard", "10.0 (20348)", ""}},
		{"SRV-SQL", 1, 1, osv{"Windows Server 2019 Standard", "10.0 (17763)", ""}},
		{"SRV-APP", 1, 2, osv{"Windows Server 2008 R2 Enterprise", "6.1 (7601)", "Service Pack 1"}},
		{"SRV-LIMS", 1, 1, osv{"Windows 2000 Server", "5.0 (2195)", "Service Pack 4"}},
		{"NW-DC", 1, 2, osv{"Windows Server 2022 Standard", "10.0 (20348)", ""}},
	}
	var out []*entry
	n := 0
	for _, p := range plan {
		for i := p.from; i <= p.to; i++ {
			n++
			name := fmt.Sprintf("%s%02d", p.prefix, i)
			ou := "Workstations"
			if strings.HasPrefix(p.prefix, "SRV") {
				ou = "Servers"
			}
			dn := "CN=" + name + ",OU=" + ou + ",OU=Northwind," + baseDN
			if p.prefix == "NW-DC" {
				dn = "CN=" + name + ",OU=Domain Controllers," + baseDN
			}
			e := &entry{comment: name + ", " + ou + ", " + adDomain, dn: dn}
			e.add("objectClass", "top", "person", "organizationalPerson", "user", "computer")
			e.add("cn", name)
			e.add("distinguishedName", dn)
			e.add("name", name)
			e.add("objectGUID", guid("computer:"+name))
			uac := "4096"
			if p.prefix == "NW-DC" {
				uac = "532480"
			}
			e.add("userAccountControl", uac)
			e.add("pwdLastSet", daysAgo(rng.IntN(30)))
			e.add("objectSid", sid(uint32(5000+n)))
			e.add("sAMAccountName", name+"$")
			e.add("operatingSystem", p.os.name)
			e.add("operatingSystemVersion", p.os.version)
			if p.os.sp != "" {
				e.add("operatingSystemServicePack", p.os.sp)
			}
			e.add("dNSHostName", strings.ToLower(name)+"."+adDomain)
			out = append(out, e)
		}
	}
	return out
}
