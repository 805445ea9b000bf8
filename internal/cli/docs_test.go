package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/preflight-scan/preflight/internal/golden"
	"github.com/preflight-scan/preflight/snapshot"
)

// TestDocsUpToDate fails when docs/flags.md or a man page in docs/man
// differs from what the commands generate, or a man page is left over
// from a command that is gone. Run make docs and commit the result.
func TestDocsUpToDate(t *testing.T) {
	files, err := Docs()
	if err != nil {
		t.Fatal(err)
	}
	docs := filepath.Join("..", "..", "docs")
	for rel, want := range files {
		got, err := os.ReadFile(filepath.Join(docs, filepath.FromSlash(rel)))
		if err != nil {
			t.Errorf("docs/%s: %v (run make docs)", rel, err)
			continue
		}
		if d := golden.Diff("docs/"+rel, "generated", got, want, golden.MaxDiffLines); d != "" {
			t.Errorf("docs/%s is stale (run make docs):\n%s", rel, d)
		}
	}
	pages, _ := filepath.Glob(filepath.Join(docs, ManDir, "*"))
	for _, p := range pages {
		if _, ok := files[ManDir+"/"+filepath.Base(p)]; !ok {
			t.Errorf("docs/%s/%s belongs to no command (run make docs)", ManDir, filepath.Base(p))
		}
	}
}

// TestDocsDeterministic: generating twice gives the same bytes, with no
// date in the man pages.
func TestDocsDeterministic(t *testing.T) {
	a, err := Docs()
	if err != nil {
		t.Fatal(err)
	}
	b, err := Docs()
	if err != nil {
		t.Fatal(err)
	}
	for rel := range a {
		if d := golden.Diff("first run", "second run", a[rel], b[rel], golden.MaxDiffLines); d != "" {
			t.Errorf("%s differs between two runs:\n%s", rel, d)
		}
	}
	th := strings.SplitN(string(a[ManDir+"/preflight-scan.1"]), "\n", 3)[1]
	if th != `.TH "PREFLIGHT-SCAN" "1" "" "preflight" "preflight manual"` {
		t.Errorf("man page header %q", th)
	}
}

// TestReadmeExportRequestsEveryAttribute: the README's ldapsearch command
// requests every attribute the rules read. An export made with it and
// missing one would have that attribute reported as not exported, and the
// rules needing it would not be judged.
func TestReadmeExportRequestsEveryAttribute(t *testing.T) {
	text, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	start := strings.Index(string(text), "ldapsearch -H ")
	end := strings.Index(string(text), "> users.ldif")
	if start < 0 || end < start {
		t.Fatal("README.md: no ldapsearch command ending in > users.ldif")
	}
	requested := map[string]bool{}
	for _, w := range strings.Fields(string(text[start:end])) {
		requested[strings.ToLower(w)] = true
	}
	for _, a := range snapshot.DirectoryAttributes() {
		if !requested[strings.ToLower(a)] {
			t.Errorf("README.md's ldapsearch command does not request %s", a)
		}
	}
}
