// Package export writes a report's findings for spreadsheets and pipelines:
// findings.csv (one row per finding, for Excel) and findings.jsonl (one
// self-contained JSON object per line, for log shippers and ticketing).
package export

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"

	"github.com/preflight-scan/preflight/report/content"
	"github.com/preflight-scan/preflight/report/model"
)

// CSVColumns are the columns of findings.csv, in order. They are stable:
// new columns are only ever appended.
var CSVColumns = []string{
	"fingerprint", "rule_id", "severity", "category",
	"object_kind", "object_id", "object_name",
	"message", "remediation", "status", "suppressed", "evidence",
	"group",
}

// WriteCSV writes one row per finding (suppressed ones included, marked in
// the suppressed column) as UTF-8 with a byte order mark and CRLF line
// ends, so that Excel opens it with the right encoding. Cells that a
// spreadsheet would read as a formula are prefixed with a quote.
func WriteCSV(rep *model.Report, w io.Writer) error {
	bw := bufio.NewWriter(w)
	if _, err := bw.WriteString("\uFEFF"); err != nil {
		return fmt.Errorf("csv: %w", err)
	}
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	if err := cw.Write(CSVColumns); err != nil {
		return fmt.Errorf("csv: %w", err)
	}
	for i := range rep.Findings {
		f := &rep.Findings[i]
		ev, err := compactJSON(f.Evidence)
		if err != nil {
			return fmt.Errorf("csv: finding %s: %w", f.Fingerprint, err)
		}
		supp := content.SuppressionText(f.Suppressed)
		row := []string{
			f.Fingerprint, f.RuleID, string(f.Severity), f.Category,
			f.Object.Kind, f.Object.ID, f.Object.Name,
			f.Message, f.Remediation, f.Status, supp, ev,
			f.Group,
		}
		for j := range row {
			row[j] = SafeCell(row[j])
		}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("csv: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("csv: %w", err)
	}
	return nil
}

// SafeCell defuses spreadsheet formula injection: a cell that starts with
// =, +, -, @, a tab or a carriage return is prefixed with a single quote,
// so that a display name such as "=HYPERLINK(...)" taken from the directory
// is shown as text and never evaluated.
func SafeCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

func compactJSON(v map[string]any) (string, error) {
	if len(v) == 0 {
		return "{}", nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return string(bytes.TrimRight(buf.Bytes(), "\n")), nil
}

// Line is one line of findings.jsonl: a finding with enough context to be
// handled on its own (which scan, which rule, what verdict the scan had).
type Line struct {
	ScanID      string        `json:"scan_id"`
	ScanStarted string        `json:"scan_started_at"`
	Profile     string        `json:"profile"`
	Verdict     model.Verdict `json:"verdict"`
	RuleTitle   string        `json:"rule_title"`
	model.Finding
}

// WriteJSONL writes one finding per line. Each line is a self-contained
// JSON object: the finding's fields plus scan_id, scan_started_at,
// profile, the scan's verdict and the rule's title.
func WriteJSONL(rep *model.Report, w io.Writer) error {
	titles := map[string]string{}
	for _, c := range rep.Checks {
		titles[c.RuleID] = c.Title
	}
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	started := rep.Scan.StartedAt.UTC().Format("2006-01-02T15:04:05Z07:00")
	for _, f := range rep.Findings {
		l := Line{
			ScanID:      rep.Scan.ID,
			ScanStarted: started,
			Profile:     rep.Scan.Profile,
			Verdict:     rep.Summary.Verdict,
			RuleTitle:   titles[f.RuleID],
			Finding:     f,
		}
		if err := enc.Encode(&l); err != nil {
			return fmt.Errorf("jsonl: finding %s: %w", f.Fingerprint, err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("jsonl: %w", err)
	}
	return nil
}
