package golden

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func lines(n int, f func(i int) string) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		b.WriteString(f(i) + "\n")
	}
	return b.String()
}

func numbered(i int) string { return fmt.Sprintf("line %d", i) }

func TestDiff(t *testing.T) {
	base := lines(20, numbered)
	for _, tc := range []struct {
		name      string
		want, got string
		diff      string
	}{
		{"equal", base, base, ""},
		{"one line changed", base, strings.Replace(base, "line 10\n", "line ten\n", 1), `--- want (20 lines)
+++ got (20 lines)
@@ -7,7 +7,7 @@
 line 7
 line 8
 line 9
-line 10
+line ten
 line 11
 line 12
 line 13
`},
		{"line inserted at the top", base, "line 0\n" + base, `--- want (20 lines)
+++ got (21 lines)
@@ -1,3 +1,4 @@
+line 0
 line 1
 line 2
 line 3
`},
		{"line removed at the end", base, strings.TrimSuffix(base, "line 20\n"), `--- want (20 lines)
+++ got (19 lines)
@@ -17,4 +17,3 @@
 line 17
 line 18
 line 19
-line 20
`},
		{"two changes far apart make two hunks", base,
			strings.NewReplacer("line 2\n", "line two\n", "line 18\n", "").Replace(base), `--- want (20 lines)
+++ got (19 lines)
@@ -1,5 +1,5 @@
 line 1
-line 2
+line two
 line 3
 line 4
 line 5
@@ -15,6 +15,5 @@
 line 15
 line 16
 line 17
-line 18
 line 19
 line 20
`},
		{"two changes close together make one hunk", base,
			strings.NewReplacer("line 5\n", "line five\n", "line 9\n", "line nine\n").Replace(base), `--- want (20 lines)
+++ got (20 lines)
@@ -2,11 +2,11 @@
 line 2
 line 3
 line 4
-line 5
+line five
 line 6
 line 7
 line 8
-line 9
+line nine
 line 10
 line 11
 line 12
`},
		{"final newline missing", "a\nb\n", "a\nb", `--- want (2 lines)
+++ got (2 lines)
@@ -1,2 +1,2 @@
 a
-b
+b
\ No newline at end of file
`},
		{"from nothing", "", "a\n", `--- want (0 lines)
+++ got (1 line)
@@ -0,0 +1 @@
+a
`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if d := Diff("want", "got", []byte(tc.want), []byte(tc.got), 60); d != tc.diff {
				t.Errorf("diff:\n%s\nwant:\n%s", d, tc.diff)
			}
		})
	}
}

// TestDiffIsShort checks that a large difference is cut to the first lines
// and says how much it left out, instead of dumping both texts.
func TestDiffIsShort(t *testing.T) {
	want := lines(5000, numbered)
	got := lines(5000, func(i int) string {
		if i%100 == 0 {
			return "changed " + numbered(i)
		}
		return numbered(i)
	})
	d := Diff("want", "got", []byte(want), []byte(got), 20)
	if n := strings.Count(d, "\n"); n > 30 {
		t.Errorf("a %d-line diff for a 20-line cap:\n%s", n, d)
	}
	if !strings.Contains(d, "-line 100\n+changed line 100\n") {
		t.Errorf("the first change is not shown:\n%s", d)
	}
	if !strings.HasSuffix(d, "… 95 more changed line(s) not shown, 47 more hunk(s)\n") {
		t.Errorf("the diff does not say what it left out:\n%s", d)
	}
	// Two unrelated texts, past the edit bound: still a short diff
	// starting at the first line.
	other := lines(3000, func(i int) string { return fmt.Sprintf("other %d", i) })
	d = Diff("want", "got", []byte(want), []byte(other), 20)
	if n := strings.Count(d, "\n"); n > 30 || !strings.Contains(d, "@@ -1,5000 +1,3000 @@\n-line 1\n") {
		t.Errorf("unrelated texts:\n%s", d)
	}
}

// TestDiffAppliesBack checks on varied edits that the diff's lines, read
// as an edit script, turn want into got.
func TestDiffAppliesBack(t *testing.T) {
	want := lines(200, numbered)
	edits := []func(string) string{
		func(s string) string { return strings.Replace(s, "line 1\n", "", 1) },
		func(s string) string { return strings.Replace(s, "line 50\n", "line 50\nnew a\nnew b\n", 1) },
		func(s string) string { return strings.Replace(s, "line 51\nline 52\n", "swapped\n", 1) },
		func(s string) string { return s + "tail\n" },
		func(s string) string { return strings.ReplaceAll(s, "7\n", "7!\n") },
	}
	got := want
	for i, e := range edits {
		got = e(got)
		ops := diffLines(splitLines(want), splitLines(got))
		a, b := splitLines(want), splitLines(got)
		var rebuilt, kept strings.Builder
		for _, o := range ops {
			switch o.kind {
			case opEqual:
				if a[o.a] != b[o.b] {
					t.Fatalf("edit %d: equal op joins %q and %q", i, a[o.a], b[o.b])
				}
				rebuilt.WriteString(a[o.a])
				kept.WriteString(a[o.a])
			case opDelete:
				kept.WriteString(a[o.a])
			case opInsert:
				rebuilt.WriteString(b[o.b])
			}
		}
		if rebuilt.String() != got || kept.String() != want {
			t.Fatalf("edit %d: the script does not rebuild both texts", i)
		}
	}
}

// recorder is a testing.TB that keeps what a check reported.
type recorder struct {
	testing.TB
	errors, fatals []string
	logs           []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(f string, a ...any) {
	r.errors = append(r.errors, fmt.Sprintf(f, a...))
}
func (r *recorder) Fatalf(f string, a ...any) {
	r.fatals = append(r.fatals, fmt.Sprintf(f, a...))
	runtime.Goexit()
}
func (r *recorder) Logf(f string, a ...any) {
	r.logs = append(r.logs, fmt.Sprintf(f, a...))
}

// check runs Check on its own goroutine, as Fatalf ends it.
func check(r *recorder, path string, got []byte) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		Check(r, path, got)
	}()
	<-done
}

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "testdata", "out.golden")

	r := &recorder{TB: t}
	check(r, path, []byte("a\n"))
	if len(r.fatals) != 1 || !strings.Contains(r.fatals[0], "does not exist") || !strings.Contains(r.fatals[0], "-update") {
		t.Errorf("missing golden file: %+v", r)
	}

	// -update writes the file (and its directory) and passes.
	*update = true
	r = &recorder{TB: t}
	check(r, path, []byte("a\nb\nc\n"))
	*update = false
	if b, err := os.ReadFile(path); err != nil || string(b) != "a\nb\nc\n" {
		t.Fatalf("update wrote %q, %v", b, err)
	}
	if len(r.errors)+len(r.fatals) != 0 {
		t.Errorf("update reported a failure: %+v", r)
	}

	r = &recorder{TB: t}
	check(r, path, []byte("a\nb\nc\n"))
	if len(r.errors)+len(r.fatals) != 0 {
		t.Errorf("equal output failed: %+v", r)
	}

	r = &recorder{TB: t}
	check(r, path, []byte("a\nB\nc\n"))
	if len(r.errors) != 1 {
		t.Fatalf("a difference was not reported: %+v", r)
	}
	msg := r.errors[0]
	for _, w := range []string{path, "-b\n+B\n", "go test -run '^TestCheck$' -update"} {
		if !strings.Contains(msg, w) {
			t.Errorf("the report lacks %q:\n%s", w, msg)
		}
	}
}

func TestRunPattern(t *testing.T) {
	for in, want := range map[string]string{
		"TestSampleGolden":                 "^TestSampleGolden$",
		"TestSampleGolden/exchange-online": "^TestSampleGolden$/^exchange-online$",
		"TestX/a.b_(c)":                    `^TestX$/^a\.b_\(c\)$`,
		"TestX/it's":                       "^TestX$/^it.s$",
	} {
		if got := runPattern(in); got != want {
			t.Errorf("runPattern(%q) = %q, want %q", in, got, want)
		}
	}
}
