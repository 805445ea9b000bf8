package ldif

import (
	"strings"
	"testing"

	"github.com/preflight-scan/preflight/snapshot"
)

const extHeader = "# extended LDIF\n#\n# LDAPv3\n# base <DC=x> with scope subtree\n# filter: (objectClass=*)\n# requesting: ALL\n#\n\n"

const twoEntries = "# a, x\ndn: CN=a,DC=x\nobjectClass: user\n\n# b, x\ndn: CN=b,DC=x\nobjectClass: user\n\n"

// What ldapsearch wrote about the search decides whether the export is
// whole; exports that promise nothing (ldifde, ldapsearch -L, -LLL) are
// taken as they are.
func TestLdapsearchTrailer(t *testing.T) {
	for _, tc := range []struct {
		name, text, want string // want "" for status ok
	}{
		{"whole", extHeader + twoEntries + "# search result\nsearch: 2\nresult: 0 Success\n\n# numResponses: 3\n# numEntries: 2\n", ""},
		{"cut before the result", extHeader + twoEntries, "ends without its result trailer"},
		{"cut after the result", extHeader + twoEntries + "# search result\nsearch: 2\nresult: 0 Success\n", "ends without its result trailer"},
		{"fewer entries than the trailer says", extHeader + twoEntries + "# search result\nsearch: 2\nresult: 0 Success\n\n# numResponses: 4\n# numEntries: 3\n", `says "# numEntries: 3" but the file holds 2 entries`},
		{"no numEntries line but entries", extHeader + twoEntries + "# search result\nsearch: 2\nresult: 0 Success\n\n# numResponses: 1\n", `says "# numEntries: 0" but the file holds 2 entries`},
		{"time limit", extHeader + twoEntries + "# search result\nsearch: 2\nresult: 3 Time limit exceeded\n\n# numResponses: 3\n# numEntries: 2\n", "result 3 Time limit exceeded after 2 entries: the search ran out of time"},
		{"administrative limit", extHeader + twoEntries + "# search result\nsearch: 2\nresult: 11 Administrative limit exceeded\ntext: 000020EF: SvcErr: DSID-03100838, problem 5003 (WILL_NOT_PERFORM)\n\n# numResponses: 3\n# numEntries: 2\n", "result 11 Administrative limit exceeded after 2 entries: the server stopped the search at an administrative limit"},
		{"a failed page of a paged search", extHeader + twoEntries + "# search result\nsearch: 2\nresult: 0 Success\ncontrol: 1.2.840.113556.1.4.319 false MIQAAAAdAgEABBgBAAAA\npagedresults: cookie=AQAAAA==\nPress [size] Enter for the next {2|size} entries.\n" + extHeader + "# search result\nsearch: 3\nresult: 4 Size limit exceeded\n\n# numResponses: 4\n# numEntries: 2\n", "result 4 Size limit exceeded"},
		{"paged with the prompt", extHeader + twoEntries + "# search result\nsearch: 2\nresult: 0 Success\ncontrol: 1.2.840.113556.1.4.319 false MIQAAAAdAgEABBgBAAAA\npagedresults: estimate=3 cookie=AQAAAA==\nEstimate entries: 3\nPress [size] Enter for the next {2|size} entries.\n" + extHeader + "# c, x\ndn: CN=c,DC=x\nobjectClass: user\n\n# search result\nsearch: 3\nresult: 0 Success\ncontrol: 1.2.840.113556.1.4.319 false MIQAAAAFAgEABAA=\npagedresults: cookie=\n\n# numResponses: 5\n# numEntries: 3\n", ""},
		{"paged, only the first page", extHeader + twoEntries + "# search result\nsearch: 2\nresult: 0 Success\ncontrol: 1.2.840.113556.1.4.319 false MIQAAAAdAgEABBgBAAAA\npagedresults: cookie=AQAAAA==\n", "ends without its result trailer"},
		{"two searches (-f)", extHeader + "#\n# filter: (cn=a)\n#\n" + twoEntries[:40] + "# search result\nsearch: 2\nresult: 0 Success\n\n# numResponses: 2\n# numEntries: 1\n\n#\n# filter: (cn=b)\n#\n" + twoEntries[40:] + "# search result\nsearch: 3\nresult: 0 Success\n\n# numResponses: 2\n# numEntries: 1\n", ""},
		{"ldapsearch -L makes no promise", "version: 1\n\n#\n# LDAPv3\n#\n\n" + twoEntries, ""},
		{"ldapsearch -LLL makes no promise", "dn: CN=a,DC=x\nobjectClass: user\n\ndn: CN=b,DC=x\nobjectClass: user\n", ""},
		{"ldifde makes no promise", "dn: CN=a,DC=x\nchangetype: add\nobjectClass: user\n\n", ""},
		{"header not on the first line", "\n" + extHeader + twoEntries, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src, _, err := collect(t, "x.ldif", []byte(tc.text))
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case tc.want == "" && src.Status != snapshot.StatusOK:
				t.Errorf("status %s %q, want ok", src.Status, src.Error)
			case tc.want != "" && (src.Status != snapshot.StatusError || !strings.Contains(src.Error, tc.want)):
				t.Errorf("status %s %q, want error %q", src.Status, src.Error, tc.want)
			}
		})
	}
}

// Entries without objectClass are classified from what is certain or
// counted; DN-only entries are counted; none is dropped.
func TestUnclassifiedEntriesAreCounted(t *testing.T) {
	text := "dn: CN=u,DC=x\nuserAccountControl: 512\nsAMAccountName: u\n\n" +
		"dn: CN=g,DC=x\nsAMAccountType: 268435456\n\n" +
		"dn: CN=c,DC=x\nobjectCategory: CN=Computer,CN=Schema,CN=Configuration,DC=x\n\n" +
		"dn: CN=p,DC=x\nobjectCategory: CN=Person,CN=Schema,CN=Configuration,DC=x\nmail: p@x.example\n\n" +
		"dn: CN=m,DC=x\nmemberOf: CN=g,DC=x\n\n" +
		"dn: CN=d,DC=x\n\n"
	src, recs, err := collect(t, "x.ldif", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 6 || src.Objects != 6 || src.Unclassified != 2 || src.DNOnly != 1 {
		t.Fatalf("%d records, objects %d, unclassified %d, dn_only %d; want 6, 6, 2, 1", len(recs), src.Objects, src.Unclassified, src.DNOnly)
	}
	joined := strings.Join(src.Notes, "\n")
	for _, want := range []string{"1 entry carried only their DN", `2 entries carried no objectClass and nothing else that tells user, contact, group or computer apart (first: "CN=p,DC=x")`,
		"3 entries carried no objectClass and were classified from what is certain (1 from sAMAccountType, 1 from objectCategory, 1 from userAccountControl)"} {
		if !strings.Contains(joined, want) {
			t.Errorf("notes %q lack %q", src.Notes, want)
		}
	}
	if !strings.Contains(string(recs[0]), `"kind":"user"`) || !strings.Contains(string(recs[4]), `"kind":"unclassified"`) {
		t.Errorf("records %s", recs)
	}
}

// ldapsearch's "# requesting:" line says which attributes the export was
// limited to; ALL, "*" or no such line mean no limit.
func TestRequestedAttributes(t *testing.T) {
	trailer := "# search result\nsearch: 2\nresult: 0 Success\n\n# numResponses: 3\n# numEntries: 2\n"
	for _, tc := range []struct {
		requesting string
		want       []string
	}{
		{"ALL", nil},
		{"* +", nil},
		{"sAMAccountName userAccountControl memberOf ", []string{"sAMAccountName", "userAccountControl", "memberOf"}},
		{"1.1 ", []string{"1.1"}},
	} {
		text := strings.Replace(extHeader, "# requesting: ALL", "# requesting: "+tc.requesting, 1) + twoEntries + trailer
		src, _, err := collect(t, "x.ldif", []byte(text))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(src.Requested, ",") != strings.Join(tc.want, ",") || (tc.want == nil) != (src.Requested == nil) {
			t.Errorf("requesting %q: requested %q, want %q", tc.requesting, src.Requested, tc.want)
		}
	}
}
