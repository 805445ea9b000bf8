package history

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/snapshot"
)

func minimal(id string, at time.Time, verdict model.Verdict, score int) *model.Report {
	return &model.Report{
		SchemaVersion: model.SchemaVersion,
		Tool:          model.Tool{Name: "preflight", Version: "test"},
		Scan: model.Scan{ID: id, StartedAt: at, FinishedAt: at, Profile: "exchange-online", Phase: "pre-cutover",
			ParamsOverridden: map[string]map[string]any{}, FingerprintVersion: 1},
		Sources: []snapshot.Source{},
		Summary: model.Summary{Verdict: verdict, VerdictReasons: []string{}, Score: score, ScoreFormula: "x",
			Counts:    model.Counts{BySeverity: map[model.Severity]int{}, ByCategory: map[string]int{}},
			Coverage:  model.Coverage{Assessed: []string{}, NotAssessed: []string{}, Failed: []string{}},
			Inventory: snapshot.Inventory{Domains: []string{}}},
		Checks:   []model.Check{},
		Findings: []model.Finding{},
	}
}

func TestSaveKeepsLastN(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "hist")
	s := &Store{Dir: dir, Keep: 3}
	t0 := time.Date(2026, 11, 1, 2, 0, 0, 0, time.UTC)
	for i := 0; i < 5; i++ {
		p, err := s.Save(minimal(strings.Repeat(string(rune('a'+i)), 32), t0.Add(time.Duration(i)*24*time.Hour), "at-risk", 50+i))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(filepath.Base(p), "report-202611") {
			t.Errorf("file name %s", p)
		}
	}
	entries, skipped, err := s.Load()
	if err != nil || len(skipped) > 0 {
		t.Fatal(err, skipped)
	}
	if len(entries) != 3 {
		t.Fatalf("kept %d reports, want 3", len(entries))
	}
	if filepath.Base(entries[0].Path) != "report-20261103T020000.000Z-cccccccc.json" {
		t.Errorf("oldest kept = %s", entries[0].Path)
	}
	pts := Points(entries)
	if pts[0].Score != 52 || pts[2].Score != 54 {
		t.Errorf("points not oldest first: %+v", pts)
	}
	des, _ := os.ReadDir(dir)
	for _, de := range des {
		if strings.Contains(de.Name(), ".tmp-") {
			t.Errorf("temporary file left: %s", de.Name())
		}
	}
}

func TestBaselineSkipsIncomplete(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 2, 0, 0, 0, time.UTC)
	es := []Entry{
		{Path: "1", Report: minimal("1", t0, "blocked", 10)},
		{Path: "2", Report: minimal("2", t0, "at-risk", 40)},
		{Path: "3", Report: minimal("3", t0, "incomplete", 30)},
	}
	if b := Baseline(es); b == nil || b.Path != "2" {
		t.Errorf("baseline = %+v, want the latest complete run", b)
	}
	if b := Baseline(es[2:]); b == nil || b.Path != "3" {
		t.Errorf("all incomplete: baseline = %+v, want the latest", b)
	}
	if Baseline(nil) != nil {
		t.Error("empty history has a baseline")
	}
}

func TestLoadSkipsUnreadable(t *testing.T) {
	dir := t.TempDir()
	s := &Store{Dir: dir}
	if _, err := s.Save(minimal("ok", time.Date(2026, 11, 2, 2, 0, 0, 0, time.UTC), "ready", 100)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "report-20261101T020000Z-old.json"), []byte(`{"schema_version":"0"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	entries, skipped, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || len(skipped) != 1 || !strings.Contains(skipped[0].Err.Error(), "schema version") {
		t.Errorf("entries %d, skipped %+v", len(entries), skipped)
	}
	if e, _, _ := (&Store{Dir: filepath.Join(dir, "missing")}).Load(); len(e) != 0 {
		t.Error("a missing directory is an empty history")
	}
}
