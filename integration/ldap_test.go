package integration

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/preflight-scan/preflight/collect/ldap"
	"github.com/preflight-scan/preflight/internal/cli"
	"github.com/preflight-scan/preflight/report"
	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/snapshot"
)

// fixtureCount is the number of objects the scan must see: Samba's own
// users, groups and the DC's computer, plus testdata/ad/fixtures.ldif
// (15 objects the filter selects) and the 1,600 bulk contacts and their
// group. Checked loosely: at least this many.
const fixtureCount = 15 + 1600 + 1

func byDN(objs []*snapshot.DirObject) map[string]*snapshot.DirObject {
	m := make(map[string]*snapshot.DirObject, len(objs))
	for _, o := range objs {
		m[strings.ToLower(o.DN)] = o
	}
	return m
}

func obj(t *testing.T, m map[string]*snapshot.DirObject, dn string) *snapshot.DirObject {
	t.Helper()
	o := m[strings.ToLower(dn)]
	if o == nil {
		t.Fatalf("object %s not in the scan", dn)
	}
	return o
}

const base = "DC=preflight,DC=test"

// TestLiveScan scans the DC over LDAPS and over StartTLS through the real
// command line and checks what a consultant relies on: every object, the
// domain object with its password policy first (so the domain, not the
// Global Catalog, was queried), pwdLastSet and operatingSystem values, all
// 1,600 members of the big group, and the same findings either way.
func TestLiveScan(t *testing.T) {
	d := needDC(t)
	ctx := context.Background()
	ldaps := run(t, ctx, nil, d.ldapFlags(d.get("PREFLIGHT_SAMBA_LDAPS_URL"))...)
	starttls := run(t, ctx, nil, d.ldapFlags(d.get("PREFLIGHT_SAMBA_STARTTLS_URL"))...)

	for _, tc := range []struct {
		name string
		r    result
		url  string
	}{{"LDAPS", ldaps, "ldaps://127.0.0.1:636"}, {"StartTLS", starttls, "ldap://127.0.0.1:389"}} {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.r
			if r.code != cli.ExitOK && r.code != cli.ExitFindings {
				t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
			}
			src := r.source(t)
			if src.Name != tc.url || src.Kind != "ldap" || src.Status != snapshot.StatusOK || src.Error != "" {
				t.Fatalf("source = %+v", src)
			}
			if src.Objects < fixtureCount {
				t.Errorf("source saw %d objects, want at least %d", src.Objects, fixtureCount)
			}
			objs := r.dirObjects(t)
			if int64(len(objs)) != src.Objects {
				t.Errorf("snapshot has %d objects, source says %d", len(objs), src.Objects)
			}
			dom := objs[0]
			if dom.Kind != snapshot.KindDomain || !strings.EqualFold(dom.DN, base) {
				t.Fatalf("first object %s %s, want the domain object first", dom.Kind, dom.DN)
			}
			for _, a := range []string{"maxpwdage", "minpwdlength", "pwdhistorylength", "pwdproperties"} {
				if !dom.Has(a) {
					t.Errorf("domain object lacks %s (a Global Catalog answer would)", a)
				}
			}
			m := byDN(objs)
			if n := len(obj(t, m, "CN=Big Group,OU=Bulk,"+base).Attrs["member"]); n != 1600 {
				t.Errorf("Big Group has %d members, want 1600", n)
			}
			if v := obj(t, m, "CN=Must Change,OU=Preflight,"+base).First("pwdlastset"); v != "0" {
				t.Errorf("Must Change pwdLastSet = %q, want 0", v)
			}
			if v, _ := obj(t, m, "CN=Forward User,OU=Preflight,"+base).Int("pwdlastset"); v <= 0 {
				t.Errorf("Forward User pwdLastSet = %d, want a time stamp", v)
			}
			if v := obj(t, m, "CN=PC-XP,OU=Preflight,"+base).First("operatingsystemservicepack"); v != "Service Pack 2" {
				t.Errorf("PC-XP service pack = %q", v)
			}
			ivan := obj(t, m, "CN=Ivan Petrov,OU=Preflight,"+base)
			if ivan.First("displayname") != "Иван Петров" || ivan.First("mailnickname") != "ivan petrov" {
				t.Errorf("Ivan Petrov = %v", ivan.Attrs)
			}
			if g := ivan.First("objectguid"); len(g) != 36 {
				t.Errorf("objectGUID %q not normalised", g)
			}
			if !slices.ContainsFunc(src.Notes, func(n string) bool {
				return strings.HasPrefix(n, "referral to ") && strings.HasSuffix(n, " not followed")
			}) {
				t.Errorf("notes %q: Samba's referral to the configuration partition should be noted", src.Notes)
			}
		})
	}
	if a, b := findingKeys(ldaps.rep), findingKeys(starttls.rep); !slices.Equal(a, b) {
		t.Errorf("LDAPS and StartTLS scans differ:\n%s", diffKeys(a, b))
	}
	checkExpectedFindings(t, ldaps.rep)
}

// findingKeys are the findings as rule, object, message and fingerprint,
// sorted.
func findingKeys(rep *model.Report) []string {
	if rep == nil {
		return nil
	}
	var out []string
	for _, f := range rep.Findings {
		out = append(out, strings.Join([]string{f.RuleID, f.Object.Kind, f.Object.ID, f.Message, f.Fingerprint}, " | "))
	}
	slices.Sort(out)
	return out
}

func diffKeys(a, b []string) string {
	var sb strings.Builder
	for _, k := range a {
		if !slices.Contains(b, k) {
			fmt.Fprintf(&sb, "  only in first:  %s\n", k)
		}
	}
	for _, k := range b {
		if !slices.Contains(a, k) {
			fmt.Fprintf(&sb, "  only in second: %s\n", k)
		}
	}
	return sb.String()
}

// checkExpectedFindings holds the live scan against the fixture's flag and
// near-miss cases, for each rule the report evaluated.
func checkExpectedFindings(t *testing.T, rep *model.Report) {
	t.Helper()
	evaluated := map[string]bool{}
	for _, c := range rep.Checks {
		if c.Status == "pass" || c.Status == "fail" {
			evaluated[c.RuleID] = true
		}
	}
	cases := []struct {
		rule, who string // who: an object's label, or an address
		want      bool
	}{
		{"DIR-001", "Иван Петров", true},
		{"DIR-005", "shared@preflight.test", true},
		{"DIR-005", "same.address@preflight.test", false},
		{"DIR-007", "Must Change", true},
		{"DIR-008", "Enabled NoExpire", true},
		{"DIR-008", "Disabled NoExpire", false},
		{"DIR-009", "Sip Diff", true},
		{"DIR-009", "Sip Case", false},
		{"DIR-010", "corp.local", true},
		{"DIR-012", "Forward User", true},
		{"CLI-001", "PC-XP", true},
		{"CLI-001", "PC-W2K", true},
		{"CLI-001", "PC-IOT", false},
	}
	for _, tc := range cases {
		if !evaluated[tc.rule] {
			t.Logf("%s not evaluated in this build (check status not pass/fail); case %q not checked", tc.rule, tc.who)
			continue
		}
		got := false
		for _, f := range rep.Findings {
			if f.RuleID != tc.rule {
				continue
			}
			ev, _ := json.Marshal(f.Evidence)
			hay := strings.ToLower(f.Object.Name + " " + f.Object.ID + " " + f.Message + " " + string(ev))
			if strings.Contains(hay, strings.ToLower(tc.who)) {
				got = true
			}
		}
		if got != tc.want {
			t.Errorf("%s on %q: flagged=%v, want %v", tc.rule, tc.who, got, tc.want)
		}
	}
}

// TestLiveScanMatchesLDIFExport exports the same objects with ldapsearch
// (paged, the same attributes and filter) and scans the export with
// --ldif: the records and the findings must be identical, so a consultant
// can scan on site or from an export and get the same report.
func TestLiveScanMatchesLDIFExport(t *testing.T) {
	d := needDC(t)
	if _, err := exec.LookPath("ldapsearch"); err != nil {
		t.Skip("ldapsearch not installed (apt-get install ldap-utils)")
	}
	ldif := filepath.Join(t.TempDir(), "export.ldif")
	out, err := os.Create(ldif)
	if err != nil {
		t.Fatal(err)
	}
	args := append([]string{"-LLL", "-o", "ldif-wrap=no", "-x", "-H", d.get("PREFLIGHT_SAMBA_LDAPS_URL"),
		"-D", d.get("PREFLIGHT_SAMBA_BIND_USER"), "-y", d.get("PREFLIGHT_SAMBA_PASSWORD_FILE"),
		"-b", base, "-E", "pr=1000/noprompt", ldap.Filter}, snapshot.DirectoryAttributes()...)
	cmd := exec.Command("ldapsearch", args...)
	cmd.Env = append(os.Environ(), "LDAPTLS_CACERT="+d.get("PREFLIGHT_SAMBA_CA_FILE"))
	cmd.Stdout = out
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("ldapsearch: %v: %s", err, stderr.String())
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}

	ctx := context.Background()
	live := run(t, ctx, nil, d.ldapFlags(d.get("PREFLIGHT_SAMBA_LDAPS_URL"))...)
	file := run(t, ctx, nil, "--ldif", ldif)
	if live.code != file.code {
		t.Errorf("exit codes differ: live %d, ldif %d (%s)", live.code, file.code, file.stderr)
	}
	if ls, fs := live.source(t), file.source(t); fs.Status != snapshot.StatusOK || ls.Objects != fs.Objects {
		t.Fatalf("live source %+v, ldif source %+v: want the same object count", ls, fs)
	}
	lm, fm := byDN(live.dirObjects(t)), byDN(file.dirObjects(t))
	diffs := 0
	for dn, lo := range lm {
		fo := fm[dn]
		a, _ := json.Marshal(lo)
		b, _ := json.Marshal(fo)
		if string(a) != string(b) && diffs < 5 {
			diffs++
			t.Errorf("record differs for %s:\n live %s\n ldif %s", dn, a, b)
		}
	}
	if a, b := findingKeys(live.rep), findingKeys(file.rep); !slices.Equal(a, b) {
		t.Errorf("findings differ between the live scan (first) and the LDIF export (second):\n%s", diffKeys(a, b))
	}
	// The live scan's snapshot, evaluated again later: the same findings.
	again := t.TempDir()
	var stdout, evalErr bytes.Buffer
	code := cli.Main(ctx, []string{"evaluate", filepath.Join(live.dir, "snapshot.gz"), "--quiet", "--out", again, "--format", "json", "--cutover-date", "2026-12-01"},
		cli.IO{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &evalErr, Getenv: os.Getenv, Now: time.Now})
	if code != live.code {
		t.Errorf("evaluate of the live snapshot: exit %d, the scan %d (%s)", code, live.code, evalErr.String())
	}
	if rep, err := report.ReadFile(filepath.Join(again, "report.json")); err != nil {
		t.Errorf("evaluate of the live snapshot: %v", err)
	} else if a, b := findingKeys(live.rep), findingKeys(rep); !slices.Equal(a, b) {
		t.Errorf("findings differ between the live scan (first) and its snapshot evaluated again (second):\n%s", diffKeys(a, b))
	}
	if len(live.rep.Findings) == 0 {
		t.Log("no findings in this build: the comparison covered records only")
	}
}

// TestLiveScanFailures: every failure a consultant can meet gives exit 3
// with a report that names the reason (or exit 2 before connecting for
// what the flags can tell), and the password appears nowhere.
func TestLiveScanFailures(t *testing.T) {
	d := needDC(t)
	password, err := os.ReadFile(d.get("PREFLIGHT_SAMBA_PASSWORD_FILE"))
	if err != nil {
		t.Fatal(err)
	}
	user, pwFile, ca := d.get("PREFLIGHT_SAMBA_BIND_USER"), d.get("PREFLIGHT_SAMBA_PASSWORD_FILE"), d.get("PREFLIGHT_SAMBA_CA_FILE")
	otherCA := filepath.Join(filepath.Dir(ca), "other-ca.pem")
	cases := []struct {
		name string
		env  map[string]string
		args []string
		code int
		want string // in the source error (exit 3) or on stderr (exit 2)
		note string // in the source notes
	}{
		{"wrong password", map[string]string{"PF_TEST_PW": "not-the-password"},
			[]string{"--ldap-url", "ldaps://127.0.0.1", "--bind-user", user, "--bind-password-env", "PF_TEST_PW", "--ldap-ca-file", ca},
			cli.ExitIncomplete, "invalid credentials", ""},
		{"CA not trusted (system roots)", nil,
			[]string{"--ldap-url", "ldaps://127.0.0.1", "--bind-user", user, "--bind-password-file", pwFile},
			cli.ExitIncomplete, "certificate verify failed: x509: certificate signed by unknown authority", ""},
		{"wrong CA file, StartTLS", nil,
			[]string{"--ldap-url", "ldap://127.0.0.1", "--bind-user", user, "--bind-password-file", pwFile, "--ldap-ca-file", otherCA},
			cli.ExitIncomplete, "certificate verify failed", ""},
		{"unreachable port", nil,
			[]string{"--ldap-url", "ldaps://127.0.0.1:1", "--bind-user", user, "--bind-password-file", pwFile, "--ldap-ca-file", ca},
			cli.ExitIncomplete, "connect to 127.0.0.1:1: connection refused", ""},
		{"plaintext allowed by flag, refused by the DC", nil,
			[]string{"--ldap-url", "ldap://127.0.0.1", "--ldap-insecure-plaintext", "--bind-user", user, "--bind-password-file", pwFile},
			cli.ExitIncomplete, "strong auth required", "plaintext LDAP (--ldap-insecure-plaintext)"},
		{"base DN not on this server", nil,
			append(d.ldapFlags("ldaps://127.0.0.1"), "--base-dn", "DC=elsewhere,DC=example"),
			cli.ExitIncomplete, "DC=elsewhere,DC=example", ""},
		{"password env unset", nil,
			[]string{"--ldap-url", "ldaps://127.0.0.1", "--bind-user", user, "--bind-password-env", "PF_TEST_UNSET_VAR", "--ldap-ca-file", ca},
			cli.ExitUsage, "PF_TEST_UNSET_VAR is not set", ""},
		{"password file unreadable", nil,
			[]string{"--ldap-url", "ldaps://127.0.0.1", "--bind-user", user, "--bind-password-file", "/nonexistent/pw", "--ldap-ca-file", ca},
			cli.ExitUsage, "--bind-password-file (the file given): no such file or directory", ""},
		{"CA file unreadable", nil,
			[]string{"--ldap-url", "ldaps://127.0.0.1", "--bind-user", user, "--bind-password-file", pwFile, "--ldap-ca-file", "/nonexistent/ca.pem"},
			cli.ExitUsage, "--ldap-ca-file /nonexistent/ca.pem", ""},
		{"no password source", nil,
			[]string{"--ldap-url", "ldaps://127.0.0.1", "--bind-user", user},
			cli.ExitUsage, "no bind password source", ""},
		{"credentials in the URL", nil,
			[]string{"--ldap-url", "ldaps://admin:" + string(password) + "@127.0.0.1", "--bind-user", user, "--bind-password-file", pwFile},
			cli.ExitUsage, "credentials do not belong in the URL", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, context.Background(), tc.env, tc.args...)
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d (stderr %q)", r.code, tc.code, r.stderr)
			}
			if tc.code == cli.ExitUsage {
				if r.rep != nil {
					t.Error("a usage error wrote a report")
				}
				if !strings.Contains(r.stderr, tc.want) {
					t.Errorf("stderr %q, want %q", r.stderr, tc.want)
				}
			} else {
				src := r.source(t)
				if src.Status != snapshot.StatusError || !strings.Contains(src.Error, tc.want) {
					t.Errorf("source %s %q, want error containing %q", src.Status, src.Error, tc.want)
				}
				if tc.note != "" && !slices.ContainsFunc(src.Notes, func(n string) bool { return strings.HasPrefix(n, tc.note) }) {
					t.Errorf("notes %q, want one starting %q", src.Notes, tc.note)
				}
				if r.rep.Summary.Verdict != model.VerdictIncomplete {
					t.Errorf("verdict %s, want incomplete", r.rep.Summary.Verdict)
				}
			}
			written, _ := os.ReadFile(filepath.Join(r.dir, "report.json"))
			for _, s := range []string{r.stderr, string(written)} {
				if strings.Contains(s, string(password)) {
					t.Error("the bind password appears in the output")
				}
			}
		})
	}
}

// TestConnectionLostMidScan cuts the connection after 100 KB through a
// loopback proxy: the scan must fail with "connection lost after N
// objects", not report a partial directory as complete.
func TestConnectionLostMidScan(t *testing.T) {
	d := needDC(t)
	addr := startProxy(t, "127.0.0.1:636", 100<<10, false)
	r := run(t, context.Background(), nil, d.ldapFlags("ldaps://"+addr)...)
	if r.code != cli.ExitIncomplete {
		t.Fatalf("exit %d, want 3 (stderr %q)", r.code, r.stderr)
	}
	src := r.source(t)
	if src.Status != snapshot.StatusError || !strings.HasPrefix(src.Error, "connection lost after ") {
		t.Fatalf("source %s %q, want connection lost", src.Status, src.Error)
	}
	if src.Objects == 0 || src.Objects >= fixtureCount {
		t.Errorf("%d objects before the cut, want some but not all", src.Objects)
	}
	if !strings.Contains(src.Error, fmt.Sprintf("after %d objects", src.Objects)) {
		t.Errorf("error %q does not give the object count %d", src.Error, src.Objects)
	}
}

// TestInterruptStopsPromptly: with the server stalled mid-scan, cancelling
// the context (Ctrl-C) ends the scan within a second or two, with exit 3
// and "interrupted after N objects".
func TestInterruptStopsPromptly(t *testing.T) {
	d := needDC(t)
	addr := startProxy(t, "127.0.0.1:636", 100<<10, true)
	ctx, cancel := context.WithCancel(context.Background())
	timer := time.AfterFunc(time.Second, cancel)
	defer timer.Stop()
	start := time.Now()
	r := run(t, ctx, nil, append(d.ldapFlags("ldaps://"+addr), "--timeout", "1m")...)
	if el := time.Since(start); el > 4*time.Second {
		t.Errorf("scan took %s after the interrupt at 1s", el)
	}
	if r.code != cli.ExitIncomplete {
		t.Fatalf("exit %d, want 3 (stderr %q)", r.code, r.stderr)
	}
	src := r.source(t)
	if src.Status != snapshot.StatusError || !strings.HasPrefix(src.Error, "interrupted after ") {
		t.Errorf("source %s %q, want interrupted", src.Status, src.Error)
	}
	if !r.rep.Scan.Interrupted {
		t.Error("report does not say the scan was interrupted")
	}
}
