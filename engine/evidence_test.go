package engine

import (
	"strings"
	"testing"

	"github.com/preflight-scan/preflight/checks"
	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/rules"
	"github.com/preflight-scan/preflight/snapshot"
)

// evalCatalogue evaluates the real rule catalogue over records.
func evalCatalogue(t *testing.T, scope string, recs ...*snapshot.Record) *model.Report {
	t.Helper()
	rs, err := rules.Load()
	if err != nil {
		t.Fatal(err)
	}
	run, err := New(Options{Rules: rs, Registry: checks.Default(),
		Env: checks.Env{Profile: "exchange-online", Now: caseNow(), SyncScope: scope}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if err := run.Put(r); err != nil {
			t.Fatal(err)
		}
	}
	return run.Finish(Meta{})
}

func dirRec(dn string, attrs map[string]string) *snapshot.Record {
	raw := map[string][][]byte{}
	for k, v := range attrs {
		for _, x := range strings.Split(v, "|") {
			raw[k] = append(raw[k], []byte(x))
		}
	}
	return &snapshot.Record{Dir: snapshot.NewDirObject(dn, raw)}
}

func ldifSource(name string, n int64) *snapshot.Record {
	return &snapshot.Record{Source: &snapshot.Source{Name: name, Kind: "ldif", Areas: []snapshot.Area{snapshot.AreaDirectory, snapshot.AreaClients}, Status: snapshot.StatusOK, Objects: n}}
}

func checkOf(t *testing.T, rep *model.Report, id string) model.Check {
	t.Helper()
	for _, c := range rep.Checks {
		if c.RuleID == id {
			return c
		}
	}
	t.Fatalf("no check %s", id)
	return model.Check{}
}

const userClass = "top|person|organizationalPerson|user"

// Users but not one mail-enabled object: every directory rule judged
// nothing, so none passes, the directory is not assessed, and a scan that
// judged nothing is incomplete, not ready.
func TestNoMailEnabledObjectIsNotReady(t *testing.T) {
	var recs []*snapshot.Record
	for _, n := range []string{"ann", "bob", "cyd"} {
		recs = append(recs, dirRec("CN="+n+",CN=Users,DC=corp,DC=example,DC=com", map[string]string{
			"objectclass": userClass, "samaccountname": n, "userprincipalname": n + "@corp.example.com",
			"useraccountcontrol": "512", "pwdlastset": "134070000000000000", "displayname": n}))
	}
	recs = append(recs, ldifSource("pop-users.ldif", 3))
	rep := evalCatalogue(t, "", recs...)
	for _, c := range rep.Checks {
		if c.Status == model.StatusPass && c.Evaluated == 0 {
			t.Errorf("%s passes having judged nothing", c.RuleID)
		}
		if c.Category == "directory" && c.Status == model.StatusPass {
			t.Errorf("%s passes with no mail-enabled object", c.RuleID)
		}
	}
	c := checkOf(t, rep, "DIR-003")
	if c.Status != model.StatusSkipped || !strings.Contains(c.Error, "no mail-enabled object in the export") || !strings.Contains(c.Error, "--sync-scope all") {
		t.Errorf("DIR-003: %s %q", c.Status, c.Error)
	}
	if rep.Summary.Verdict != model.VerdictIncomplete {
		t.Errorf("verdict %s, want incomplete (%v)", rep.Summary.Verdict, rep.Summary.VerdictReasons)
	}
	if got := rep.Summary.Coverage.Reasons["directory"]; !strings.Contains(got, "no mail-enabled object") {
		t.Errorf("directory coverage reason %q", got)
	}
	if sc := rep.Summary.Scope; sc == nil || sc.InScope != 0 || sc.OutsideScope != 3 || sc.SyncScope != "mail-enabled" {
		t.Errorf("scope %+v", sc)
	}

	// --sync-scope all judges them.
	rep = evalCatalogue(t, checks.ScopeAll, recs...)
	c = checkOf(t, rep, "DIR-003")
	if c.Status != model.StatusPass || c.Evaluated != 3 {
		t.Errorf("scope all: DIR-003 %s evaluated %d (%s)", c.Status, c.Evaluated, c.Error)
	}
	if sc := rep.Summary.Scope; sc.InScope != 3 || sc.OutsideScope != 0 || sc.SyncScope != "all" {
		t.Errorf("scope all: %+v", sc)
	}
	if rep.Summary.Verdict == model.VerdictIncomplete {
		t.Errorf("scope all: verdict incomplete (%v)", rep.Summary.VerdictReasons)
	}
}

// An export without pwdLastSet (a Global Catalog query, an ldapsearch that
// did not request it): DIR-007 is error, naming the attribute, and the
// source lists it as absent.
func TestAbsentAttributeIsNamed(t *testing.T) {
	rep := evalCatalogue(t, "",
		dirRec("CN=Ann,CN=Users,DC=corp,DC=example,DC=com", map[string]string{"objectclass": userClass, "samaccountname": "ann",
			"mail": "ann@example.com", "userprincipalname": "ann@example.com", "displayname": "Ann", "useraccountcontrol": "512"}),
		ldifSource("gc.ldif", 1))
	c := checkOf(t, rep, "DIR-007")
	if c.Status != model.StatusError || !strings.Contains(c.Error, "carries pwdLastSet") || c.Findings != 0 {
		t.Errorf("DIR-007: %s %d %q", c.Status, c.Findings, c.Error)
	}
	if c := checkOf(t, rep, "DIR-003"); c.Status != model.StatusPass || c.Evaluated != 1 {
		t.Errorf("DIR-003: %s evaluated %d", c.Status, c.Evaluated)
	}
	var missing []string
	for _, s := range rep.Sources {
		if s.Name == "gc.ldif" {
			missing = s.MissingAttributes
		}
	}
	if !contains(missing, "pwdLastSet") || contains(missing, "mail") {
		t.Errorf("missing attributes %v", missing)
	}
	if rep.Summary.Verdict != model.VerdictIncomplete {
		t.Errorf("verdict %s", rep.Summary.Verdict)
	}
}

// Exchange's arbitration mailbox is not a person: excluded and counted.
func TestArbitrationMailboxExcluded(t *testing.T) {
	rep := evalCatalogue(t, "",
		dirRec("CN=Migration.8f3e7716-2011-43e4-96b1-aba62d229136,CN=Users,DC=corp,DC=example,DC=com", map[string]string{
			"objectclass": userClass, "cn": "Migration.8f3e7716-2011-43e4-96b1-aba62d229136", "samaccountname": "SM_2a4b9c0e6d1f4a7b8",
			"mail": "Migration.8f3e7716-2011-43e4-96b1-aba62d229136@corp.example.com", "userprincipalname": "Migration.8f3e7716-2011-43e4-96b1-aba62d229136@corp.example.com",
			"msexchrecipienttypedetails": "8388608", "useraccountcontrol": "514", "displayname": "Microsoft Exchange Migration"}),
		dirRec("CN=Ann,CN=Users,DC=corp,DC=example,DC=com", map[string]string{"objectclass": userClass, "samaccountname": "ann",
			"mail": "ann@example.com", "userprincipalname": "ann@example.com", "displayname": "Ann", "givenname": "Ann", "sn": "A", "useraccountcontrol": "512"}),
		ldifSource("x.ldif", 2))
	for _, f := range rep.Findings {
		if strings.Contains(f.Object.ID, "Migration.") {
			t.Errorf("%s judged the arbitration mailbox: %s", f.RuleID, f.Message)
		}
	}
	if sc := rep.Summary.Scope; sc.Excluded[snapshot.ExcludedArbitration] != 1 || sc.InScope != 1 {
		t.Errorf("scope %+v", sc)
	}
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}
