package report_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/preflight-scan/preflight/report"
	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/report/reporttest"
)

// The streamed writer gives the bytes of encoding the whole report at once,
// so that report.json files written before and after streaming compare equal.
func TestWriteJSONStreamsTheWholeDocumentsBytes(t *testing.T) {
	noFindings := reporttest.Report()
	noFindings.Findings = []model.Finding{}
	nilFindings := reporttest.Report()
	nilFindings.Findings = nil
	resolvedOnly := reporttest.WithBaseline()
	resolvedOnly.Findings = []model.Finding{}
	for name, rep := range map[string]*model.Report{
		"findings":      reporttest.Report(),
		"baseline":      reporttest.WithBaseline(),
		"hostile":       reporttest.HostileReport(),
		"no findings":   noFindings,
		"nil findings":  nilFindings,
		"resolved only": resolvedOnly,
	} {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(rep); err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := report.WriteJSON(rep, &got); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("%s: streamed report differs from the whole document:\n%s\nwant\n%s", name, got.Bytes(), want.Bytes())
		}
	}
}
