package export

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/report/reporttest"
)

func TestCSVOpensInExcel(t *testing.T) {
	rep := reporttest.Report()
	rep.Findings[0].Suppressed = &model.Suppression{Reason: "accepted by IT", Expires: "2027-01-31"}
	var buf bytes.Buffer
	if err := WriteCSV(rep, &buf); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	if !bytes.HasPrefix(b, []byte("\xEF\xBB\xBF")) {
		t.Fatal("no UTF-8 byte order mark: Excel would guess the encoding")
	}
	body := b[3:]
	if bytes.Count(body, []byte("\r\n")) < len(rep.Findings)+1 {
		t.Error("rows are not CRLF-terminated")
	}
	rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != "fingerprint,rule_id,severity,category,object_kind,object_id,object_name,message,remediation,status,suppressed,evidence,group" {
		t.Errorf("columns changed: %v", rows[0])
	}
	if len(rows) != len(rep.Findings)+1 {
		t.Fatalf("%d rows for %d findings", len(rows)-1, len(rep.Findings))
	}
	names := map[string]bool{}
	for i, r := range rows[1:] {
		f := rep.Findings[i]
		if r[0] != f.Fingerprint || r[1] != f.RuleID {
			t.Errorf("row %d is not finding %d", i+1, i)
		}
		var ev map[string]any
		if err := json.Unmarshal([]byte(r[11]), &ev); err != nil {
			t.Errorf("row %d evidence is not JSON: %v", i+1, err)
		}
		if strings.Contains(r[11], "\n") {
			t.Errorf("row %d evidence is not compact", i+1)
		}
		names[r[6]] = true
		for j, cell := range r {
			if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
				t.Errorf("row %d column %s starts with %q: a spreadsheet would run it as a formula", i+1, rows[0][j], cell[:1])
			}
		}
	}
	for _, n := range []string{reporttest.CyrillicName, reporttest.GreekName, reporttest.CJKName, reporttest.AccentedName, "'" + reporttest.FormulaName} {
		if !names[n] {
			t.Errorf("name %q not found exactly in object_name", n)
		}
	}
	if rows[1][10] != "accepted by IT (until 2027-01-31)" {
		t.Errorf("suppressed column = %q", rows[1][10])
	}
}

func TestSafeCell(t *testing.T) {
	for in, want := range map[string]string{
		"=1+1": "'=1+1", "+49 30 1234": "'+49 30 1234", "-2": "'-2", "@SUM(A1)": "'@SUM(A1)",
		"\tx": "'\tx", "plain": "plain", "": "", "a=b": "a=b",
	} {
		if got := SafeCell(in); got != want {
			t.Errorf("SafeCell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestJSONLSelfContained(t *testing.T) {
	rep := reporttest.Report()
	var buf bytes.Buffer
	if err := WriteJSONL(rep, &buf); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(&buf)
	n := 0
	for sc.Scan() {
		var l map[string]any
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("line %d: %v", n+1, err)
		}
		f := rep.Findings[n]
		if l["scan_id"] != rep.Scan.ID || l["fingerprint"] != f.Fingerprint || l["verdict"] != "incomplete" {
			t.Errorf("line %d lacks scan context: %v", n+1, l)
		}
		if l["rule_title"] == "" || l["rule_title"] == nil {
			t.Errorf("line %d has no rule title", n+1)
		}
		n++
	}
	if n != len(rep.Findings) {
		t.Errorf("%d lines for %d findings", n, len(rep.Findings))
	}
}
