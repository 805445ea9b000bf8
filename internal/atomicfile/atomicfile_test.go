package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// entries lists the names in dir.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func content(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// onlyTarget fails unless dir holds exactly the target's name (or
// nothing, when want is ""): no temporary file is left behind.
func onlyTarget(t *testing.T, dir, want string) {
	t.Helper()
	got := strings.Join(entries(t, dir), ",")
	if got != want {
		t.Errorf("directory holds %q, want %q", got, want)
	}
}

func TestWriteReplaces(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.json")
	if err := os.WriteFile(path, []byte("old report"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := Write(path, func(w io.Writer) error {
		// While the new content is written, readers still see the old
		// file, and the new one grows beside it in the same directory.
		if got := content(t, path); got != "old report" {
			t.Errorf("target during the write: %q", got)
		}
		names := entries(t, dir)
		if len(names) != 2 || !strings.HasPrefix(names[0], ".report.json.tmp-") {
			t.Errorf("temporary file: %v", names)
		}
		_, err := io.WriteString(w, "new report")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := content(t, path); got != "new report" {
		t.Errorf("after Write: %q", got)
	}
	onlyTarget(t, dir, "report.json")
	// The committed file is readable by others (a report is shared), even
	// where the file it replaced was not.
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600 (outputs hold directory data)", fi.Mode().Perm())
	}
}

func TestWriteCreates(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "findings.csv")
	if err := Write(path, func(w io.Writer) error { _, err := io.WriteString(w, "a,b\n"); return err }); err != nil {
		t.Fatal(err)
	}
	if got := content(t, path); got != "a,b\n" {
		t.Errorf("content %q", got)
	}
	onlyTarget(t, dir, "findings.csv")
}

// TestFailingWriterKeepsOldFile: a renderer that fails half-way leaves the
// previous report whole and no temporary file.
func TestFailingWriterKeepsOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.pdf")
	if err := os.WriteFile(path, []byte("yesterday's report"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("render failed")
	err := Write(path, func(w io.Writer) error {
		if _, err := io.WriteString(w, "half a rep"); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Write returned %v, want the writer's error", err)
	}
	if got := content(t, path); got != "yesterday's report" {
		t.Errorf("target after a failed write: %q", got)
	}
	onlyTarget(t, dir, "report.pdf")

	// Without an earlier file, a failed write leaves none.
	fresh := filepath.Join(t.TempDir(), "report.pdf")
	if err := Write(fresh, func(io.Writer) error { return boom }); !errors.Is(err, boom) {
		t.Fatalf("Write returned %v", err)
	}
	if _, err := os.Stat(fresh); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed write created the target: %v", err)
	}
	onlyTarget(t, filepath.Dir(fresh), "")
}

func TestAbortAndCommit(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("new"); err != nil {
		t.Fatal(err)
	}
	f.Abort()
	if got := content(t, path); got != "old" {
		t.Errorf("after Abort: %q", got)
	}
	onlyTarget(t, dir, "out.txt")
	// Commit after Abort does not resurrect the content.
	_ = f.Commit()
	if got := content(t, path); got != "old" {
		t.Errorf("after Abort and Commit: %q", got)
	}

	f, err = Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("new"); err != nil {
		t.Fatal(err)
	}
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	// Abort after Commit (a deferred Abort) keeps the committed file, and a
	// second Commit is harmless.
	f.Abort()
	if err := f.Commit(); err != nil {
		t.Errorf("second Commit: %v", err)
	}
	if got := content(t, path); got != "new" {
		t.Errorf("after Commit and Abort: %q", got)
	}
	onlyTarget(t, dir, "out.txt")
}

func TestErrorsNameThePath(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no-such-dir", "report.json")
	if _, err := Create(missing); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("Create in a missing directory: %v", err)
	}
	// The target is a directory: the rename fails, the error names the
	// target, and the temporary file is removed.
	dir := t.TempDir()
	target := filepath.Join(dir, "report.json")
	if err := os.Mkdir(target, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(target, "keep"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	err := Write(target, func(w io.Writer) error { _, err := io.WriteString(w, "x"); return err })
	if err == nil || !strings.Contains(err.Error(), target) {
		t.Errorf("Write over a directory: %v", err)
	}
	onlyTarget(t, dir, "report.json")
}
