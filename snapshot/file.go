package snapshot

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/preflight-scan/preflight/internal/limits"
)

// FileVersion is the version of the snapshot file format.
const FileVersion = 1

// Header is the first line of a snapshot file.
type Header struct {
	SnapshotVersion int       `json:"snapshot_version"`
	Tool            string    `json:"tool"`
	ToolVersion     string    `json:"tool_version"`
	CreatedAt       time.Time `json:"created_at"`
}

// Writer writes a snapshot file: gzip-compressed JSON lines, a header and
// then one record per line. It never holds more than one record.
type Writer struct {
	zw  *gzip.Writer
	bw  *bufio.Writer
	enc *json.Encoder
}

// NewWriter starts a snapshot file on w.
func NewWriter(w io.Writer, h Header) (*Writer, error) {
	h.SnapshotVersion = FileVersion
	zw := gzip.NewWriter(w)
	bw := bufio.NewWriterSize(zw, 64<<10)
	sw := &Writer{zw: zw, bw: bw, enc: json.NewEncoder(bw)}
	if err := sw.enc.Encode(h); err != nil {
		return nil, fmt.Errorf("snapshot: write header: %w", err)
	}
	return sw, nil
}

// Put writes one record.
func (w *Writer) Put(r *Record) error {
	if err := w.enc.Encode(r); err != nil {
		return fmt.Errorf("snapshot: write record: %w", err)
	}
	return nil
}

// Close flushes the file. It does not close the underlying writer.
func (w *Writer) Close() error {
	if err := w.bw.Flush(); err != nil {
		return fmt.Errorf("snapshot: flush: %w", err)
	}
	if err := w.zw.Close(); err != nil {
		return fmt.Errorf("snapshot: close: %w", err)
	}
	return nil
}

// Read streams the records of a snapshot file into sink. name is used in
// error messages. A line (a record) longer than limits.SnapshotLineBytes
// is bad input, refused before it is held whole. Read stops with ctx's
// error when ctx is done.
func Read(ctx context.Context, r io.Reader, name string, sink Sink) (Header, error) {
	return read(ctx, r, name, sink, limits.SnapshotLineBytes, limits.SnapshotValues)
}

// keepBuf is the largest line buffer read keeps from one line to the
// next.
const keepBuf = 4 << 20

func read(ctx context.Context, r io.Reader, name string, sink Sink, maxLine, maxValues int) (Header, error) {
	var h Header
	zr, err := gzip.NewReader(r)
	if err != nil {
		return h, &InputError{File: name, Msg: "not a preflight snapshot (not gzip): " + err.Error()}
	}
	// Reading verifies the checksum at EOF; Close of a gzip reader adds
	// nothing to report.
	defer func() { _ = zr.Close() }()
	br := bufio.NewReaderSize(zr, 64<<10)
	line := 0
	var buf []byte
	next := func() ([]byte, error) {
		b, err := limits.ReadLine(br, buf, maxLine, "snapshot record", "SnapshotLineBytes")
		if err != nil {
			return nil, err
		}
		// Keep a modest buffer for the next long line; let a huge one
		// go (it is sized to its line, which is over when this one is
		// decoded).
		if cap(b) > cap(buf) && cap(b) <= keepBuf && cap(b) > br.Size() {
			buf = b[:0]
		}
		line++
		return b, nil
	}
	b, err := next()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return h, &InputError{File: name, Msg: "empty snapshot"}
		}
		return h, &InputError{File: name, Line: 1, Msg: readProblem(err)}
	}
	if err := json.Unmarshal(b, &h); err != nil || h.SnapshotVersion == 0 {
		return h, &InputError{File: name, Line: 1, Msg: "not a preflight snapshot header"}
	}
	if h.SnapshotVersion > FileVersion {
		return h, &InputError{File: name, Line: 1, Msg: fmt.Sprintf("snapshot version %d is newer than this preflight reads (%d)", h.SnapshotVersion, FileVersion)}
	}
	sources := 0
	for {
		if err := ctx.Err(); err != nil {
			return h, err
		}
		b, err := next()
		if err != nil {
			if errors.Is(err, io.EOF) {
				if sources == 0 {
					return h, &InputError{File: name, Line: line, Msg: "the snapshot holds no source record, so nothing says what was collected (cut off, or not written by preflight scan --save-snapshot): refusing to evaluate it"}
				}
				return h, nil
			}
			return h, &InputError{File: name, Line: line + 1, Msg: readProblem(err)}
		}
		if n := values(b); n > maxValues {
			return h, &InputError{File: name, Line: line, Msg: (&limits.Error{What: "values in one snapshot record", Limit: int64(maxValues), Name: "SnapshotValues", Count: true}).Error()}
		}
		var rec Record
		if err := json.Unmarshal(b, &rec); err != nil {
			return h, &InputError{File: name, Line: line, Msg: "bad record: " + err.Error()}
		}
		if rec.Source != nil {
			if msg := CheckSource(rec.Source); msg != "" {
				return h, &InputError{File: name, Line: line, Msg: "bad source record: " + msg}
			}
			sources++
		}
		if err := sink.Put(&rec); err != nil {
			return h, err
		}
	}
}

// values counts the commas outside strings of a JSON text: one fewer
// than its array elements and object members, the things that cost
// memory beyond their bytes once decoded.
func values(b []byte) int {
	n := 0
	for len(b) > 0 {
		i := bytes.IndexAny(b, `",`)
		if i < 0 {
			break
		}
		if b[i] == ',' {
			n++
			b = b[i+1:]
			continue
		}
		// Skip the string: to the first quote not escaped.
		b = b[i+1:]
		for {
			j := bytes.IndexByte(b, '"')
			if j < 0 {
				return n
			}
			k := j
			for k > 0 && b[k-1] == '\\' {
				k--
			}
			b = b[j+1:]
			if (j-k)%2 == 0 {
				break
			}
		}
	}
	return n
}

// sourceKinds are the kinds a Source may have (the report schema's enum).
var sourceKinds = map[string]bool{"ldap": true, "ldif": true, "csv": true, "dns": true, "tcp": true, "file": true, "imap": true}

// holdsWords are the values of Source.Holds the collectors write.
var holdsWords = map[string]bool{"": true, HoldsMailboxes: true, HoldsFolders: true, HoldsClients: true, HoldsRecipients: true}

// CheckSource returns why a source record read from a file is not one
// this build can report on (an unknown kind, area or status, a negative
// count), or "".
func CheckSource(s *Source) string {
	if !sourceKinds[s.Kind] {
		return fmt.Sprintf("unknown kind %q", s.Kind)
	}
	switch s.Status {
	case StatusOK, StatusError, StatusSkipped:
	default:
		return fmt.Sprintf("unknown status %q", s.Status)
	}
	known := map[Area]bool{}
	for _, a := range Areas() {
		known[a] = true
	}
	for _, a := range s.Areas {
		if !known[a] {
			return fmt.Sprintf("unknown area %q", a)
		}
	}
	if !holdsWords[s.Holds] {
		return fmt.Sprintf("unknown holds %q", s.Holds)
	}
	if s.Objects < 0 || s.SkippedRows < 0 || s.DurationMS < 0 || s.Unclassified < 0 || s.DNOnly < 0 {
		return "negative count"
	}
	return ""
}

// readProblem words a read failure: a limit, or corrupt or truncated
// compressed data.
func readProblem(err error) string {
	if errors.Is(err, limits.ErrTooLarge) {
		return err.Error()
	}
	return "corrupt or truncated snapshot: " + err.Error()
}
