// Package reporttest builds realistic reports for renderer tests: several
// failing rules across areas, names in Cyrillic, Greek, accented Latin
// and Chinese, a display name that looks like a spreadsheet formula, a
// failed source, an estimate and a history.
package reporttest

import (
	"fmt"
	"time"

	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/snapshot"
)

// Names used in the fixture, for tests to look for.
const (
	CyrillicName = "Анна Петрова"
	GreekName    = "Γιώργος Παπαδόπουλος"
	AccentedName = "José Müller-Åström"
	CJKName      = "王小明"
	FormulaName  = "=HYPERLINK(\"http://example.com\",\"click\")"
)

// Time is the fixture's scan time.
var Time = time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)

func finding(rule string, sev model.Severity, cat, kind, id, name, key, msg string) model.Finding {
	return model.Finding{
		Fingerprint: model.Fingerprint(rule, kind, id, key),
		RuleID:      rule, Severity: sev, Category: cat,
		Object:      model.Object{Kind: kind, ID: id, Name: name},
		Message:     msg,
		Evidence:    map[string]any{"attribute": "mail", "value": id, "threshold": 1, "source": "[002 §3.4.1]"},
		Remediation: "Fix it.",
	}
}

// Report returns a fresh fixture report.
func Report() *model.Report {
	rep := &model.Report{
		SchemaVersion: model.SchemaVersion,
		Tool:          model.Tool{Name: "preflight", Version: "1.2.3"},
		Scan: model.Scan{
			ID: "3f2a9c1e5b7d4a60a1b2c3d4e5f60718", StartedAt: Time, FinishedAt: Time.Add(42 * time.Second),
			Profile: "exchange-online", Phase: "pre-cutover", CutoverDate: "2026-12-12",
			Organisation: "Contoso Ökonomie GmbH", ParamsOverridden: map[string]map[string]any{}, FingerprintVersion: model.FingerprintVersion,
		},
		Sources: []snapshot.Source{
			{Name: "dns", Kind: "dns", Areas: []snapshot.Area{"dns"}, Status: "error", Error: "resolver 127.0.0.1:53: timeout after 5s for contoso.example MX", Objects: 3, DurationMS: 5000},
			{Name: "testdata/contoso.ldif", Kind: "ldif", Areas: []snapshot.Area{"directory", "clients"}, Status: "ok", Objects: 1204, DurationMS: 120, Notes: []string{"2 referrals seen and not followed"}},
			{Name: "mailbox-stats.csv", Kind: "csv", Areas: []snapshot.Area{"mailbox"}, Status: "ok", Objects: 310, SkippedRows: 2, DurationMS: 30},
		},
		Summary: model.Summary{
			Verdict: model.VerdictIncomplete,
			VerdictReasons: []string{
				"source dns (dns) failed: resolver 127.0.0.1:53: timeout after 5s for contoso.example MX",
				"1 check(s) could not be evaluated: DNS-001",
				"not assessed (no source given): blacklist, network",
			},
			Score: 41, ScoreFormula: "see engine",
			Coverage: model.Coverage{Assessed: []string{"directory", "clients", "mailbox"}, NotAssessed: []string{"blacklist", "network"}, Failed: []string{"dns"}},
			Inventory: snapshot.Inventory{Users: 1100, EnabledUsers: 1050, DisabledUsers: 50, Contacts: 40, Groups: 60, Computers: 4, MailEnabled: 1150,
				Mailboxes: 310, Folders: 9000, TotalMailboxBytes: 1234 << 30, Domains: []string{"contoso.example", "contoso-ru.example"}},
			Estimate: &model.Estimate{Mailboxes: 310, DataBytes: 1234 << 30, Licences: 310, BandwidthMbps: 100, Concurrency: 300, ThroughputMBh: 43800, Hours: 28.9,
				Basis: "3 concurrent migrations per 1 Mbit/s [003 PW4.14]; 146 MB per hour per mailbox at the destination [003 Migration Phase 1.4]"},
		},
		Checks: []model.Check{
			{RuleID: "DIR-005", Title: "Duplicate address", Category: "directory", Severity: "critical", Status: "fail", Findings: 2,
				Description: "The same SMTP address is held by two or more objects. Directory synchronisation refuses the second object, so one of them will not exist in Microsoft 365.",
				Remediation: "Give each address to exactly one object: remove it from the others' proxyAddresses, mail or targetAddress.", SourceReference: "ext: Microsoft Entra Connect duplicate attribute resiliency"},
			{RuleID: "DIR-001", Title: "Unsupported characters", Category: "directory", Severity: "high", Status: "fail", Findings: 14,
				Description: "Alias-type values contain characters the service does not accept; they will be changed to underscores.",
				Remediation: "Rename the values before synchronisation.", Threshold: map[string]any{"characters": " ()@'|=?/%~"}, SourceReference: "[002 §3.4.1.1]"},
			{RuleID: "MBX-002", Title: "Mailbox larger than the quota", Category: "mailbox", Severity: "high", Status: "fail", Findings: 1,
				Description: "The mailbox is larger than the planned quota; migration stops when the target mailbox is full.", Remediation: "Raise the quota or archive mail before the move.",
				Threshold: map[string]any{"quota_gb": 50}, SourceReference: "ext: Exchange Online limits"},
			{RuleID: "DIR-004", Title: "Address-book attributes missing", Category: "directory", Severity: "info", Status: "fail", Findings: 1,
				Description: "Recommended address-book attributes are empty.", Remediation: "Fill them in.", SourceReference: "[002 §3.4.1]"},
			{RuleID: "DNS-001", Title: "MX record", Category: "dns", Severity: "high", Status: "error", Error: "lookup contoso.example MX: timeout",
				Description: "Where mail for the domain goes.", Remediation: "Check the resolver.", SourceReference: "[002 §3.5.8.3]"},
			{RuleID: "DIR-003", Title: "Required attribute missing", Category: "directory", Severity: "medium", Status: "pass"},
			{RuleID: "NET-001", Title: "Ports", Category: "network", Severity: "medium", Status: "skipped"},
		},
		History: []model.HistoryPoint{
			{ScanID: "a1", StartedAt: Time.Add(-72 * time.Hour), Verdict: "blocked", Score: 20, Findings: 40},
			{ScanID: "a2", StartedAt: Time.Add(-48 * time.Hour), Verdict: "blocked", Score: 31, Findings: 30},
			{ScanID: "a3", StartedAt: Time.Add(-24 * time.Hour), Verdict: "at-risk", Score: 55, Findings: 22},
		},
	}
	fs := []model.Finding{
		finding("DIR-005", "critical", "directory", "user", "CN=Анна Петрова,OU=Moscow,DC=contoso,DC=example", CyrillicName, "anna@contoso.example", "anna@contoso.example is also held by CN=Anna Petrova (contact)"),
		finding("DIR-005", "critical", "directory", "user", "CN=王小明,OU=Beijing,DC=contoso,DC=example", CJKName, "wang@contoso.example", "wang@contoso.example is also held by CN=Wang Xiaoming,OU=Shared"),
		finding("MBX-002", "high", "mailbox", "mailbox", "jose@contoso.example", AccentedName, "", "mailbox is 61.2 GB, over the 50 GB quota"),
		finding("DIR-004", "info", "directory", "directory", "DC=contoso,DC=example", "", "department", "department is empty for 612 of 1150 mail-enabled objects (53%)"),
	}
	for i := 0; i < 14; i++ {
		name := fmt.Sprintf("Γιώργος Παπαδόπουλος %d", i)
		if i == 0 {
			name = GreekName
		}
		if i == 1 {
			name = FormulaName
		}
		fs = append(fs, finding("DIR-001", "high", "directory", "user", fmt.Sprintf("CN=User %02d (Sales),OU=Athens,DC=contoso,DC=example", i), name, "mailNickname",
			fmt.Sprintf("mailNickname \"user %02d (sales)\" contains space and parentheses; the service will make it \"user_%02d__sales_\"", i, i)))
	}
	model.SortFindings(fs)
	rep.Findings = fs
	rep.Summary.Counts = model.Counts{BySeverity: map[model.Severity]int{"critical": 2, "high": 15, "medium": 0, "low": 0, "info": 1}, ByCategory: map[string]int{"directory": 17, "mailbox": 1}, Total: 18}
	return rep
}

// WithBaseline returns the fixture as compared with an earlier run: some
// findings new, the rest existing, two resolved, and a suppression of
// each state.
func WithBaseline() *model.Report {
	rep := Report()
	for i := range rep.Findings {
		rep.Findings[i].Status = "existing"
		if rep.Findings[i].RuleID == "MBX-002" || i%5 == 0 {
			rep.Findings[i].Status = "new"
		}
	}
	rep.Baseline = &model.BaselineRef{ScanID: "a3", StartedAt: Time.Add(-24 * time.Hour), Path: "history/report-20261119T020000Z-a3.json"}
	rep.Resolved = []model.Finding{
		finding("DIR-009", "high", "directory", "user", "CN=Ελένη Νικολάου,OU=Athens,DC=contoso,DC=example", "Ελένη Νικολάου", "", "SIP address sip:eleni@contoso.example differs from the primary SMTP address e.nikolaou@contoso.example"),
		finding("DIR-005", "critical", "directory", "contact", "CN=Old Contact,OU=Contacts,DC=contoso,DC=example", "Old Contact", "sales@contoso.example", "sales@contoso.example is also held by CN=Sales,OU=Groups"),
	}
	rep.Findings[len(rep.Findings)-1].Suppressed = &model.Suppression{Reason: "shared mailbox retired in January", Expires: "2027-01-31"}
	rep.Suppressions = []model.SuppressionStatus{
		{RuleID: "DIR-004", Object: "DC=contoso,DC=example", Reason: "address book is not used", Expires: "2027-01-31", State: "active", Matched: 1},
		{RuleID: "DIR-001", Object: "CN=User 99 (Sales),OU=Athens,DC=contoso,DC=example", Reason: "renamed by the HR process", Expires: "2026-10-31", State: "expired", Matched: 0},
		{RuleID: "MBX-002", Object: "ceo@contoso.example", Reason: "large mailbox accepted", State: "unused", Matched: 0},
	}
	return rep
}

// Hostile names: each would run script, open a dialog, load a resource
// or disguise itself if a renderer treated it as markup. A renderer that
// keeps them text leaves window.__pwned unset and opens no dialog.
var Hostile = []string{
	`<img src=x onerror="window.__pwned=1;alert(1)">`,
	`</script><script>window.__pwned=2;alert(2)</script>`,
	`"onmouseover="window.__pwned=3" x="`,
	`javascript:window.__pwned=4;alert(4)`,
	"invoice\u202Egpj.exe",
	`<!--<script>window.__pwned=5</script>-->`,
	"line\u2028separator\u2029paragraph",
	`<svg onload="window.__pwned=6"><a href="javascript:alert(6)">x</a></svg>`,
	`{{.Title}} ${alert(7)} '-alert(7)-'`,
	`=HYPERLINK("http://127.0.0.1/","x")`,
}

// HostileReport returns the fixture with every name, identity, message,
// evidence value, source and organisation replaced by hostile strings.
func HostileReport() *model.Report {
	rep := WithBaseline()
	h := func(i int) string { return Hostile[i%len(Hostile)] }
	rep.Scan.Organisation = h(0) + " " + h(4)
	for i := range rep.Findings {
		f := &rep.Findings[i]
		f.Object.Name = h(i)
		f.Object.ID = "CN=" + h(i+1) + ",DC=contoso,DC=example"
		f.Message = "message " + h(i+2)
		f.Evidence = map[string]any{"value": h(i + 3), h(i+4) + "key": h(i + 5)}
		f.Remediation = "fix " + h(i+6)
	}
	for i := range rep.Resolved {
		rep.Resolved[i].Object.Name = h(i + 7)
		rep.Resolved[i].Message = h(i + 8)
	}
	rep.Sources[0].Error = h(1)
	rep.Sources[1].Name = h(3)
	rep.Sources[1].Notes = []string{h(7)}
	rep.Summary.VerdictReasons = append(rep.Summary.VerdictReasons, h(2))
	rep.Summary.Inventory.Domains = []string{h(0), h(5)}
	for i := range rep.Suppressions {
		rep.Suppressions[i].Object = h(i)
		rep.Suppressions[i].Reason = h(i + 1)
	}
	return rep
}

// WithUPNSuffixes adds DIR-010 to rep as the rule reports it: one finding
// per user whose UPN suffix must change, grouped by suffix; local users
// under corp.local (high) and public ones under example.org (medium).
func WithUPNSuffixes(rep *model.Report, local, public int) *model.Report {
	add := func(n int, suffix string, sev model.Severity) {
		for i := 0; i < n; i++ {
			dn := fmt.Sprintf("CN=User %03d %s,OU=Staff,DC=corp,DC=local", i, suffix)
			upn := fmt.Sprintf("user%03d@%s", i, suffix)
			f := finding("DIR-010", sev, "directory", "user", dn, fmt.Sprintf("user%03d", i), "upn-suffix:"+suffix,
				fmt.Sprintf("UPN '%s' of user 'user%03d' must change: its suffix '%s' cannot be used as is", upn, i, suffix))
			f.Group = suffix
			rep.Findings = append(rep.Findings, f)
		}
	}
	add(local, "corp.local", model.SeverityHigh)
	add(public, "example.org", model.SeverityMedium)
	rep.Checks = append(rep.Checks, model.Check{
		RuleID: "DIR-010", Title: "Non-routable UPN suffix", Category: "directory", Severity: model.SeverityHigh,
		Status: model.StatusFail, Findings: local + public, Evaluated: 1204,
		Description: "Checks the UPN suffixes.", Remediation: "Change the users' UPN suffix.", SourceReference: "ext",
	})
	rep.Summary.Counts.BySeverity[model.SeverityHigh] += local
	rep.Summary.Counts.BySeverity[model.SeverityMedium] += public
	rep.Summary.Counts.ByCategory["directory"] += local + public
	rep.Summary.Counts.Total += local + public
	model.SortFindings(rep.Findings)
	return rep
}
