// Package ldif reads directory exports in LDIF (RFC 2849) as written by
// OpenLDAP's ldapsearch and by Windows ldifde, and turns them into the
// directory records of a snapshot.
//
// The reader streams: it holds one entry at a time, whatever the size of
// the file.
package ldif

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/preflight-scan/preflight/internal/clip"
	"github.com/preflight-scan/preflight/internal/limits"
	"github.com/preflight-scan/preflight/snapshot"
)

// MaxLineBytes bounds one line, folded lines joined: one value. A value may
// be long (a certificate, a photo), but not this long.
const MaxLineBytes = limits.LDIFValueBytes

// MaxEntryBytes bounds one entry, which is held in memory whole. A group
// with a million members takes about 70 MB.
const MaxEntryBytes = limits.LDIFEntryBytes

// maxNames bounds the attribute-name intern table.
const maxNames = 4096

// Attr is one attribute value of an entry. Name is the attribute
// description as written, options included ("member;range=0-1499"). Value
// is the value with base64 decoded; it aliases the reader's buffer and is
// valid only until the next call of Next.
type Attr struct {
	Name  string
	Value []byte
}

// Entry is one LDIF record.
type Entry struct {
	// DN is the distinguished name, base64 decoded when written "dn::".
	DN string
	// Line is the 1-based line of the entry's "dn:" line.
	Line int
	// Attrs are the attribute values in file order.
	Attrs []Attr
}

// Reader reads LDIF entries one at a time.
type Reader struct {
	name string
	br   *bufio.Reader
	line int // physical lines read so far

	// The current entry as logical lines (folded lines joined) in buf;
	// spans index buf.
	buf     []byte
	spans   []span
	long    []byte // a physical line longer than the bufio buffer
	dec     []byte // base64 decoding buffer
	entry   Entry
	names   map[string]string
	results int
	failed  string
	refs    int
	prev    []string // attribute names by position in the previous entry
	first   bool     // no entry has been returned or skipped yet
	eof     bool

	// What ldapsearch wrote about the search (see Trailer).
	extended   bool     // the first line is "# extended LDIF"
	pending    bool     // a search result was read and no "# numResponses" after it yet
	trailers   int      // "# numResponses:" lines
	numEntries int64    // sum of "# numEntries:" values
	entries    int64    // entries returned by Next
	requesting []string // the "# requesting:" list; nil for ALL
	requested  bool     // a "# requesting:" line was read
}

type span struct {
	start, end int
	line       int
}

// NewReader returns a reader of the LDIF text in r. name is used in error
// messages (normally the file path). The text may be UTF-8 with or without
// a byte-order mark, UTF-16 (ldifde -u writes little-endian with a
// byte-order mark), with LF or CRLF line endings, and gzip compressed.
func NewReader(r io.Reader, name string) *Reader {
	return &Reader{
		name:  name,
		br:    bufio.NewReaderSize(r, 64<<10),
		names: make(map[string]string),
		first: true,
	}
}

func (r *Reader) errorf(line int, format string, args ...any) error {
	return &snapshot.InputError{File: r.name, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// sniff handles a byte-order mark or gzip header at the start of the input.
func (r *Reader) sniff() error {
	head, _ := r.br.Peek(3)
	switch {
	case len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b:
		zr, err := gzip.NewReader(r.br)
		if err != nil {
			return r.errorf(0, "bad gzip header: %v", err)
		}
		r.br = bufio.NewReaderSize(zr, 64<<10)
		return r.sniff()
	case len(head) >= 3 && head[0] == 0xef && head[1] == 0xbb && head[2] == 0xbf:
		_, _ = r.br.Discard(3)
	case len(head) >= 2 && head[0] == 0xff && head[1] == 0xfe:
		_, _ = r.br.Discard(2)
		r.br = bufio.NewReaderSize(&utf16Reader{r: r.br}, 64<<10)
	case len(head) >= 2 && head[0] == 0xfe && head[1] == 0xff:
		_, _ = r.br.Discard(2)
		r.br = bufio.NewReaderSize(&utf16Reader{r: r.br, bigEndian: true}, 64<<10)
	default:
		// UTF-16LE without a byte-order mark: ASCII text ("dn", "# ",
		// "ve") with a zero after every byte. LDIF never holds NUL bytes.
		if four, _ := r.br.Peek(4); len(four) == 4 && four[0] != 0 && four[1] == 0 && four[2] != 0 && four[3] == 0 {
			r.br = bufio.NewReaderSize(&utf16Reader{r: r.br}, 64<<10)
		}
	}
	return nil
}

// readLine returns the next physical line without its line ending. The
// slice is valid until the next call. io.EOF means no more lines.
func (r *Reader) readLine() ([]byte, error) {
	if r.eof {
		return nil, io.EOF
	}
	b, err := r.br.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		r.long = append(r.long[:0], b...)
		for errors.Is(err, bufio.ErrBufferFull) {
			if len(r.long) > MaxLineBytes {
				return nil, r.errorf(r.line+1, "line longer than %d MiB (limits.LDIFValueBytes, see docs/limits.md)", MaxLineBytes>>20)
			}
			b, err = r.br.ReadSlice('\n')
			r.long = append(r.long, b...)
		}
		b = r.long
	}
	if err != nil {
		if !errors.Is(err, io.EOF) {
			var corrupt flate.CorruptInputError
			if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader) || errors.As(err, &corrupt) {
				return nil, r.errorf(r.line+1, "corrupt or truncated gzip data: %v", err)
			}
			return nil, fmt.Errorf("%s: read: %w", r.name, err)
		}
		r.eof = true
		if len(b) == 0 {
			return nil, io.EOF
		}
	}
	r.line++
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
	}
	if n := len(b); n > 0 && b[n-1] == '\r' {
		b = b[:n-1]
	}
	if bytes.IndexByte(b, '\r') >= 0 {
		// LDIF text never holds a bare CR; base64 carries one in a value.
		return nil, r.errorf(r.line, "carriage return inside a line (a file with old Mac line endings, or a value that should be base64)")
	}
	return b, nil
}

// readEntry collects the logical lines of the next entry into r.buf and
// r.spans. It returns io.EOF when there are no more entries.
func (r *Reader) readEntry() error {
	r.buf = r.buf[:0]
	r.spans = r.spans[:0]
	inComment := false
	for {
		b, err := r.readLine()
		if errors.Is(err, io.EOF) {
			if len(r.spans) == 0 {
				return io.EOF
			}
			return nil
		}
		if err != nil {
			return err
		}
		switch {
		case len(b) == 0:
			if len(r.spans) > 0 {
				return nil
			}
			inComment = false
			continue
		case b[0] == ' ':
			if inComment {
				continue
			}
			if len(r.spans) == 0 {
				return r.errorf(r.line, "continuation line (starting with a space) with no line to continue")
			}
			if last := &r.spans[len(r.spans)-1]; last.end-last.start+len(b) > MaxLineBytes {
				return r.errorf(last.line, "value longer than %d MiB (limits.LDIFValueBytes, see docs/limits.md)", MaxLineBytes>>20)
			}
			if len(r.buf)+len(b) > MaxEntryBytes {
				return r.errorf(r.line, "entry longer than %d MiB (limits.LDIFEntryBytes, see docs/limits.md)", MaxEntryBytes>>20)
			}
			r.buf = append(r.buf, b[1:]...)
			r.spans[len(r.spans)-1].end = len(r.buf)
			continue
		case b[0] == '#':
			inComment = true
			r.comment(b)
			continue
		}
		inComment = false
		if len(r.buf)+len(b) > MaxEntryBytes {
			return r.errorf(r.line, "entry longer than %d MiB (limits.LDIFEntryBytes, see docs/limits.md)", MaxEntryBytes>>20)
		}
		start := len(r.buf)
		r.buf = append(r.buf, b...)
		r.spans = append(r.spans, span{start: start, end: len(r.buf), line: r.line})
	}
}

// Next returns the next entry, or io.EOF at the end of the input. The entry
// and its values are valid until the next call. A malformed entry gives an
// error wrapping snapshot.ErrBadInput that names the file and line.
func (r *Reader) Next() (*Entry, error) {
	if r.first {
		if err := r.sniff(); err != nil {
			return nil, err
		}
	}
	for {
		if err := r.readEntry(); err != nil {
			return nil, err
		}
		first := r.first
		r.first = false
		spans := r.spans
		if first {
			// "version: 1" may stand alone or head the first entry.
			if equalFold(r.name0(spans[0]), "version") {
				_, val, _, err := r.split(spans[0])
				if err != nil {
					return nil, err
				}
				if string(val) != "1" {
					return nil, r.errorf(spans[0].line, "unsupported LDIF version %q (want 1)", val)
				}
				spans = spans[1:]
				if len(spans) == 0 {
					continue
				}
			}
		}
		name := r.name0(spans[0])
		switch {
		case equalFold(name, "search"):
			// ldapsearch's result record: "search: 2", "result: 0 Success".
			if err := r.searchResult(spans[1:]); err != nil {
				return nil, err
			}
			continue
		case equalFold(name, "ref"):
			// ldapsearch's search reference (a referral it did not follow).
			r.refs++
			continue
		}
		r.entries++
		return r.parse(spans)
	}
}

// name0 returns the attribute name of a logical line without decoding its
// value (split decodes base64 in place, so it runs once per line).
func (r *Reader) name0(s span) []byte {
	l := r.buf[s.start:s.end]
	if i := bytes.IndexByte(l, ':'); i >= 0 {
		return l[:i]
	}
	return l
}

// comment notes what ldapsearch writes in comments about the search
// itself: "# extended LDIF" on the first line (ldapsearch without -L), and
// after each search "# numResponses: N" and, when N > 1, "# numEntries: M".
func (r *Reader) comment(b []byte) {
	const numEntries, numResponses, requesting = "# numEntries:", "# numResponses:", "# requesting:"
	switch {
	case r.entries == 0 && !r.requested && bytes.HasPrefix(b, []byte(requesting)):
		r.requested = true
		names := strings.Fields(string(b[len(requesting):]))
		for _, n := range names {
			// "ALL" when no list was given, "*" all user attributes;
			// "+" (operational) and "1.1" (none) add nothing.
			if n == "ALL" || n == "*" {
				r.requesting = nil
				return
			}
			if n != "+" && n != "1.1" && len(r.requesting) < maxNames {
				r.requesting = append(r.requesting, n)
			}
		}
		if r.requesting == nil {
			r.requesting = []string{} // "1.1" alone: no attribute
		}
	case r.line == 1 && string(bytes.TrimRight(b, " ")) == "# extended LDIF":
		r.extended = true
	case bytes.HasPrefix(b, []byte(numResponses)):
		r.trailers++
		r.pending = false
	case bytes.HasPrefix(b, []byte(numEntries)):
		if n, err := strconv.ParseInt(string(bytes.TrimSpace(b[len(numEntries):])), 10, 64); err == nil && n >= 0 && r.numEntries <= 1<<62-n {
			r.numEntries += n
		}
	}
}

// searchResult records the outcome ldapsearch wrote at the end of a search
// (or of a page, with paged results). The record may hold more than
// "result:": "matchedDN:", "text:", "control:", "pagedresults:", and, when
// ldapsearch prompted between pages, its "Press [size] Enter…" and
// "Estimate entries: N" lines, which are not LDIF: only the result line is
// parsed.
func (r *Reader) searchResult(spans []span) error {
	r.pending = true
	for _, s := range spans {
		if !equalFold(r.name0(s), "result") {
			continue
		}
		_, val, _, err := r.split(s)
		if err != nil {
			return err
		}
		code, text, _ := strings.Cut(string(val), " ")
		n, err := strconv.Atoi(code)
		if err != nil {
			return r.errorf(s.line, "result: %s: want a result code", quote(val))
		}
		r.results++
		if n != 0 && r.failed == "" {
			r.failed = strings.TrimSpace(code + " " + text)
		}
	}
	return nil
}

// Trailer describes what ldapsearch wrote about the search itself.
type Trailer struct {
	// Results counts "result:" records (one per search, or per page with
	// paged results).
	Results int
	// Failed is the first non-zero result, for example "4 Size limit
	// exceeded": the export then holds only part of the directory.
	Failed string
	// Referrals counts "ref:" records: referrals ldapsearch did not follow.
	Referrals int
	// Extended reports an export that begins "# extended LDIF", as
	// ldapsearch without -L writes it: such an export ends with a search
	// result and "# numResponses" (and "# numEntries") comments, so one
	// that does not was cut off. Exports without the header (ldifde,
	// ldapsearch -L…) make no such promise.
	Extended bool
	// Closed reports that the last search result was followed by its
	// "# numResponses" trailer.
	Closed bool
	// NumEntries is the sum of the "# numEntries" trailers; Entries counts
	// the entries read.
	NumEntries, Entries int64
	// Requested is the attribute list of ldapsearch's "# requesting:"
	// line, nil when it said ALL or there was none (empty when it asked
	// for no attribute).
	Requested []string
}

// Trailer returns what the input said about its own completeness so far;
// call it after Next returned io.EOF.
func (r *Reader) Trailer() Trailer {
	return Trailer{Results: r.results, Failed: r.failed, Referrals: r.refs,
		Extended: r.extended, Closed: r.results > 0 && r.trailers > 0 && !r.pending,
		NumEntries: r.numEntries, Entries: r.entries, Requested: r.requesting}
}

// split parses one logical line "name: value", "name:: base64" or
// "name:< url". It returns the name, the decoded value (inside r.buf) and
// whether it was base64.
func (r *Reader) split(s span) (name, val []byte, b64 bool, err error) {
	l := r.buf[s.start:s.end]
	colon := bytes.IndexByte(l, ':')
	if colon < 0 {
		return nil, nil, false, r.errorf(s.line, "attribute line without a colon: %s", quote(l))
	}
	name = l[:colon]
	if len(name) == 0 {
		return nil, nil, false, r.errorf(s.line, "line starts with a colon: no attribute name")
	}
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == ';' || c == '.' || c == '=' || c == '_') {
			return nil, nil, false, r.errorf(s.line, "bad character %q in attribute name %s", c, quote(name))
		}
	}
	off := colon + 1
	kind := byte(0)
	if off < len(l) && (l[off] == ':' || l[off] == '<') {
		kind = l[off]
		off++
	}
	for off < len(l) && l[off] == ' ' {
		off++
	}
	rest := l[off:]
	switch kind {
	case '<':
		return nil, nil, false, r.errorf(s.line, "%s:< %s: values read from a URL are not supported; export the value inline", text(name), text(rest))
	case ':':
		// Trailing spaces are not part of base64 text.
		for len(rest) > 0 && rest[len(rest)-1] == ' ' {
			rest = rest[:len(rest)-1]
		}
		n := base64.StdEncoding.DecodedLen(len(rest))
		if cap(r.dec) < n {
			r.dec = make([]byte, n)
		}
		m, derr := base64.StdEncoding.Decode(r.dec[:n], rest)
		if derr != nil {
			return nil, nil, false, r.errorf(s.line, "bad base64 in %q: %v", string(name)+"::", derr)
		}
		// The decoded value is never longer than the text: put it back in
		// place so that it lives in r.buf like every other value.
		start := s.start + off
		copy(r.buf[start:], r.dec[:m])
		return name, r.buf[start : start+m : start+m], true, nil
	}
	if !utf8.Valid(rest) {
		return nil, nil, false, r.errorf(s.line, "value of %s is not valid UTF-8 (is the file in a legacy code page? export with ldifde -u or convert it to UTF-8)", name)
	}
	return name, rest[:len(rest):len(rest)], false, nil
}

func (r *Reader) intern(b []byte) string {
	if s, ok := r.names[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(r.names) < maxNames {
		r.names[s] = s
	}
	return s
}

func (r *Reader) parse(spans []span) (*Entry, error) {
	e := &r.entry
	e.Attrs = e.Attrs[:0]
	name, val, b64, err := r.split(spans[0])
	if err != nil {
		return nil, err
	}
	if !equalFold(name, "dn") {
		return nil, r.errorf(spans[0].line, "entry does not start with dn: (found %s)", quote(name))
	}
	if b64 && !utf8.Valid(val) {
		return nil, r.errorf(spans[0].line, "dn:: decodes to text that is not UTF-8")
	}
	e.DN = string(val)
	e.Line = spans[0].line
	for i, s := range spans[1:] {
		name, val, _, err := r.split(s)
		if err != nil {
			return nil, err
		}
		if i == 0 && equalFold(name, "changetype") {
			if string(val) != "add" {
				return nil, r.errorf(s.line, "changetype: %s: this is a change file, not an export (only changetype: add is accepted)", text(val))
			}
			continue
		}
		if equalFold(name, "dn") {
			return nil, r.errorf(s.line, "second dn: line in one entry (missing blank line between entries?)")
		}
		if equalFold(name, "control") || equalFold(name, "changetype") {
			return nil, r.errorf(s.line, "%s: line out of place in a content record", name)
		}
		// Exports repeat the same attributes in the same order: try the
		// name at this position in the previous entry before the table.
		var n string
		if k := len(e.Attrs); k < len(r.prev) && r.prev[k] == string(name) {
			n = r.prev[k]
		} else {
			n = r.intern(name)
			if k < len(r.prev) {
				r.prev[k] = n
			} else if k < maxNames {
				r.prev = append(r.prev, n)
			}
		}
		e.Attrs = append(e.Attrs, Attr{Name: n, Value: val})
	}
	return e, nil
}

func equalFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range b {
		c := b[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}

// quote quotes input in an error message, clipped and neutralised.
func quote(b []byte) string {
	return clip.Bytes(b)
}

// text is quote without the quotes.
func text(b []byte) string {
	if len(b) > 4*clip.Limit {
		return clip.Text(string(b[:4*clip.Limit])) + "..."
	}
	return clip.Text(string(b))
}
