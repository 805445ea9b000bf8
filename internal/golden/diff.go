package golden

// A unified line diff (Myers' algorithm), cut to its first lines.

import (
	"fmt"
	"strings"
)

// context is how many unchanged lines a hunk shows around a change.
const context = 3

// maxEdits bounds the edit distance Myers' search looks for. Beyond it
// (two mostly unrelated texts) the differing middle is shown as removed
// and added whole, which the line cap then cuts.
const maxEdits = 1000

// opKind is what a diff line does.
type opKind byte

const (
	opEqual  opKind = ' '
	opDelete opKind = '-'
	opInsert opKind = '+'
)

// op is one line of the diff, with its index in want (a) and got (b).
type op struct {
	kind opKind
	a, b int
}

// Diff returns a unified diff from want to got, labelled with the two
// names, showing at most maxLines lines of hunks and saying how much was
// left out; "" when they are equal. A line that lacks its final newline
// is marked as diff marks it.
func Diff(wantName, gotName string, want, got []byte, maxLines int) string {
	if string(want) == string(got) {
		return ""
	}
	a, b := splitLines(string(want)), splitLines(string(got))
	ops := diffLines(a, b)
	hunks := group(ops)
	var out strings.Builder
	fmt.Fprintf(&out, "--- %s (%s)\n+++ %s (%s)\n", wantName, count(len(a)), gotName, count(len(b)))
	shown := 0
	for hi, h := range hunks {
		body := ops[h[0]:h[1]]
		for i, o := range body {
			if shown >= maxLines {
				rest := changed(body[i:])
				for _, r := range hunks[hi+1:] {
					rest += changed(ops[r[0]:r[1]])
				}
				fmt.Fprintf(&out, "… %d more changed line(s) not shown", rest)
				if more := len(hunks) - hi - 1; more > 0 {
					fmt.Fprintf(&out, ", %d more hunk(s)", more)
				}
				out.WriteString("\n")
				return out.String()
			}
			if i == 0 {
				out.WriteString(header(body))
			}
			var line string
			if o.kind == opInsert {
				line = b[o.b]
			} else {
				line = a[o.a]
			}
			out.WriteByte(byte(o.kind))
			if text, ok := strings.CutSuffix(line, "\n"); ok {
				out.WriteString(text + "\n")
			} else {
				out.WriteString(line + "\n\\ No newline at end of file\n")
			}
			shown++
		}
	}
	return out.String()
}

// splitLines splits s after each newline; the last line has none when s
// does not end in one.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

func count(n int) string {
	if n == 1 {
		return "1 line"
	}
	return fmt.Sprintf("%d lines", n)
}

func changed(ops []op) int {
	n := 0
	for _, o := range ops {
		if o.kind != opEqual {
			n++
		}
	}
	return n
}

// header is a hunk's "@@ -l,s +l,s @@" line (lines counted from 1; an
// empty side names the line before it, as diff -u does).
func header(body []op) string {
	aStart, bStart, aLen, bLen := -1, -1, 0, 0
	for _, o := range body {
		if o.kind != opInsert {
			if aStart < 0 {
				aStart = o.a
			}
			aLen++
		}
		if o.kind != opDelete {
			if bStart < 0 {
				bStart = o.b
			}
			bLen++
		}
	}
	first := body[0]
	if aStart < 0 {
		aStart = first.a - 1
	}
	if bStart < 0 {
		bStart = first.b - 1
	}
	return fmt.Sprintf("@@ -%s +%s @@\n", span(aStart, aLen), span(bStart, bLen))
}

func span(start, n int) string {
	if n == 1 {
		return fmt.Sprint(start + 1)
	}
	return fmt.Sprintf("%d,%d", start+1, n)
}

// group cuts ops into hunks, each a [from, to) range of ops holding the
// changes and up to context equal lines either side; hunks whose context
// would touch are merged.
func group(ops []op) [][2]int {
	var hunks [][2]int
	for i := 0; i < len(ops); {
		if ops[i].kind == opEqual {
			i++
			continue
		}
		from := max(0, i-context)
		// Extend over changes separated by at most 2*context equal lines.
		j := i
		for j < len(ops) {
			if ops[j].kind != opEqual {
				j++
				continue
			}
			k := j
			for k < len(ops) && ops[k].kind == opEqual {
				k++
			}
			if k == len(ops) || k-j > 2*context {
				break
			}
			j = k
		}
		to := min(len(ops), j+context)
		if n := len(hunks); n > 0 && hunks[n-1][1] >= from {
			hunks[n-1][1] = to
		} else {
			hunks = append(hunks, [2]int{from, to})
		}
		i = j
	}
	return hunks
}

// diffLines returns the edit script from a to b: the common prefix and
// suffix as they are, the middle by Myers' shortest edit script (or, past
// maxEdits, removed and added whole).
func diffLines(a, b []string) []op {
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	var ops []op
	for i := 0; i < pre; i++ {
		ops = append(ops, op{opEqual, i, i})
	}
	ma, mb := a[pre:len(a)-suf], b[pre:len(b)-suf]
	mid, ok := myers(ma, mb, maxEdits)
	if !ok {
		mid = mid[:0]
		for i := range ma {
			mid = append(mid, op{opDelete, i, 0})
		}
		for j := range mb {
			mid = append(mid, op{opInsert, len(ma), j})
		}
	}
	for _, o := range mid {
		ops = append(ops, op{o.kind, o.a + pre, o.b + pre})
	}
	for i := 0; i < suf; i++ {
		ops = append(ops, op{opEqual, len(a) - suf + i, len(b) - suf + i})
	}
	return ops
}

// myers finds a shortest edit script from a to b with at most maxD
// insertions and deletions; ok is false when there is none that short.
// Each op's a and b are the positions in a and b it stands at.
func myers(a, b []string, maxD int) (ops []op, ok bool) {
	n, m := len(a), len(b)
	if n == 0 && m == 0 {
		return nil, true
	}
	off := n + m + 1
	v := make([]int, 2*off+1)
	// trace[d] holds v over diagonals -(d+1)..d+1 before step d.
	var trace [][]int
	for d := 0; d <= n+m && d <= maxD; d++ {
		trace = append(trace, append([]int(nil), v[off-d-1:off+d+2]...))
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				x = v[off+k+1]
			} else {
				x = v[off+k-1] + 1
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x++
				y++
			}
			v[off+k] = x
			if x >= n && y >= m {
				return backtrack(trace, n, m), true
			}
		}
	}
	return nil, false
}

// backtrack walks the trace from the end to the start and returns the ops
// in order.
func backtrack(trace [][]int, n, m int) []op {
	var rev []op
	x, y := n, m
	for d := len(trace) - 1; d >= 0; d-- {
		v := trace[d]
		at := func(k int) int { return v[k+d+1] }
		k := x - y
		var prevK int
		if k == -d || (k != d && at(k-1) < at(k+1)) {
			prevK = k + 1
		} else {
			prevK = k - 1
		}
		prevX := at(prevK)
		prevY := prevX - prevK
		for x > prevX && y > prevY {
			x--
			y--
			rev = append(rev, op{opEqual, x, y})
		}
		if d == 0 {
			break
		}
		if x == prevX {
			y--
			rev = append(rev, op{opInsert, x, y})
		} else {
			x--
			rev = append(rev, op{opDelete, x, y})
		}
	}
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	return rev
}
