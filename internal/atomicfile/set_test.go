package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// TestSetReplacesAllOrNothing: when one output of a run fails, none is
// replaced and no temporary is left (before, a kill during rendering left
// a new PDF beside the old JSON).
func TestSetReplacesAllOrNothing(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"report.json", "report.pdf"} {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("old"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var s Set
	if err := s.Write(filepath.Join(dir, "report.json"), func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("render failed")
	if err := s.Write(filepath.Join(dir, "report.pdf"), func(io.Writer) error { return boom }); !errors.Is(err, boom) {
		t.Fatal(err)
	}
	s.Abort()
	onlyTarget(t, dir, "report.json,report.pdf")
	for _, n := range []string{"report.json", "report.pdf"} {
		if got := content(t, filepath.Join(dir, n)); got != "old" {
			t.Errorf("%s = %q after a failed set, want the old content", n, got)
		}
	}

	var ok Set
	for _, n := range []string{"report.json", "report.pdf"} {
		if err := ok.Write(filepath.Join(dir, n), func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }); err != nil {
			t.Fatal(err)
		}
	}
	// Nothing is replaced before Commit.
	if got := content(t, filepath.Join(dir, "report.json")); got != "old" {
		t.Errorf("replaced before Commit: %q", got)
	}
	if err := ok.Commit(); err != nil {
		t.Fatal(err)
	}
	onlyTarget(t, dir, "report.json,report.pdf")
	for _, n := range []string{"report.json", "report.pdf"} {
		if got := content(t, filepath.Join(dir, n)); got != "new" {
			t.Errorf("%s = %q after Commit", n, got)
		}
	}
}

// TestStaleTemporariesRemoved: temporaries of a killed run (a dead
// process ID, or an old name without one) are removed by the next run;
// another live process's are not.
func TestStaleTemporariesRemoved(t *testing.T) {
	dir := t.TempDir()
	dead := filepath.Join(dir, ".report.json.tmp-999999999-123")
	old := filepath.Join(dir, ".report.json.tmp-4711")
	live := filepath.Join(dir, ".report.json.tmp-"+strconv.Itoa(os.Getppid())+"-1")
	other := filepath.Join(dir, ".notes.txt.tmp-999999999-1")
	for _, p := range []string{dead, old, live, other} {
		if err := os.WriteFile(p, []byte("partial"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	past := time.Now().Add(-2 * time.Hour)
	if err := os.Chtimes(old, past, past); err != nil {
		t.Fatal(err)
	}
	if err := Write(filepath.Join(dir, "report.json"), func(io.Writer) error { return nil }); err != nil {
		t.Fatal(err)
	}
	onlyTarget(t, dir, ".notes.txt.tmp-999999999-1,"+filepath.Base(live)+",report.json")
}
