package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
		if d := lineDiff(string(got), string(want)); d != "" {
			t.Errorf("docs/%s is stale (run make docs); committed (-) vs generated (+):\n%s", rel, d)
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
	b, _ := Docs()
	for rel := range a {
		if string(a[rel]) != string(b[rel]) {
			t.Errorf("%s differs between two runs:\n%s", rel, lineDiff(string(a[rel]), string(b[rel])))
		}
	}
	th := strings.SplitN(string(a[ManDir+"/preflight-scan.1"]), "\n", 3)[1]
	if th != `.TH "PREFLIGHT-SCAN" "1" "" "preflight" "preflight manual"` {
		t.Errorf("man page header %q", th)
	}
}

// lineDiff returns the lines that differ between a and b, "-" for a and
// "+" for b, with two lines of context; "" when they are equal. It aligns
// the texts on their longest common subsequence of lines.
func lineDiff(a, b string) string {
	if a == b {
		return ""
	}
	x, y := strings.Split(a, "\n"), strings.Split(b, "\n")
	// lcs[i][j] is the length of the common subsequence of x[i:] and y[j:].
	lcs := make([][]int, len(x)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	type op struct {
		mark byte
		line int // in x for ' ' and '-', in y for '+'
		text string
	}
	var ops []op
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		switch {
		case i < len(x) && j < len(y) && x[i] == y[j]:
			ops = append(ops, op{' ', i, x[i]})
			i, j = i+1, j+1
		case i < len(x) && (j == len(y) || lcs[i+1][j] >= lcs[i][j+1]):
			ops = append(ops, op{'-', i, x[i]})
			i++
		default:
			ops = append(ops, op{'+', j, y[j]})
			j++
		}
	}
	const context = 2
	var out strings.Builder
	last := -1
	for k, o := range ops {
		near := false
		for d := max(0, k-context); d <= min(len(ops)-1, k+context); d++ {
			near = near || ops[d].mark != ' '
		}
		if !near {
			continue
		}
		if last >= 0 && k > last+1 {
			out.WriteString("...\n")
		}
		fmt.Fprintf(&out, "%c %4d %s\n", o.mark, o.line+1, o.text)
		last = k
	}
	return out.String()
}

func TestLineDiff(t *testing.T) {
	if d := lineDiff("a\nb\nc\n", "a\nb\nc\n"); d != "" {
		t.Errorf("equal texts: %q", d)
	}
	got := lineDiff("1\n2\n3\n4\n5\n6\n7\n8\n", "1\n2\n3\nfour\n5\n6\n7\n8\n")
	want := "     2 2\n     3 3\n-    4 4\n+    4 four\n     5 5\n     6 6\n"
	if got != want {
		t.Errorf("lineDiff:\n%s\nwant:\n%s", got, want)
	}
}
