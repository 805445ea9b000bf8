package engine

import (
	"strings"
	"testing"

	"github.com/preflight-scan/preflight/baseline"
	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/snapshot"
)

// upnUsers returns mail-enabled users with the given UPNs.
func upnUsers(upns ...string) []*snapshot.Record {
	var recs []*snapshot.Record
	for _, upn := range upns {
		name, _, _ := strings.Cut(upn, "@")
		recs = append(recs, dirRec("CN="+name+",OU=Staff,DC=corp,DC=northwind,DC=local", map[string]string{
			"objectclass": userClass, "samaccountname": name, "displayname": name, "givenname": name, "sn": name,
			"mail": name + "@northwind.example", "userprincipalname": upn, "useraccountcontrol": "512",
			"objectguid": "guid-" + name}))
	}
	return append(recs, ldifSource("ad.ldif", int64(len(upns))))
}

func dir010(rep *model.Report) []model.Finding {
	var out []model.Finding
	for _, f := range rep.Findings {
		if f.RuleID == "DIR-010" {
			out = append(out, f)
		}
	}
	return out
}

// DIR-010 reports each user whose UPN must change, grouped by suffix, so
// a nightly run against the last report shows each user fixed as exactly
// one finding resolved and the others unchanged.
func TestUPNSuffixPerUserShowsProgress(t *testing.T) {
	before := evalCatalogue(t, "", upnUsers("ann@corp.northwind.local", "bob@corp.northwind.local", "cyd@corp.northwind.local",
		"dan@northwind.example", "eve@northwind-partner.com")...)
	fs := dir010(before)
	if len(fs) != 4 {
		t.Fatalf("want one finding per user whose UPN must change (3 .local, 1 public), got %d", len(fs))
	}
	groups := map[string]int{}
	for _, f := range fs {
		if f.Object.Kind != "user" || !strings.HasPrefix(f.Object.ID, "CN=") {
			t.Errorf("finding is not about the user: %+v", f.Object)
		}
		groups[f.Group]++
		want := model.SeverityHigh
		if f.Group == "northwind-partner.com" {
			want = model.SeverityMedium
		}
		if f.Severity != want {
			t.Errorf("%s (%s): severity %s, want %s", f.Object.ID, f.Group, f.Severity, want)
		}
	}
	if groups["corp.northwind.local"] != 3 || groups["northwind-partner.com"] != 1 {
		t.Errorf("groups %v", groups)
	}

	// bob is fixed; the rest is as it was.
	after := evalCatalogue(t, "", upnUsers("ann@corp.northwind.local", "bob@northwind.example", "cyd@corp.northwind.local",
		"dan@northwind.example", "eve@northwind-partner.com")...)
	d := baseline.Compare(before, after)
	var resolved, added, kept int
	for _, f := range d.Resolved {
		if f.RuleID == "DIR-010" {
			resolved++
			if !strings.HasPrefix(f.Object.ID, "CN=bob,") {
				t.Errorf("resolved %s, want bob", f.Object.ID)
			}
		}
	}
	for _, f := range d.New {
		if f.RuleID == "DIR-010" {
			added++
		}
	}
	for _, f := range d.Existing {
		if f.RuleID == "DIR-010" {
			kept++
		}
	}
	if resolved != 1 || added != 0 || kept != 3 {
		t.Errorf("after fixing one user: %d resolved, %d new, %d existing; want 1, 0, 3", resolved, added, kept)
	}
	if c := checkOf(t, after, "DIR-010"); c.Findings != 3 || c.Status != model.StatusFail {
		t.Errorf("DIR-010 after: %s with %d findings", c.Status, c.Findings)
	}
}
