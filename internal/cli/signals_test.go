package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/snapshot"
)

// TestSignalsInterruptThenAbort: the first Ctrl-C interrupts (the
// collection stops, the run reports), a second one aborts; SIGTERM
// aborts once the collection is over. Before, the second Ctrl-C and
// SIGTERM during evaluation were swallowed.
func TestSignalsInterruptThenAbort(t *testing.T) {
	sigs := make(chan os.Signal, 2)
	ctx, stop := watchSignals(context.Background(), sigs)
	defer stop()
	sigs <- os.Interrupt
	<-ctx.Done()
	if abortOf(ctx).Err() != nil {
		t.Fatal("the first Ctrl-C aborted")
	}
	sigs <- os.Interrupt
	<-abortOf(ctx).Done()

	sigs2 := make(chan os.Signal, 1)
	ctx2, stop2 := watchSignals(context.Background(), sigs2)
	defer stop2()
	finishing(ctx2)
	sigs2 <- syscall.SIGTERM
	<-abortOf(ctx2).Done()
	if ctx2.Err() == nil {
		t.Error("an abort does not stop the collection context too")
	}
}

// TestAbortWritesNothing: a run aborted while finishing exits non-zero
// and leaves the earlier outputs as they were, with no temporary file
// (before, a kill during rendering left a mix of old and new files).
func TestAbortWritesNothing(t *testing.T) {
	dir := t.TempDir()
	old := filepath.Join(dir, "report.json")
	if err := os.WriteFile(old, []byte("yesterday"), 0o600); err != nil {
		t.Fatal(err)
	}
	sigs := make(chan os.Signal, 2)
	ctx, stop := watchSignals(context.Background(), sigs)
	defer stop()
	sigs <- os.Interrupt
	sigs <- os.Interrupt
	<-abortOf(ctx).Done()
	var out, errb bytes.Buffer
	err := execute(ctx, []string{"scan", "--sample", "--offline", "--quiet", "--out", dir, "--format", "json,pdf,csv",
		"--save-snapshot", filepath.Join(dir, "snap.gz")}, IO{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Getenv: func(string) string { return "" }, Now: time.Now})
	if code := exitCode(err, &errb); code == ExitOK || code == ExitInternal {
		t.Errorf("exit %d after an abort, want non-zero and not 4", code)
	}
	es, _ := os.ReadDir(dir)
	if len(es) != 1 || es[0].Name() != "report.json" {
		t.Errorf("directory holds %v, want only the old report.json", es)
	}
	if b, _ := os.ReadFile(old); string(b) != "yesterday" {
		t.Errorf("old report replaced: %q", b)
	}
}

// TestEvaluateStopsWhenInterrupted: evaluate reads the snapshot under
// the run's context (before, snapshot.Read took none and a 400,000-object
// snapshot ran 167 s after Ctrl-C). Interrupted before it starts, it
// reads nothing, and the report says interrupted.
func TestEvaluateStopsWhenInterrupted(t *testing.T) {
	dir := t.TempDir()
	var recs []*snapshot.Record
	for i := range 200 {
		recs = append(recs, dirUser("u"+string(rune('a'+i%26))+string(rune('a'+i/26)), "u@example.com", nil))
	}
	snap := writeSnapshot(t, dir, recs...)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errb bytes.Buffer
	code := Main(ctx, []string{"evaluate", snap, "--quiet", "--out", dir, "--format", "json"}, IO{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Getenv: func(string) string { return "" }, Now: time.Now})
	if code != ExitIncomplete {
		t.Fatalf("exit %d (%s), want 3", code, errb.String())
	}
	b, err := os.ReadFile(filepath.Join(dir, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rep model.Report
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if !rep.Scan.Interrupted || rep.Summary.Inventory.Users != 0 {
		t.Errorf("interrupted %v, %d users evaluated; want interrupted and none", rep.Scan.Interrupted, rep.Summary.Inventory.Users)
	}
}

// TestSourcesNotRunSayInterrupted: the sources an interrupt kept from
// running are reported "not run: interrupted", not "no source given".
func TestSourcesNotRunSayInterrupted(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errb bytes.Buffer
	code := Main(ctx, []string{"scan", "--sample", "--offline", "--quiet", "--out", dir, "--format", "json"}, IO{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Getenv: func(string) string { return "" }, Now: time.Now})
	if code != ExitIncomplete {
		t.Fatalf("exit %d (%s), want 3", code, errb.String())
	}
	b, err := os.ReadFile(filepath.Join(dir, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rep model.Report
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Sources) == 0 {
		t.Fatal("no sources in the report")
	}
	for _, s := range rep.Sources {
		if s.Status != snapshot.StatusError || s.Error != "not run: interrupted" || len(s.Areas) == 0 {
			t.Errorf("source %+v, want not run: interrupted", s)
		}
	}
	for _, c := range rep.Checks {
		offline := strings.HasPrefix(c.RuleID, "BL-") || strings.HasPrefix(c.RuleID, "DNS-") || strings.HasPrefix(c.RuleID, "NET-")
		if !offline && strings.Contains(c.Error, "no source") {
			t.Errorf("check %s: %q", c.RuleID, c.Error)
		}
	}
}

// TestOutputsArePrivate: reports, CSVs, snapshots and history files hold
// directory data and are written with mode 0600 (before, 0644).
func TestOutputsArePrivate(t *testing.T) {
	dir := t.TempDir()
	hist := filepath.Join(dir, "history")
	code, _, stderr := runCLI(t, nil, "scan", "--sample", "--offline", "--quiet", "--out", dir, "--format", "json,pdf,csv,jsonl",
		"--save-snapshot", filepath.Join(dir, "snap.gz"), "--history", hist)
	if code == ExitUsage || code == ExitInternal {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var n int
	for _, d := range []string{dir, hist} {
		es, err := os.ReadDir(d)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range es {
			if e.IsDir() {
				continue
			}
			n++
			fi, err := e.Info()
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode().Perm() != 0o600 {
				t.Errorf("%s: mode %v, want 0600", e.Name(), fi.Mode().Perm())
			}
		}
	}
	if n < 5 {
		t.Errorf("only %d files written", n)
	}
}
