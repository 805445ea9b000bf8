package report

import (
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
func WriteJSON(rep *model.Report, w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(rep); err != nil {
		return fmt.Errorf("report: encode: %w", err)
	}
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
	var head struct {
		SchemaVersion string `json:"schema_version"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return nil, &snapshot.InputError{File: name, Msg: "not a preflight report: " + err.Error()}
	}
	if head.SchemaVersion != model.SchemaVersion {
		return nil, &snapshot.InputError{File: name, Msg: fmt.Sprintf("report schema version %q is not supported by this preflight (it reads version %q)", head.SchemaVersion, model.SchemaVersion)}
	}
	if err := Validate(b); err != nil {
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
