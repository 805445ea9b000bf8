// Package csvin reads the CSV files Windows tools write: PowerShell's
// Export-Csv (with or without the "#TYPE" line, comma or -UseCulture
// semicolon), tab-separated exports, UTF-8 with or without a byte-order mark
// and UTF-16 little or big endian with one, CRLF line ends, quoted fields
// holding separators and newlines.
//
// A Table streams rows: it never holds more than one row. Header names are
// matched case-insensitively and without spaces, so "Storage Used (Byte)"
// and "storageused(byte)" are the same column; extra columns are ignored.
// Errors name the file, the line and, where known, the column; in lenient
// mode a malformed row is skipped and counted instead.
package csvin

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/preflight-scan/preflight/internal/clip"
	"github.com/preflight-scan/preflight/internal/limits"
	"github.com/preflight-scan/preflight/snapshot"
)

// Table is one CSV file being read row by row.
type Table struct {
	name    string
	lenient bool
	r       *csv.Reader
	// body bounds the bytes of one row (limits.CSVRecordBytes).
	body *limits.Reader
	// off is the number of physical lines before the CSV body (the #TYPE
	// line and the header).
	off     int
	header  []string
	index   map[string]int
	sep     rune
	line    int
	skipped int64
	rows    int64
	// check is set when the text was not decoded (UTF-8) and each row
	// is checked for invalid UTF-8; as says what the file was read as.
	check bool
	as    string
	notes []string
}

// Options say how a file is read.
type Options struct {
	// Lenient skips malformed rows and counts them (see Skipped) instead
	// of failing. Text that is not valid UTF-8 fails even so: it is the
	// whole file that was read in the wrong encoding.
	Lenient bool
	// Encoding decodes a file without a byte-order mark (the zero value:
	// UTF-8, checked).
	Encoding Encoding
}

// Open starts reading a CSV export in UTF-8 (or with a byte-order mark).
// name is the file name used in errors. With lenient, malformed rows are
// skipped and counted (see Skipped) instead of failing.
func Open(name string, r io.Reader, lenient bool) (*Table, error) {
	return OpenWith(name, r, Options{Lenient: lenient})
}

// OpenWith starts reading a CSV export as o says.
func OpenWith(name string, r io.Reader, o Options) (*Table, error) {
	return open(name, r, o, limits.CSVHeaderBytes, limits.CSVRecordBytes)
}

func open(name string, r io.Reader, o Options, maxHeader, maxRecord int) (*Table, error) {
	d := decode(r, o.Encoding)
	br := bufio.NewReaderSize(d.r, 64<<10)
	t := &Table{name: name, lenient: o.Lenient, index: map[string]int{}, check: d.check, as: d.as}
	if d.note != "" {
		t.notes = append(t.notes, name+": "+d.note)
	}
	first, n, err := logicalLine(br, maxHeader)
	if err != nil && first == "" {
		if errors.Is(err, io.EOF) {
			return nil, &snapshot.InputError{File: name, Msg: "empty file: no header line"}
		}
		return nil, &snapshot.InputError{File: name, Line: 1, Msg: err.Error()}
	}
	t.off = n
	if strings.HasPrefix(strings.TrimSpace(first), "#") {
		// PowerShell's "#TYPE System.Management.Automation.PSCustomObject"
		// (or "#TYPE Deserialized....") line.
		first, n, err = logicalLine(br, maxHeader)
		if errors.Is(err, limits.ErrTooLarge) {
			return nil, &snapshot.InputError{File: name, Line: t.off + 1, Msg: err.Error()}
		}
		if first == "" && err != nil {
			return nil, &snapshot.InputError{File: name, Line: t.off + 1, Msg: "no header line after the #TYPE line"}
		}
		t.off += n
	}
	if b, bad := invalidUTF8(first); bad && t.check {
		return nil, &snapshot.InputError{File: name, Line: t.off, Msg: notUTF8(b, first)}
	}
	t.sep = detectSeparator(first)
	hr := csv.NewReader(strings.NewReader(first))
	hr.Comma = t.sep
	hr.LazyQuotes = true
	hdr, herr := hr.Read()
	if herr != nil {
		return nil, &snapshot.InputError{File: name, Line: t.off, Msg: "unreadable header line: " + herr.Error()}
	}
	if len(hdr) > limits.CSVFields {
		return nil, &snapshot.InputError{File: name, Line: t.off, Msg: fmt.Sprintf("header line has %d columns, more than the limit of %d (limits.CSVFields, see docs/limits.md)", len(hdr), limits.CSVFields)}
	}
	for i, h := range hdr {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		t.header = append(t.header, h)
		k := Normalize(h)
		if _, dup := t.index[k]; !dup && k != "" {
			t.index[k] = i
		}
	}
	t.body = limits.NewReader(br, int64(maxRecord), "CSV row", "CSVRecordBytes")
	t.r = csv.NewReader(t.body)
	t.r.Comma = t.sep
	t.r.FieldsPerRecord = -1
	t.r.ReuseRecord = true
	return t, nil
}

// Normalize is the form header names are compared in: lower case, without
// spaces, underscores or hyphens.
func Normalize(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '_', '-', '\u00a0':
			return -1
		}
		return r
	}, h)
}

// Name is the file name given to Open.
func (t *Table) Name() string { return t.name }

// Separator is the field separator detected from the header line.
func (t *Table) Separator() rune { return t.sep }

// Header returns the column names as the file wrote them.
func (t *Table) Header() []string { return append([]string(nil), t.header...) }

// Skipped is the number of rows skipped in lenient mode.
func (t *Table) Skipped() int64 { return t.skipped }

// ReadAs names the encoding the file was read as: "utf-8",
// "utf-8 (byte-order mark)", "windows-1252 (--csv-encoding)"...
func (t *Table) ReadAs() string { return t.as }

// Notes are remarks for the source's notes: an encoding given and not
// used, a file with a header and no rows (once Next returned io.EOF).
func (t *Table) Notes() []string { return append([]string(nil), t.notes...) }

// Empty reports whether the file had a header and not one data row
// (valid when Next has returned io.EOF).
func (t *Table) Empty() bool { return t.rows == 0 && t.skipped == 0 }

// SourceNotes are the notes a collector gives its source once the
// table is read: Notes, the encoding when --csv-encoding was used, and
// EmptyNote(holds).
func (t *Table) SourceNotes(holds string) []string {
	notes := t.Notes()
	if strings.HasSuffix(t.as, "(--csv-encoding)") {
		notes = append(notes, fmt.Sprintf("%s: read as %s", t.name, t.as))
	}
	if e := t.EmptyNote(holds); e != "" {
		notes = append(notes, e)
	}
	return notes
}

// EmptyNote is the source note of a file that had a header and no rows,
// naming what it should have held ("mailboxes"), or "".
func (t *Table) EmptyNote(holds string) string {
	if !t.Empty() {
		return ""
	}
	return fmt.Sprintf("the file has a header and no rows: no %s in %s", holds, t.name)
}

// Col returns the index of the first of names present in the header, or -1.
func (t *Table) Col(names ...string) int {
	for _, n := range names {
		if i, ok := t.index[Normalize(n)]; ok {
			return i
		}
	}
	return -1
}

// Require is Col for a column that must be present: its absence is an
// input error naming the file, the column (and its accepted spellings) and
// the columns found.
func (t *Table) Require(names ...string) (int, error) {
	if i := t.Col(names...); i >= 0 {
		return i, nil
	}
	col := names[0]
	if len(names) > 1 {
		col = fmt.Sprintf("%s (or %s)", names[0], strings.Join(names[1:], ", "))
	}
	return -1, &snapshot.InputError{File: t.name, Column: col,
		Msg: "required column missing; columns found: " + foundColumns(t.header)}
}

// Row is one data row. Fields are only valid until the next call of Next.
type Row struct {
	t      *Table
	Line   int
	Fields []string
}

// Get returns the trimmed field at column i ("" for i < 0).
func (r Row) Get(i int) string {
	if i < 0 || i >= len(r.Fields) {
		return ""
	}
	return strings.TrimSpace(r.Fields[i])
}

// Bad reports a bad value in column i of this row. It returns the input
// error to abort with, or nil in lenient mode, where the row counts as
// skipped and the caller must drop it.
func (r Row) Bad(i int, msg string) error {
	col := ""
	if i >= 0 && i < len(r.t.header) {
		col = r.t.header[i]
	}
	return r.t.bad(r.Line, col, msg)
}

func (t *Table) bad(line int, col, msg string) error {
	if t.lenient {
		t.skipped++
		return nil
	}
	return &snapshot.InputError{File: t.name, Line: line, Column: col, Msg: msg}
}

// Next returns the next well-formed row, or io.EOF after the last. A
// malformed row (too few or too many fields, a broken quote) is an input
// error naming file and line, or, in lenient mode, skipped and counted.
func (t *Table) Next() (Row, error) {
	for {
		t.body.Reset()
		rec, err := t.r.Read()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return Row{}, io.EOF
			}
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line := t.off + pe.StartLine
				msg := pe.Err.Error()
				if errors.Is(pe.Err, csv.ErrQuote) {
					msg = "unterminated or malformed quoted field (is the file truncated?)"
				}
				if e := t.bad(line, "", msg); e != nil {
					return Row{}, e
				}
				continue
			}
			return Row{}, &snapshot.InputError{File: t.name, Line: t.off + t.line + 1, Msg: err.Error()}
		}
		line, _ := t.r.FieldPos(0)
		line += t.off
		t.line = line - t.off
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" && len(t.header) > 1 {
			continue // a blank line made of spaces
		}
		if t.check {
			for _, f := range rec {
				if b, bad := invalidUTF8(f); bad {
					// Not skipped in lenient mode: the whole file is in
					// another encoding.
					return Row{}, &snapshot.InputError{File: t.name, Line: line, Msg: notUTF8(b, f)}
				}
			}
		}
		switch {
		case len(rec) < len(t.header):
			if e := t.bad(line, t.header[len(rec)], fmt.Sprintf("row has %d fields, the header has %d (is the file truncated?)", len(rec), len(t.header))); e != nil {
				return Row{}, e
			}
			continue
		case len(rec) > len(t.header):
			if e := t.bad(line, "", fmt.Sprintf("row has %d fields, the header has %d", len(rec), len(t.header))); e != nil {
				return Row{}, e
			}
			continue
		}
		t.rows++
		return Row{t: t, Line: line, Fields: rec}, nil
	}
}

// detectSeparator picks the separator that occurs most often outside
// quotes in the header line: tab, semicolon or comma (comma on a tie or
// when there is none).
func detectSeparator(line string) rune {
	counts := map[rune]int{}
	inQ := false
	for _, c := range line {
		switch {
		case c == '"':
			inQ = !inQ
		case !inQ && (c == ',' || c == ';' || c == '\t'):
			counts[c]++
		}
	}
	best := ','
	for _, c := range []rune{';', '\t'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return best
}

// foundColumns lists header names for a message: each neutralised and
// clipped, at most 20 of them.
func foundColumns(h []string) string {
	const most = 20
	var parts []string
	for i, c := range h {
		if i == most {
			parts = append(parts, fmt.Sprintf("and %d more", len(h)-most))
			break
		}
		parts = append(parts, clip.Text(c))
	}
	return strings.Join(parts, ", ")
}

// logicalLine reads one line, continuing over newlines inside quotes, and
// returns it without its line end and the number of physical lines read.
// A line longer than limit bytes is an error naming the limit; no more
// than that is held.
func logicalLine(br *bufio.Reader, limit int) (string, int, error) {
	var sb []byte
	n := 0
	inQ := false
	for {
		part, err := br.ReadSlice('\n')
		if len(part) > 0 && (err == nil || !errors.Is(err, bufio.ErrBufferFull)) {
			n++
		}
		if len(sb)+len(part) > limit+2 {
			return "", n, &limits.Error{What: "CSV header line", Limit: int64(limit), Name: "CSVHeaderBytes"}
		}
		sb = append(sb, part...)
		inQ = inQ != (bytes.Count(part, []byte{'"'})%2 == 1)
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err != nil:
			return strings.TrimRight(string(sb), "\r\n"), n, err
		case !inQ:
			return strings.TrimRight(string(sb), "\r\n"), n, nil
		}
	}
}
