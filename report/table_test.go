package report_test

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/preflight-scan/preflight/report"
	"github.com/preflight-scan/preflight/report/reporttest"
)

// TestTableGroupsFindings: the terminal table shows a grouped rule's
// groups (DIR-010's UPN suffixes) under it, each with its count and worst
// severity, most severe first.
func TestTableGroupsFindings(t *testing.T) {
	rep := reporttest.WithUPNSuffixes(reporttest.Report(), 25, 2)
	var buf bytes.Buffer
	if err := report.WriteTable(rep, &buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	rule := regexp.MustCompile(`DIR-010 +│ high +│ fail +│ 27 `).FindStringIndex(out)
	local := regexp.MustCompile(`│ high +│ +│ 25 +│ +↳ corp\.local`).FindStringIndex(out)
	public := regexp.MustCompile(`│ medium +│ +│ 2 +│ +↳ example\.org`).FindStringIndex(out)
	if rule == nil || local == nil || public == nil || !(rule[0] < local[0] && local[0] < public[0]) {
		t.Fatalf("want the DIR-010 row, then corp.local (25, high), then example.org (2, medium):\n%s", out)
	}
	if strings.Count(out, "corp.local") < 2 {
		t.Errorf("the group row has no example:\n%s", out)
	}
}
