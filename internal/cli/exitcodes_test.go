package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/preflight-scan/preflight/report"
	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/snapshot"
)

// runCLI runs the command line in-process and returns the exit code,
// stdout and stderr.
func runCLI(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), args, IO{
		Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string { return env[k] },
		Now:    func() time.Time { return time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC) },
	})
	return code, out.String(), errb.String()
}

// writeSnapshot writes a snapshot file holding the given records and an ok
// directory source.
func writeSnapshot(t *testing.T, dir string, recs ...*snapshot.Record) string {
	t.Helper()
	path := filepath.Join(dir, "snap.jsonl.gz")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := snapshot.NewWriter(f, snapshot.Header{Tool: "preflight"})
	if err != nil {
		t.Fatal(err)
	}
	recs = append(recs, &snapshot.Record{Source: &snapshot.Source{Name: "fixture.ldif", Kind: "ldif",
		Areas: []snapshot.Area{snapshot.AreaDirectory, snapshot.AreaClients}, Status: snapshot.StatusOK, Objects: int64(len(recs))}})
	for _, r := range recs {
		if err := w.Put(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func dirUser(name, mail string, extra map[string][]string) *snapshot.Record {
	attrs := map[string][]string{
		"objectclass": {"top", "person", "organizationalPerson", "user"}, "samaccountname": {name},
		"userprincipalname": {mail}, "mail": {mail}, "proxyaddresses": {"SMTP:" + mail},
		"givenname": {"Given"}, "sn": {"Sur"}, "displayname": {"Given Sur " + name}, "useraccountcontrol": {"512"},
		"pwdlastset": {"134070000000000000"}, // 2025-11-10
	}
	for k, v := range extra {
		attrs[k] = v
	}
	dn := "CN=" + name + ",CN=Users,DC=corp,DC=example,DC=com"
	raw := map[string][][]byte{}
	for k, vs := range attrs {
		for _, v := range vs {
			raw[k] = append(raw[k], []byte(v))
		}
	}
	return &snapshot.Record{Dir: snapshot.NewDirObject(dn, raw)}
}

func TestUsageErrorsExit2AndWriteNothing(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "report.json")
	if err := os.WriteFile(good, []byte("good report"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := [][]string{
		{},
		{"frobnicate"},
		{"scan", "--out", dir},
		{"scan", "--sample", "--profile", "office2003", "--out", dir},
		{"scan", "--sample", "--format", "docx", "--out", dir},
		{"scan", "--sample", "--fail-on", "severe", "--out", dir},
		{"scan", "--sample", "--cutover-date", "31/12/2026", "--out", dir},
		{"scan", "--sample", "--phase", "during", "--out", dir},
		{"scan", "--no-such-flag"},
		{"scan", "--ldif", filepath.Join(dir, "missing.ldif"), "--out", dir},
		{"evaluate", filepath.Join(dir, "missing.snap"), "--out", dir},
		{"evaluate", good, "--out", dir}, // not a snapshot
		{"report", filepath.Join(dir, "missing.json")},
		{"rules", "--profile", "nope"},
		{"rules", "extra"},
		{"scan", "--sample", "--dns-retries=many", "--out", dir},
		{"scan", "--sample", "--timeout", "soon", "--out", dir},
		{"scan", "--sample", "--out"}, // flag without its value
		{"diff", good},
		{"version", "extra"},
		{"completion", "tcsh"},
	}
	for _, args := range cases {
		code, stdout, stderr := runCLI(t, nil, args...)
		if code != ExitUsage {
			t.Errorf("%v: exit %d, want 2 (stderr %q)", args, code, stderr)
		}
		if stdout != "" {
			t.Errorf("%v: printed %q on stdout", args, stdout)
		}
		// One clear line; only "preflight" alone shows the commands first.
		msg := stderr
		if len(args) == 0 {
			msg = stderr[strings.LastIndex(strings.TrimSuffix(stderr, "\n"), "\n")+1:]
			if !strings.Contains(stderr, "Commands:") {
				t.Errorf("no command: usage not shown: %q", stderr)
			}
		}
		if !strings.HasPrefix(msg, "preflight: ") || strings.Count(msg, "\n") != 1 || !strings.HasSuffix(msg, "\n") {
			t.Errorf("%v: want one line \"preflight: ...\" on stderr, got %q", args, msg)
		}
		b, _ := os.ReadFile(good)
		if string(b) != "good report" {
			t.Fatalf("%v: overwrote the existing report", args)
		}
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if e.Name() != "report.json" {
				t.Errorf("%v: left %s behind", args, e.Name())
			}
		}
	}
}

func TestEvaluateSnapshotWritesValidReport(t *testing.T) {
	dir := t.TempDir()
	snap := writeSnapshot(t, dir,
		dirUser("alice", "alice@example.com", nil),
		dirUser("bob", "bob@example.com", map[string][]string{"useraccountcontrol": {"66048"}}))
	out := filepath.Join(dir, "out")
	code, stdout, stderr := runCLI(t, nil, "evaluate", snap, "--out", out, "--format", "json,table", "--quiet")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if stderr != "" {
		t.Errorf("--quiet printed on stderr: %q", stderr)
	}
	if !strings.Contains(stdout, "Verdict:") || !strings.Contains(stdout, "Not assessed: ") {
		t.Errorf("table lacks verdict or coverage:\n%s", stdout)
	}
	b, err := os.ReadFile(filepath.Join(out, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := report.Validate(b); err != nil {
		t.Fatal(err)
	}
	var rep model.Report
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Summary.Inventory.Users != 2 || rep.Summary.Coverage.Assessed[0] != "directory" {
		t.Errorf("inventory/coverage wrong: %+v %+v", rep.Summary.Inventory, rep.Summary.Coverage)
	}
	for _, c := range rep.Checks {
		if c.Category == "dns" && c.Status != model.StatusSkipped && c.Status != model.StatusNotApplicable {
			t.Errorf("%s: status %s with no DNS source, want skipped", c.RuleID, c.Status)
		}
	}
}

// TestFailOnExitCodes: exit 1 when a finding that is not suppressed is at
// or above --fail-on, 0 when none is (or --fail-on is none). Each case
// checks first that the report holds what makes its exit code right.
func TestFailOnExitCodes(t *testing.T) {
	dir := t.TempDir()
	// Only info findings: one mailbox gives the migration-licence total
	// and the estimate (MBX-004, MBX-007), nothing more.
	infoOnly := writeSnapshot(t, mkdir(t, dir, "info"), &snapshot.Record{Mailbox: &snapshot.Mailbox{Identity: "alice", TotalBytes: 1 << 30, ItemCount: 10}},
		&snapshot.Record{Source: &snapshot.Source{Name: "mbx.csv", Kind: "csv", Areas: []snapshot.Area{snapshot.AreaMailbox}, Status: snapshot.StatusOK, Objects: 1}})
	// alice and bob: passwords too old (DIR-007, high), bob's never
	// expires (DIR-008, high); nothing critical.
	high := writeSnapshot(t, mkdir(t, dir, "high"),
		dirUser("alice", "alice@example.com", nil),
		dirUser("bob", "bob@example.com", map[string][]string{"useraccountcontrol": {"66048"}}))
	suppressAll := filepath.Join(dir, "suppress.yaml")
	var yaml strings.Builder
	yaml.WriteString("suppressions:\n")
	for _, s := range [][2]string{{"DIR-007", "alice"}, {"DIR-007", "bob"}, {"DIR-008", "bob"}} {
		fmt.Fprintf(&yaml, "  - rule: %s\n    object: CN=%s,CN=Users,DC=corp,DC=example,DC=com\n    reason: test\n", s[0], s[1])
	}
	if err := os.WriteFile(suppressAll, []byte(yaml.String()), 0o644); err != nil {
		t.Fatal(err)
	}

	// worst returns the highest severity of the findings not suppressed.
	worst := func(rep *model.Report) model.Severity {
		var w model.Severity
		for _, f := range rep.Findings {
			if f.Suppressed == nil && f.Severity.Rank() > w.Rank() {
				w = f.Severity
			}
		}
		return w
	}
	for _, tc := range []struct {
		name      string
		snap      string
		args      []string
		wantWorst model.Severity
		want      int
	}{
		{"info findings, --fail-on info", infoOnly, []string{"--fail-on", "info"}, "info", ExitFindings},
		{"info findings, --fail-on low", infoOnly, []string{"--fail-on", "low"}, "info", ExitOK},
		{"high findings, --fail-on high", high, []string{"--fail-on", "high"}, "high", ExitFindings},
		{"high findings, --fail-on=medium", high, []string{"--fail-on=medium"}, "high", ExitFindings},
		{"high findings, --fail-on critical", high, []string{"--fail-on", "critical"}, "high", ExitOK},
		{"high findings, --fail-on none", high, []string{"--fail-on", "none"}, "high", ExitOK},
		{"high findings, default --fail-on", high, nil, "high", ExitOK},
		{"high findings suppressed, --fail-on high", high, []string{"--fail-on", "high", "--config", suppressAll}, "info", ExitOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir()
			args := append([]string{"evaluate", tc.snap, "--out", out, "--format", "json", "--quiet"}, tc.args...)
			code, _, stderr := runCLI(t, nil, args...)
			rep := readReport(t, filepath.Join(out, "report.json"))
			if got := worst(rep); got != tc.wantWorst {
				t.Fatalf("the worst finding not suppressed is %q, want %q: the case tests nothing", got, tc.wantWorst)
			}
			if code != tc.want {
				t.Errorf("exit %d, want %d (stderr %q)", code, tc.want, stderr)
			}
		})
	}
}

func TestFailedSourceExit3(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "snap.gz")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := snapshot.NewWriter(f, snapshot.Header{Tool: "preflight"})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Put(&snapshot.Record{Source: &snapshot.Source{Name: "ldaps://127.0.0.1:636", Kind: "ldap",
		Areas: []snapshot.Area{snapshot.AreaDirectory}, Status: snapshot.StatusError, Error: "invalid credentials"}}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	code, _, stderr := runCLI(t, nil, "evaluate", path, "--out", out, "--quiet", "--fail-on", "none")
	if code != ExitIncomplete {
		t.Fatalf("exit %d, want 3: %s", code, stderr)
	}
	if !strings.Contains(stderr, "invalid credentials") {
		t.Errorf("stderr does not give the reason: %q", stderr)
	}
	rep, err := report.ReadFile(filepath.Join(out, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Summary.Verdict != model.VerdictIncomplete {
		t.Errorf("verdict %s, want incomplete", rep.Summary.Verdict)
	}
	for _, c := range rep.Checks {
		if c.Category == "directory" && c.Status == model.StatusPass {
			t.Errorf("%s passed although its source failed", c.RuleID)
		}
	}
}

func TestVersionSchemaRules(t *testing.T) {
	if code, out, _ := runCLI(t, nil, "version"); code != 0 || !strings.HasPrefix(out, "preflight ") {
		t.Errorf("version: %d %q", code, out)
	}
	code, out, _ := runCLI(t, nil, "schema")
	var v map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &v) != nil || v["$schema"] == nil {
		t.Errorf("schema: exit %d, not a JSON Schema", code)
	}
	code, out, _ = runCLI(t, nil, "rules", "--format", "json")
	var list []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &list) != nil {
		t.Fatalf("rules json: exit %d: %s", code, out)
	}
	for _, r := range list {
		if _, ok := r["tests"]; ok {
			t.Error("rules --format json leaks test cases")
			break
		}
	}
}

// TestOfflineScanSaysWhatWasNotAssessed scans an export with --offline: no
// DNS traffic at all (the loopback guard of TestMain would refuse the
// system resolver), and the report says DNS was not assessed.
func TestOfflineScanSaysWhatWasNotAssessed(t *testing.T) {
	out := t.TempDir()
	code, _, stderr := runCLI(t, nil, "scan", "--ldif", "../../testdata/sample/directory.ldif", "--offline", "--quiet", "--out", out, "--format", "json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rep, err := report.ReadFile(filepath.Join(out, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(rep.Summary.Coverage.NotAssessed, ","), "dns") ||
		!strings.Contains(strings.Join(rep.Summary.VerdictReasons, ";"), "not assessed") {
		t.Errorf("coverage %+v reasons %v", rep.Summary.Coverage, rep.Summary.VerdictReasons)
	}
	if code, _, _ := runCLI(t, nil, "scan", "--ldif", "../../testdata/sample/directory.ldif", "--offline", "--domain", "example.com"); code != ExitUsage {
		t.Errorf("--offline with --domain: exit %d, want 2", code)
	}
}

// TestPlanSetsTheQuota: the sample's 57 GB mailbox is over the 50 GB quota
// of Exchange Online Plan 1 and within Plan 2's 100 GB.
func TestPlanSetsTheQuota(t *testing.T) {
	status := func(plan string) model.Status {
		out := t.TempDir()
		args := []string{"scan", "--sample", "--quiet", "--out", out, "--format", "json"}
		if plan != "" {
			args = append(args, "--plan", plan)
		}
		if code, _, stderr := runCLI(t, nil, args...); code != ExitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		rep, err := report.ReadFile(filepath.Join(out, "report.json"))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range rep.Checks {
			if c.RuleID == "MBX-002" {
				return c.Status
			}
		}
		return "missing"
	}
	if got := status(""); got != "fail" {
		t.Errorf("default plan: MBX-002 %s, want fail", got)
	}
	if got := status("plan2"); got != "pass" {
		t.Errorf("plan2: MBX-002 %s, want pass", got)
	}
	if code, _, _ := runCLI(t, nil, "scan", "--sample", "--plan", "gold", "--out", t.TempDir()); code != ExitUsage {
		t.Errorf("unknown plan: exit %d, want 2", code)
	}
	if code, _, _ := runCLI(t, nil, "scan", "--sample", "--profile", "bpos-2010", "--plan", "plan2", "--out", t.TempDir()); code != ExitUsage {
		t.Errorf("--plan under bpos-2010: exit %d, want 2", code)
	}
}

// TestPlanLeavesOverridesAlone: --plan is applied to a copy of the
// configuration's overrides, which stay as the file gave them.
func TestPlanLeavesOverridesAlone(t *testing.T) {
	cfg := map[string]map[string]any{"MBX-002": {"quota_gb_by_plan": map[string]any{"plan1": 50.0}}, "DNS-003": {"max_lookups": 10.0}}
	got, err := planOverrides("exchange-online", "Plan2", cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got["MBX-002"]["plan"] != "plan2" || got["DNS-003"]["max_lookups"] != 10.0 || got["MBX-002"]["quota_gb_by_plan"] == nil {
		t.Errorf("overrides with --plan: %v", got)
	}
	if _, ok := cfg["MBX-002"]["plan"]; ok || len(cfg) != 2 {
		t.Errorf("--plan modified the configuration's overrides: %v", cfg)
	}
	if got, _ := planOverrides("exchange-online", "plan2", nil); got["MBX-002"]["plan"] != "plan2" {
		t.Errorf("--plan without a configuration: %v", got)
	}
}
