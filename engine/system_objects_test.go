package engine

import (
	"strings"
	"testing"

	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/snapshot"
)

// Exchange's system mailboxes and Windows' built-in accounts are never
// judged as people (no DIR-003/DIR-004 or any other directory finding),
// and the report counts them by reason. Each carries the attributes it
// has in a real Exchange 2016/2019 directory: mail, a UPN, a mailbox
// type, no given name or surname.
func TestSystemObjectsExcludedByReason(t *testing.T) {
	const base = ",CN=Users,DC=corp,DC=example,DC=com"
	sys := []struct {
		cn, sam, rtd, want string
	}{
		{"Migration.8f3e7716-2011-43e4-96b1-aba62d229136", "SM_2a4b9c0e6d1f4a7b8", "8388608", snapshot.ExcludedArbitration},
		{"SystemMailbox{1f05a927-7e5d-4b0a-9c8e-3a2f1d6b9e41}", "SM_6c1e0f2b9d7a4e3c8", "8388608", snapshot.ExcludedArbitration},
		{"DiscoverySearchMailbox {D919BA05-46A6-415f-80AD-7E09334BB852}", "SM_9e3d2c1b0a4f4e5d6", "536870912", snapshot.ExcludedDiscovery},
		{"HealthMailbox0c4a6f1e2b3d4c5e8f9a0b1c2d3e4f50", "HealthMailbox0c4a6f1", "549755813888", snapshot.ExcludedMonitoring},
		{"SystemMailbox{8cc370d3-822a-4ab8-a926-bb94bd0641a9}", "SM_3b7e9d1c5a2f4b6e8", "4398046511104", snapshot.ExcludedAuditLog},
		{"SystemMailbox{D0E409A0-AF9B-4720-92FE-AAC869B0D201}", "SM_5d8f0a2c4e6b4d1f3", "70368744177664", snapshot.ExcludedAuxAuditLog},
		{"Microsoft System Attendant", "SystemAttendant", "8192", snapshot.ExcludedSystemAttendant},
		{"SupervisoryReview{4f2a1b3c}", "SM_7a9c1e3b5d0f4a2c6", "140737488355328", snapshot.ExcludedExchangeSystem},
		// Found by name alone (a Global Catalog export without
		// msExchRecipientTypeDetails).
		{"HealthMailbox7d2e9f0a1b3c4d5e6f708192a3b4c5d6", "HealthMailbox7d2e9f0", "", snapshot.ExcludedSystemName},
		{"FederatedEmail.4c1f4d8b-8179-4148-93bf-00a95fa1e042", "SM_1f3a5c7e9b2d4f6a8", "", snapshot.ExcludedSystemName},
		{"krbtgt", "krbtgt", "", snapshot.ExcludedWellKnown},
		{"Guest", "Guest", "", snapshot.ExcludedWellKnown},
		{"DefaultAccount", "DefaultAccount", "", snapshot.ExcludedWellKnown},
		{"WDAGUtilityAccount", "WDAGUtilityAccount", "", snapshot.ExcludedWellKnown},
	}
	var recs []*snapshot.Record
	want := map[string]int64{}
	for i, s := range sys {
		attrs := map[string]string{"objectclass": userClass, "cn": s.cn, "samaccountname": s.sam,
			"mail": s.sam + "@corp.example.com", "proxyaddresses": "SMTP:" + s.sam + "@corp.example.com",
			"userprincipalname": s.sam + "@corp.example.local", "displayname": s.cn, "useraccountcontrol": "514",
			"objectguid": "sys-" + string(rune('a'+i))}
		if s.rtd != "" {
			attrs["msexchrecipienttypedetails"] = s.rtd
		}
		recs = append(recs, dirRec("CN="+s.cn+base, attrs))
		want[s.want]++
	}
	recs = append(recs, dirRec("CN=Ann Lee"+base, map[string]string{"objectclass": userClass, "cn": "Ann Lee", "samaccountname": "alee",
		"mail": "ann.lee@example.com", "userprincipalname": "ann.lee@example.com", "displayname": "Ann Lee", "givenname": "Ann", "sn": "Lee",
		"useraccountcontrol": "512", "msexchrecipienttypedetails": "1"}))
	recs = append(recs, ldifSource("exchange.ldif", int64(len(recs))))
	rep := evalCatalogue(t, "", recs...)
	for _, f := range rep.Findings {
		if f.Category == "directory" && !strings.Contains(f.Object.ID, "Ann Lee") && f.Object.Kind != "directory" && f.Object.Kind != "domain" {
			t.Errorf("%s judged the system object %s: %s", f.RuleID, f.Object.ID, f.Message)
		}
	}
	for _, id := range []string{"DIR-003", "DIR-004"} {
		if c := checkOf(t, rep, id); c.Evaluated != 1 {
			t.Errorf("%s evaluated %d objects, want 1 (Ann Lee only)", id, c.Evaluated)
		}
	}
	sc := rep.Summary.Scope
	if sc == nil || sc.InScope != 1 {
		t.Fatalf("scope %+v", sc)
	}
	for reason, n := range want {
		if sc.Excluded[reason] != n {
			t.Errorf("excluded[%s] = %d, want %d (all: %v)", reason, sc.Excluded[reason], n, sc.Excluded)
		}
	}
}

// A zone that lists one subject and answers another with an error code
// keeps the listing: BL-001 reports it as a finding and the error as the
// check's error, and the verdict is incomplete because the check erred.
func TestBlocklistListingAndErrorBothReported(t *testing.T) {
	bl := func(subject string, selfTest bool, answer string) *snapshot.Record {
		outcome := snapshot.LookupFound
		var answers []string
		if answer == "" {
			outcome = snapshot.LookupNXDomain
		} else {
			answers = []string{answer}
		}
		return &snapshot.Record{Blocklist: &snapshot.BlocklistResult{Zone: "zen.spamhaus.org", Kind: "ip", Subject: subject, SelfTest: selfTest, Outcome: outcome, Answers: answers, Reason: "--egress-ip"}}
	}
	rep := evalCatalogue(t, "",
		bl("127.0.0.2", true, "127.0.0.2"), bl("127.0.0.1", true, ""),
		bl("203.0.113.10", false, "127.0.0.2"), bl("203.0.113.11", false, "127.255.255.255"),
		&snapshot.Record{Source: &snapshot.Source{Name: "blocklists via 127.0.0.1:53", Kind: "dns", Areas: []snapshot.Area{snapshot.AreaBlacklist}, Status: snapshot.StatusOK, Objects: 4}})
	c := checkOf(t, rep, "BL-001")
	if c.Status != model.StatusError || c.Findings != 1 || !strings.Contains(c.Error, "203.0.113.11") || !strings.Contains(c.Error, "too many queries") {
		t.Errorf("BL-001: %s, %d findings, error %q", c.Status, c.Findings, c.Error)
	}
	found := false
	for _, f := range rep.Findings {
		found = found || (f.RuleID == "BL-001" && f.Object.ID == "203.0.113.10")
	}
	if !found {
		t.Error("the listing of 203.0.113.10 was discarded")
	}
	if rep.Summary.Verdict != model.VerdictIncomplete {
		t.Errorf("verdict %s, want incomplete", rep.Summary.Verdict)
	}
}
