package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"

	"github.com/preflight-scan/preflight/internal/limits"
	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/snapshot"
)

// WriteJSON writes the report as indented JSON. Map keys are sorted and
// slices are in the report's deterministic order, so the same report gives
// the same bytes.
//
// The findings (and resolved findings) are streamed: the rest of the report
// is encoded first with no findings, and each finding is then encoded on its
// own into one reused buffer and written in its place, so that a report
// with hundreds of thousands of findings is never held in memory as text
// (twice, compact and indented, with encoding/json's Indent). The bytes are
// exactly those of encoding the whole report with two-space indentation.
func WriteJSON(rep *model.Report, w io.Writer) error {
	head := *rep
	if head.Findings != nil {
		head.Findings = []model.Finding{}
	}
	head.Resolved = nil
	var hb bytes.Buffer
	enc := json.NewEncoder(&hb)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(&head); err != nil {
		return fmt.Errorf("report: encode: %w", err)
	}
	doc := hb.Bytes()
	const marker = "\n  \"findings\": "
	at := bytes.Index(doc, []byte(marker))
	if at < 0 {
		return errors.New("report: encode: no findings member in the encoded report")
	}
	at += len(marker)
	// doc[at:] starts with the findings' value: "[]" or "null".
	rest := doc[at:]
	bw := bufio.NewWriterSize(w, 256<<10)
	fw := &findingWriter{w: bw}
	fw.enc = json.NewEncoder(&fw.buf)
	fw.enc.SetIndent("    ", "  ")
	fw.enc.SetEscapeHTML(false)
	_, _ = bw.Write(doc[:at])
	if rep.Findings != nil {
		if err := fw.array(rep.Findings); err != nil {
			return err
		}
		rest = rest[len("[]"):]
	} else {
		_, _ = bw.Write(rest[:len("null")])
		rest = rest[len("null"):]
	}
	if len(rep.Resolved) > 0 {
		// resolved follows findings in the report's field order.
		_, _ = bw.WriteString(",\n  \"resolved\": ")
		if err := fw.array(rep.Resolved); err != nil {
			return err
		}
	}
	_, _ = bw.Write(rest)
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("report: write: %w", err)
	}
	return nil
}

// findingWriter writes arrays of findings at the second level of the
// report, one encoded finding at a time.
type findingWriter struct {
	w   *bufio.Writer
	buf bytes.Buffer
	enc *json.Encoder
}

// array writes fs as a non-empty or empty JSON array indented as a member
// of the top-level object.
func (fw *findingWriter) array(fs []model.Finding) error {
	if len(fs) == 0 {
		_, _ = fw.w.WriteString("[]")
		return nil
	}
	_, _ = fw.w.WriteString("[")
	for i := range fs {
		fw.buf.Reset()
		if err := fw.enc.Encode(&fs[i]); err != nil {
			return fmt.Errorf("report: encode: %w", err)
		}
		b := bytes.TrimSuffix(fw.buf.Bytes(), []byte("\n"))
		if i > 0 {
			_, _ = fw.w.WriteString(",")
		}
		_, _ = fw.w.WriteString("\n    ")
		if _, err := fw.w.Write(b); err != nil {
			return fmt.Errorf("report: write: %w", err)
		}
	}
	_, _ = fw.w.WriteString("\n  ]")
	return nil
}

// ReadFile reads and validates a report.json. A report of a newer or
// unknown schema version is refused with a clear message.
func ReadFile(path string) (*model.Report, error) {
	b, err := limits.ReadFile(path, limits.ReportBytes, "report", "ReportBytes")
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, &snapshot.InputError{File: path, Msg: err.Error()}
	}
	return Parse(path, b)
}

// Parse decodes and validates a report; name is used in errors.
func Parse(name string, b []byte) (*model.Report, error) {
	return parse(name, b, nil)
}

// parse is Parse with a compiled validator; a nil v compiles the schema
// when the document gets that far.
func parse(name string, b []byte, v *Validator) (*model.Report, error) {
	var head struct {
		SchemaVersion string `json:"schema_version"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return nil, &snapshot.InputError{File: name, Msg: "not a preflight report: " + err.Error()}
	}
	if head.SchemaVersion != model.SchemaVersion {
		return nil, &snapshot.InputError{File: name, Msg: fmt.Sprintf("report schema version %q is not supported by this preflight (it reads version %q)", head.SchemaVersion, model.SchemaVersion)}
	}
	if v == nil {
		var err error
		if v, err = NewValidator(); err != nil {
			return nil, err
		}
	}
	if err := v.Validate(b); err != nil {
		return nil, &snapshot.InputError{File: name, Msg: err.Error()}
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var rep model.Report
	if err := dec.Decode(&rep); err != nil {
		return nil, &snapshot.InputError{File: name, Msg: "not a preflight report: " + err.Error()}
	}
	return &rep, nil
}
