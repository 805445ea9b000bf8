package cli

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/preflight-scan/preflight/report/model"
)

// TestExchangeOnlineQuotas scans a Get-EXOMailbox export with the
// Get-EXOMailboxStatistics exports of the mailboxes and their archives:
// MBX-008 flags the 31 GB Recoverable Items without hold, not the 45 GB on
// litigation hold nor the 29 GB; MBX-009 flags the 101 GB archive without
// auto-expanding archiving, not the 300 GB auto-expanding one; MBX-010
// flags the 51 GB shared mailbox and the shared one with an archive, not
// the 49 GB one.
func TestExchangeOnlineQuotas(t *testing.T) {
	out := t.TempDir()
	dir := "testdata/exo/"
	code, _, stderr := runCLI(t, nil, "scan", "--quiet", "--offline", "--out", out, "--format", "json",
		"--mailboxes", dir+"mailboxes.csv", "--mailbox-stats", dir+"mailbox-stats.csv", "--archive-stats", dir+"archive-stats.csv")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rep := readReport(t, filepath.Join(out, "report.json"))
	flagged := map[string][]string{}
	for _, f := range rep.Findings {
		if strings.HasPrefix(f.RuleID, "MBX-0") && f.RuleID >= "MBX-008" {
			flagged[f.RuleID] = append(flagged[f.RuleID], f.Object.Name)
		}
	}
	for _, names := range flagged {
		sort.Strings(names)
	}
	want := map[string][]string{
		"MBX-008": {"Alice Adams"},
		"MBX-009": {"Legal"},
		"MBX-010": {"Info Desk", "Legal"},
	}
	for id, w := range want {
		if strings.Join(flagged[id], ",") != strings.Join(w, ",") {
			t.Errorf("%s flagged %v, want %v", id, flagged[id], w)
		}
	}
	for _, c := range rep.Checks {
		switch c.RuleID {
		case "MBX-008":
			if c.Status != model.StatusFail || c.Evaluated != 7 {
				t.Errorf("MBX-008 %s, %d judged; want fail over 7 mailboxes", c.Status, c.Evaluated)
			}
		case "MBX-009":
			if c.Evaluated != 2 {
				t.Errorf("MBX-009 judged %d archives, want 2", c.Evaluated)
			}
		case "MBX-010":
			if c.Evaluated != 3 {
				t.Errorf("MBX-010 judged %d shared mailboxes, want 3", c.Evaluated)
			}
		}
	}
	if rep.Summary.Verdict != model.VerdictAtRisk {
		t.Errorf("verdict %s, want at-risk (MBX-008 is high)", rep.Summary.Verdict)
	}
	for _, f := range rep.Findings {
		if f.RuleID == "MBX-008" && !strings.Contains(f.Message, "31.00 GB") {
			t.Errorf("MBX-008 message %q lacks the size", f.Message)
		}
	}
}
