package cli

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/snapshot"
)

// scanLDIF runs "preflight scan --offline --ldif FILE" over a fixture of
// testdata/ldapsearch and returns the exit code and the report, which
// must validate against the published schema.
func scanLDIF(t *testing.T, fixture string, extra ...string) (int, *model.Report) {
	t.Helper()
	out := t.TempDir()
	path := fixture
	if !filepath.IsAbs(path) {
		path = filepath.Join("../../testdata/ldapsearch", fixture)
	}
	args := append([]string{"scan", "--offline", "--ldif", path, "--quiet", "--out", out, "--format", "json"}, extra...)
	code, _, stderr := runCLI(t, nil, args...)
	if code == ExitUsage || code == 4 {
		t.Fatalf("%s: exit %d: %s", fixture, code, stderr)
	}
	return code, validReport(t, filepath.Join(out, "report.json"))
}

func onlySource(t *testing.T, rep *model.Report) snapshot.Source {
	t.Helper()
	if len(rep.Sources) != 1 {
		t.Fatalf("sources %+v, want one", rep.Sources)
	}
	return rep.Sources[0]
}

func checkOf(rep *model.Report, id string) model.Check {
	for _, c := range rep.Checks {
		if c.RuleID == id {
			return c
		}
	}
	return model.Check{}
}

func hasText(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// A whole ldapsearch export (paged, with objectClass and its trailer) is a
// source of evidence: ok, every entry classified, the directory assessed.
func TestLdapsearchCompleteExport(t *testing.T) {
	for _, f := range []string{"with-objectclass.ldif", "paged-prompt.ldif"} {
		t.Run(f, func(t *testing.T) {
			code, rep := scanLDIF(t, f)
			src := onlySource(t, rep)
			if code == ExitIncomplete || rep.Summary.Verdict == model.VerdictIncomplete {
				t.Fatalf("exit %d, verdict %s (%v), want a verdict", code, rep.Summary.Verdict, rep.Summary.VerdictReasons)
			}
			if src.Status != snapshot.StatusOK || src.Unclassified != 0 || src.DNOnly != 0 || rep.Summary.Coverage.Partial != nil {
				t.Errorf("source %+v, partial %v", src, rep.Summary.Coverage.Partial)
			}
			if !hasText(rep.Summary.Coverage.Assessed, "directory") {
				t.Errorf("coverage %+v: directory not assessed", rep.Summary.Coverage)
			}
		})
	}
}

// ldapsearch ... "(objectClass=user)" sAMAccountName userAccountControl
// memberOf: 30 entries without objectClass. They are classified from
// userAccountControl (27 users, 3 computers), not dropped, and the scan is
// not ready: nothing is mail-enabled, and under --sync-scope all the rules
// that need attributes the export lacks are not judged.
func TestLdapsearchWithoutObjectClass(t *testing.T) {
	code, rep := scanLDIF(t, "no-objectclass.ldif")
	src := onlySource(t, rep)
	if code != ExitIncomplete || rep.Summary.Verdict != model.VerdictIncomplete {
		t.Errorf("exit %d, verdict %s, want %d and incomplete", code, rep.Summary.Verdict, ExitIncomplete)
	}
	if !hasText(src.Notes, "30 entries carried no objectClass and were classified from what is certain (30 from userAccountControl)") {
		t.Errorf("notes %q", src.Notes)
	}
	if inv := rep.Summary.Inventory; inv.Users != 27 || inv.Computers != 3 {
		t.Errorf("inventory %d users, %d computers; want 27 and 3", inv.Users, inv.Computers)
	}
	if sc := rep.Summary.Scope; sc == nil || sc.OutsideScope != 24 || sc.Excluded[snapshot.ExcludedWellKnown] != 3 {
		t.Errorf("scope %+v, want 24 outside (not mail-enabled) and 3 well-known accounts excluded", rep.Summary.Scope)
	}
	if !hasText(rep.Summary.VerdictReasons, "no mail-enabled object in the export") {
		t.Errorf("reasons %q", rep.Summary.VerdictReasons)
	}

	code, rep = scanLDIF(t, "no-objectclass.ldif", "--sync-scope", "all")
	if code != ExitIncomplete || rep.Summary.Verdict != model.VerdictIncomplete {
		t.Errorf("--sync-scope all: exit %d, verdict %s, want incomplete", code, rep.Summary.Verdict)
	}
	if c := checkOf(rep, "DIR-001"); c.Evaluated != 24 {
		t.Errorf("DIR-001 evaluated %d, want the 24 users classified from userAccountControl", c.Evaluated)
	}
	if c := checkOf(rep, "DIR-010"); c.Status != model.StatusError || !strings.Contains(c.Error, "userPrincipalName") {
		t.Errorf("DIR-010 %s %q, want error naming userPrincipalName", c.Status, c.Error)
	}
	for _, c := range rep.Checks {
		if c.Status == model.StatusPass && c.Evaluated == 0 {
			t.Errorf("%s passes on nothing", c.RuleID)
		}
	}
}

// An anonymous bind: a third of the entries carry only their DN. They are
// counted, the directory is only partly assessed, and the verdict says so.
func TestLdapsearchAnonymousDNOnly(t *testing.T) {
	code, rep := scanLDIF(t, "anonymous.ldif")
	src := onlySource(t, rep)
	if code != ExitIncomplete || rep.Summary.Verdict != model.VerdictIncomplete {
		t.Errorf("exit %d, verdict %s, want incomplete", code, rep.Summary.Verdict)
	}
	if src.DNOnly != 6 || src.Unclassified != 0 || !hasText(src.Notes, "6 entries carried only their DN") {
		t.Errorf("dn_only %d, unclassified %d, notes %q; want 6, 0 and a note", src.DNOnly, src.Unclassified, src.Notes)
	}
	if p := rep.Summary.Coverage.Partial["directory"]; !strings.Contains(p, "6 of the 18 entries") {
		t.Errorf("coverage.partial %q", p)
	}
	if !hasText(rep.Summary.VerdictReasons, "directory only partly assessed: 6 of the 18 entries") {
		t.Errorf("reasons %q", rep.Summary.VerdictReasons)
	}
}

// An ldapsearch export cut off before its trailer, or ended by a failed
// result, is a failed source: the verdict is incomplete (exit 3) and the
// report says why and what to do.
func TestLdapsearchIncompleteExports(t *testing.T) {
	for _, tc := range []struct{ fixture, want string }{
		{"truncated.ldif", "ldapsearch export ends without its result trailer"},
		{"sizelimit.ldif", "ldapsearch reported result 4 Size limit exceeded after 10 entries: the server returned only part of the directory"},
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			code, rep := scanLDIF(t, tc.fixture)
			src := onlySource(t, rep)
			if code != ExitIncomplete || rep.Summary.Verdict != model.VerdictIncomplete {
				t.Errorf("exit %d, verdict %s, want %d and incomplete", code, rep.Summary.Verdict, ExitIncomplete)
			}
			if src.Status != snapshot.StatusError || !strings.Contains(src.Error, tc.want) {
				t.Errorf("source %s %q, want error %q", src.Status, src.Error, tc.want)
			}
			if !hasText(rep.Summary.VerdictReasons, tc.want) || !hasText(rep.Summary.Coverage.Failed, "directory") {
				t.Errorf("reasons %q, coverage %+v", rep.Summary.VerdictReasons, rep.Summary.Coverage)
			}
			for _, c := range rep.Checks {
				if c.Category == "directory" && c.Status == model.StatusPass {
					t.Errorf("%s passes over a failed export", c.RuleID)
				}
			}
		})
	}
	if _, rep := scanLDIF(t, "sizelimit.ldif"); !strings.Contains(rep.Sources[0].Error, "-E pr=1000/noprompt") {
		t.Errorf("no advice: %q", rep.Sources[0].Error)
	}
}

// Exchange's arbitration, discovery and health mailboxes carry mail, a
// homeMDB and a user account: they are excluded by
// msExchRecipientTypeDetails, counted by reason, and never judged.
func TestLdapsearchExchangeSystemMailboxes(t *testing.T) {
	_, rep := scanLDIF(t, "exchange-system.ldif")
	sc := rep.Summary.Scope
	if sc == nil || sc.InScope != 6 || sc.Excluded[snapshot.ExcludedArbitration] != 4 ||
		sc.Excluded[snapshot.ExcludedDiscovery] != 1 || sc.Excluded[snapshot.ExcludedMonitoring] != 1 {
		t.Fatalf("scope %+v; want 6 people in scope, 4 arbitration, 1 discovery, 1 monitoring mailbox excluded", sc)
	}
	for _, f := range rep.Findings {
		for _, name := range []string{"SystemMailbox", "Migration.", "FederatedEmail", "DiscoverySearch", "HealthMailbox", "SM_"} {
			if strings.Contains(f.Object.Name, name) || strings.Contains(f.Object.ID, name) || strings.Contains(f.Message, name) {
				t.Errorf("%s judged a system mailbox: %s", f.RuleID, f.Message)
			}
		}
	}
}

// An export with mail but without proxyAddresses: the rules that read
// proxyAddresses name it. When the export says it did not request it
// (ldapsearch's "# requesting:" line), they are not judged on it (error)
// and do not pass on the part they saw; when it does not say (ldifde),
// the check lists it under missing_attributes.
func TestExportWithoutProxyAddresses(t *testing.T) {
	dir := t.TempDir()
	var users strings.Builder
	for _, n := range []string{"anna", "ben", "carl"} {
		fmt.Fprintf(&users, "# %s, Staff, corp.example.com\ndn: CN=%s,OU=Staff,DC=corp,DC=example,DC=com\nobjectClass: top\nobjectClass: person\nobjectClass: organizationalPerson\nobjectClass: user\n"+
			"sAMAccountName: %s\nuserPrincipalName: %s@example.com\ndisplayName: %s\nmail: %s@example.com\nuserAccountControl: 512\n\n", n, n, n, n, n, n)
	}
	header := "# extended LDIF\n#\n# LDAPv3\n# base <DC=corp,DC=example,DC=com> with scope subtree\n# filter: (objectClass=user)\n# requesting: objectClass sAMAccountName userPrincipalName displayName mail userAccountControl \n#\n\n"
	trailer := "# search result\nsearch: 2\nresult: 0 Success\n\n# numResponses: 4\n# numEntries: 3\n"
	limited := filepath.Join(dir, "limited.ldif")
	writeFile(t, limited, header+users.String()+trailer)
	plain := filepath.Join(dir, "plain.ldf")
	writeFile(t, plain, strings.ReplaceAll(users.String(), "objectClass: top\n", "changetype: add\nobjectClass: top\n"))

	code, rep := scanLDIF(t, limited)
	if code != ExitIncomplete || rep.Summary.Verdict != model.VerdictIncomplete {
		t.Errorf("exit %d, verdict %s, want incomplete", code, rep.Summary.Verdict)
	}
	if got := rep.Sources[0].Requested; len(got) != 6 || got[0] != "objectClass" {
		t.Errorf("requested %q", got)
	}
	c := checkOf(rep, "DIR-005")
	if c.Status != model.StatusError || !strings.Contains(c.Error, "not judged on proxyAddresses and targetAddress") || !slices.Contains(c.MissingAttributes, "proxyAddresses") {
		t.Errorf("DIR-005 %s %q %v; want error naming proxyAddresses", c.Status, c.Error, c.MissingAttributes)
	}
	if c := checkOf(rep, "DIR-004"); c.Status != model.StatusError || c.Findings != 0 {
		t.Errorf("DIR-004 %s with %d findings: the address-book attributes were not exported, so their absence is no finding", c.Status, c.Findings)
	}

	_, rep = scanLDIF(t, plain)
	if c := checkOf(rep, "DIR-005"); !slices.Contains(c.MissingAttributes, "proxyAddresses") || c.Evaluated != 3 {
		t.Errorf("ldifde: DIR-005 %s, evaluated %d, missing %v; want proxyAddresses named", c.Status, c.Evaluated, c.MissingAttributes)
	}
}

// Attributes an ldapsearch export did not request are not judged, and a
// required attribute that was not exported is no finding: DIR-003 does
// not call every user "without displayName".
func TestRequiredAttributeNotExported(t *testing.T) {
	_, rep := scanLDIF(t, "no-objectclass.ldif", "--sync-scope", "all")
	c := checkOf(rep, "DIR-003")
	if c.Status != model.StatusError || !strings.Contains(c.Error, "displayName") || c.Findings != 0 {
		t.Errorf("DIR-003 %s %q with %d findings; want error naming displayName and no finding", c.Status, c.Error, c.Findings)
	}
	for _, f := range rep.Findings {
		if f.RuleID == "DIR-003" || f.RuleID == "DIR-004" {
			t.Errorf("artefact finding %s: %s", f.RuleID, f.Message)
		}
	}
}
