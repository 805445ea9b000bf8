package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/preflight-scan/preflight/report"
	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/snapshot"
)

// writeRawSnapshot writes records as they are, with no source record added.
func writeRawSnapshot(t *testing.T, dir string, recs ...*snapshot.Record) string {
	t.Helper()
	path := filepath.Join(dir, "raw.jsonl.gz")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := snapshot.NewWriter(f, snapshot.Header{Tool: "preflight"})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if err := w.Put(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	_ = f.Close()
	return path
}

// validReport fails the test unless the report file validates against the
// published schema.
func validReport(t *testing.T, path string) *model.Report {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := report.Validate(b); err != nil {
		t.Fatalf("%s does not validate against the schema: %v", path, err)
	}
	return readReport(t, path)
}

// An empty snapshot, or one whose source records this build does not
// know, is refused: never "Assessed: none, ready".
func TestEvaluateRefusesSnapshotsWithoutSources(t *testing.T) {
	for _, tc := range []struct {
		name string
		recs []*snapshot.Record
		want string
	}{
		{"empty", nil, "no source record"},
		{"objects but no source", []*snapshot.Record{dirUser("alice", "alice@example.com", nil)}, "no source record"},
		{"unknown area", []*snapshot.Record{{Source: &snapshot.Source{Name: "x", Kind: "ldif", Areas: []snapshot.Area{"printers"}, Status: "ok"}}}, `unknown area "printers"`},
		{"unknown status", []*snapshot.Record{{Source: &snapshot.Source{Name: "x", Kind: "ldif", Areas: []snapshot.Area{"directory"}, Status: "fine"}}}, `unknown status "fine"`},
		{"unknown kind", []*snapshot.Record{{Source: &snapshot.Source{Name: "x", Kind: "ftp", Areas: []snapshot.Area{"directory"}, Status: "ok"}}}, `unknown kind "ftp"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			snap := writeRawSnapshot(t, dir, tc.recs...)
			out := filepath.Join(dir, "out")
			code, _, stderr := runCLI(t, nil, "evaluate", snap, "--out", out, "--format", "json", "--quiet")
			if code != ExitUsage || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, ExitUsage, tc.want)
			}
			if _, err := os.Stat(filepath.Join(out, "report.json")); err == nil {
				t.Error("a report was written")
			}
		})
	}
}

// A snapshot whose only source yielded nothing in scope: incomplete,
// exit 3, a report that validates and says why.
func TestEvaluateNothingJudgedIsIncomplete(t *testing.T) {
	dir := t.TempDir()
	snap := writeRawSnapshot(t, dir, &snapshot.Record{Source: &snapshot.Source{Name: "empty.ldif", Kind: "ldif",
		Areas: []snapshot.Area{snapshot.AreaDirectory}, Status: snapshot.StatusOK}})
	out := filepath.Join(dir, "out")
	code, _, stderr := runCLI(t, nil, "evaluate", snap, "--out", out, "--format", "json", "--quiet")
	if code != ExitIncomplete || !strings.Contains(stderr, "nothing was judged") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	rep := validReport(t, filepath.Join(out, "report.json"))
	if rep.Summary.Verdict != model.VerdictIncomplete || len(rep.Summary.Coverage.Assessed) != 0 {
		t.Errorf("verdict %s, assessed %v", rep.Summary.Verdict, rep.Summary.Coverage.Assessed)
	}
	if !strings.Contains(rep.Summary.Coverage.Reasons["directory"], "no directory object in empty.ldif") {
		t.Errorf("directory reason %q", rep.Summary.Coverage.Reasons["directory"])
	}
}

// TestSyncScopeFlag: --sync-scope all judges the sample's users that carry
// no mail attributes too, and the report says which scope was used and how
// many objects fell outside it; an unknown scope is refused before any work.
func TestSyncScopeFlag(t *testing.T) {
	scopeOf := func(args ...string) *model.Scope {
		t.Helper()
		dir := t.TempDir()
		code, _, stderr := runCLI(t, nil, append([]string{"scan", "--sample", "--offline", "--quiet", "--format", "json", "--out", dir}, args...)...)
		if code == ExitUsage || code == ExitInternal {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		rep, err := report.ReadFile(filepath.Join(dir, "report.json"))
		if err != nil {
			t.Fatal(err)
		}
		if rep.Summary.Scope == nil {
			t.Fatal("report has no scope")
		}
		return rep.Summary.Scope
	}
	def, all := scopeOf(), scopeOf("--sync-scope", "all")
	if def.SyncScope != "mail-enabled" || all.SyncScope != "all" {
		t.Errorf("scopes reported %q and %q, want mail-enabled and all", def.SyncScope, all.SyncScope)
	}
	if def.OutsideScope == 0 || all.InScope <= def.InScope || all.OutsideScope >= def.OutsideScope {
		t.Errorf("mail-enabled %+v, all %+v: want all to judge more objects and leave fewer outside", def, all)
	}
	code, _, stderr := runCLI(t, nil, "scan", "--sample", "--offline", "--quiet", "--out", t.TempDir(), "--sync-scope", "everyone")
	if code != ExitUsage || !strings.Contains(stderr, `unknown sync scope "everyone"`) {
		t.Errorf("exit %d, %q: want exit 2 naming the scope", code, stderr)
	}
}
