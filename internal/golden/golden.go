// Package golden compares what a test produced with a golden file under
// testdata/. Run the test with -update to rewrite the golden file instead;
// on a mismatch the test reports a unified line diff of the first
// differences, never the whole output.
//
// The package registers the -update flag for the test binaries that import
// it, so such a test package must not define an -update flag of its own.
package golden

import (
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The flag is package state by necessity: go test parses the command line
// once for the whole test binary.
var update = flag.Bool("update", false, "rewrite the golden files under testdata/ instead of comparing with them")

// MaxDiffLines is how many lines of diff a mismatch shows at most.
const MaxDiffLines = 60

// Update reports whether the test binary was started with -update.
func Update() bool { return *update }

// Check compares got with the golden file at path, relative to the test's
// package directory. With -update it writes got to path (creating its
// directory) and passes. A missing golden file fails the test; so does a
// difference, with a line diff of the first differences and how to accept
// them.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := write(path, got); err != nil {
			t.Fatalf("golden: %v", err)
		}
		t.Logf("golden: wrote %s", path)
		return
	}
	want, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("golden: %s does not exist; create it with %s", path, hint(t.Name()))
	}
	if err != nil {
		t.Fatalf("golden: %v", err)
	}
	if d := Diff(path, "got", want, got, MaxDiffLines); d != "" {
		t.Errorf("golden: output differs from %s:\n%sif the change is intended, accept it with %s, then review git diff", path, d, hint(t.Name()))
	}
}

func write(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

// hint is the command that accepts the output of the named test, to be
// run in the package's directory.
func hint(test string) string {
	return "go test -run '" + runPattern(test) + "' -update in the test's package directory"
}

// runPattern anchors each level of a test name for go test -run. A single
// quote, which would end the hint's shell quoting, matches as any
// character.
func runPattern(name string) string {
	levels := strings.Split(name, "/")
	for i, l := range levels {
		levels[i] = "^" + strings.ReplaceAll(regexp.QuoteMeta(l), "'", ".") + "$"
	}
	return strings.Join(levels, "/")
}
