package html

// The page's model: what the template shows, worked out from the report.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"github.com/preflight-scan/preflight/report"
	"github.com/preflight-scan/preflight/report/content"
	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/snapshot"
)

// page is what the template renders.
type page struct {
	Title, Org, Date, Profile, Phase, Version, ScanID string
	Interrupted                                       bool

	Verdict, Headline, Explanation string
	Score                          int
	Reasons                        []string
	Severities                     []sevTile
	Total, Suppressed              int
	Chart                          areaChart
	Failed, NotAssessed            []string

	Sources   []sourceRow
	Inventory [][2]string

	Rules []ruleView
	Tally content.RuleTally

	Tenant *tenantPage

	Estimate      [][2]string
	EstimateBasis string

	Changes      *changes
	Trend        *trend
	Suppressions []model.SuppressionStatus
	Checklist    []checkGroup

	// Filter choices of the findings list.
	RuleIDs, Areas, Kinds []option
	MaxExamples           int
	HasStatus             bool

	Data   template.JS
	CSS    template.CSS
	Script template.JS
	CSP    string
}

type sevTile struct {
	Name  string
	Count int
}

type option struct{ Value, Label string }

type sourceRow struct {
	Name, Kind, Areas, Status, StatusClass, Objects, Detail string
}

type ruleView struct {
	ID, Title, Severity, Chip, Error, Affected     string
	Description, ThresholdLabel, Threshold, Remedy string
	Open                                           int
	Examples                                       []example
	More                                           int
	// Groups, when the rule's findings carry a group (DIR-010's UPN
	// suffix), replace Examples: a heading per group, then its examples.
	Groups []exampleGroup
}

// exampleGroup is one group of a rule's findings.
type exampleGroup struct {
	Heading, More string
	Examples      []example
}

type example struct {
	Name, ID, Message string
}

type changes struct {
	Date                  string
	New, Existing, Gone   int
	NewRows, ResolvedRows []changeRow
	MoreNew, MoreResolved int
}

type changeRow struct {
	Rule, Severity, Object, Message string
}

type checkGroup struct {
	When  string
	Items []content.ChecklistItem
}

// build works out the page's model.
func build(rep *model.Report) *page {
	s := rep.Summary
	pg := &page{
		Org: rep.Scan.Organisation, Date: content.ScanDate(rep.Scan.StartedAt),
		Profile: content.ProfileName(rep.Scan.Profile), Phase: rep.Scan.Phase,
		Version: rep.Tool.Version, ScanID: rep.Scan.ID, Interrupted: rep.Scan.Interrupted,
		Verdict: string(s.Verdict), Score: s.Score, Reasons: s.VerdictReasons,
		Total: s.Counts.Total, Suppressed: content.Suppressed(rep),
		Tally: content.Tally(rep), Suppressions: rep.Suppressions, MaxExamples: MaxExamples,
	}
	pg.Title = "Migration readiness report"
	if pg.Org != "" {
		pg.Title += " — " + pg.Org
	}
	if rep.Scan.CutoverDate != "" {
		pg.Phase += ", cutover planned for " + rep.Scan.CutoverDate
	}
	pg.Headline, pg.Explanation = content.Verdict(s.Verdict)
	for _, sev := range model.Severities() {
		pg.Severities = append(pg.Severities, sevTile{string(sev), s.Counts.BySeverity[sev]})
	}
	pg.Chart = chartByArea(rep)
	for _, a := range s.Coverage.Failed {
		pg.Failed = append(pg.Failed, content.AreaName(a))
	}
	for _, a := range s.Coverage.NotAssessed {
		pg.NotAssessed = append(pg.NotAssessed, content.AreaName(a))
	}
	pg.Sources = sources(rep.Sources)
	pg.Inventory = inventory(s.Inventory)
	pg.Rules = rules(rep)
	pg.Tenant = tenantSection(rep)
	pg.Estimate, pg.EstimateBasis = estimate(s.Estimate)
	pg.Changes = changesSince(rep)
	pg.Trend = trendOf(rep)
	for _, it := range content.ChecklistFor(rep) {
		if n := len(pg.Checklist); n == 0 || pg.Checklist[n-1].When != it.When {
			pg.Checklist = append(pg.Checklist, checkGroup{When: it.When})
		}
		g := &pg.Checklist[len(pg.Checklist)-1]
		g.Items = append(g.Items, it)
	}
	pg.RuleIDs, pg.Areas, pg.Kinds, pg.HasStatus = filterChoices(rep)
	return pg
}

func sources(ss []snapshot.Source) []sourceRow {
	var out []sourceRow
	for _, s := range ss {
		detail, areas := content.SourceDetail(s), content.SourceAreas(s)
		st, cls := s.Status, "muted"
		switch s.Status {
		case snapshot.StatusOK:
			st, cls = "OK", "ok"
		case snapshot.StatusError:
			cls = "bad"
		}
		out = append(out, sourceRow{s.Name, s.Kind, strings.Join(areas, ", "), st, cls, strconv.FormatInt(s.Objects, 10), report.Clip(detail, 600)})
	}
	return out
}

func inventory(inv snapshot.Inventory) [][2]string {
	return [][2]string{
		{"Users", fmt.Sprintf("%d (%d enabled, %d disabled)", inv.Users, inv.EnabledUsers, inv.DisabledUsers)},
		{"Mail-enabled objects", strconv.FormatInt(inv.MailEnabled, 10)},
		{"Contacts / groups / computers", fmt.Sprintf("%d / %d / %d", inv.Contacts, inv.Groups, inv.Computers)},
		{"Mailboxes", fmt.Sprintf("%d, %s in total (%d folders)", inv.Mailboxes, content.BytesText(inv.TotalMailboxBytes), inv.Folders)},
		{"Mail domains", report.ListOr(inv.Domains, "none found")},
	}
}

func rules(rep *model.Report) []ruleView {
	byRule := map[string][]model.Finding{}
	for _, f := range rep.Findings {
		byRule[f.RuleID] = append(byRule[f.RuleID], f)
	}
	var out []ruleView
	for _, c := range content.Failing(rep) {
		fs := byRule[c.RuleID]
		rv := ruleView{ID: c.RuleID, Title: c.Title, Severity: string(c.Severity), Chip: string(c.Severity),
			Description: c.Description, Remedy: c.Remediation}
		if c.Status == model.StatusError {
			rv.Chip, rv.Severity, rv.Error = "not evaluated", "none", c.Error
		} else {
			rv.Affected = content.Affected(rep, fs)
		}
		rv.ThresholdLabel, rv.Threshold = content.ThresholdLine(c)
		toExample := func(f model.Finding) example {
			ex := example{Name: f.Object.Name, ID: f.Object.ID, Message: report.Clip(f.Message, 400)}
			if ex.Name == "" || ex.Name == ex.ID {
				ex.Name, ex.ID = ex.ID, ""
			}
			return ex
		}
		groups := content.Groups(fs, MaxExamples)
		grouped := content.Grouped(groups)
		for _, g := range groups {
			rv.Open += g.Count
			eg := exampleGroup{Heading: content.GroupHeading(g)}
			if g.More > 0 {
				eg.More = fmt.Sprintf("and %d more in the findings list below and in findings.csv", g.More)
			}
			for _, f := range g.Shown {
				if grouped {
					eg.Examples = append(eg.Examples, toExample(f))
				} else if len(rv.Examples) < MaxExamples {
					rv.Examples = append(rv.Examples, toExample(f))
				}
			}
			if grouped {
				rv.Groups = append(rv.Groups, eg)
			}
		}
		if grouped {
			out = append(out, rv)
			continue
		}
		rv.More = rv.Open - len(rv.Examples)
		out = append(out, rv)
	}
	return out
}

func estimate(e *model.Estimate) ([][2]string, string) {
	if e == nil {
		return nil, ""
	}
	rows := [][2]string{
		{"Mailboxes to move", strconv.FormatInt(e.Mailboxes, 10)},
		{"Data to move", content.BytesText(e.DataBytes)},
		{"Licences needed", strconv.FormatInt(e.Licences, 10)},
	}
	if e.BandwidthMbps > 0 {
		rows = append(rows, [2]string{"Bandwidth", strconv.FormatFloat(e.BandwidthMbps, 'f', -1, 64) + " Mbit/s"})
	}
	if e.Concurrency > 0 {
		rows = append(rows, [2]string{"Concurrent migrations", strconv.FormatInt(e.Concurrency, 10)})
	}
	if e.ThroughputMBh > 0 {
		rows = append(rows, [2]string{"Throughput", strconv.FormatFloat(e.ThroughputMBh, 'f', 0, 64) + " MB per hour"})
	}
	if e.Hours > 0 {
		rows = append(rows, [2]string{"Estimated time", fmt.Sprintf("%.1f hours (%.1f days)", e.Hours, e.Hours/24)})
	} else {
		rows = append(rows, [2]string{"Estimated time", "not estimated: give the bandwidth available for the migration (--bandwidth-mbps)"})
	}
	return rows, e.Basis
}

// changesShown is how many new and resolved findings the comparison
// lists; the findings list filters the rest.
const changesShown = 15

func changesSince(rep *model.Report) *changes {
	if rep.Baseline == nil {
		return nil
	}
	ch := &changes{Date: content.ScanDate(rep.Baseline.StartedAt), Gone: len(rep.Resolved)}
	row := func(f model.Finding) changeRow {
		obj := f.Object.Name
		if obj == "" {
			obj = f.Object.ID
		}
		return changeRow{f.RuleID, string(f.Severity), report.Clip(obj, 120), report.Clip(f.Message, 300)}
	}
	for _, f := range rep.Findings {
		switch f.Status {
		case "new":
			ch.New++
			if f.Suppressed == nil {
				if len(ch.NewRows) < changesShown {
					ch.NewRows = append(ch.NewRows, row(f))
				} else {
					ch.MoreNew++
				}
			}
		case "existing":
			ch.Existing++
		}
	}
	for i, f := range rep.Resolved {
		if i == changesShown {
			ch.MoreResolved = len(rep.Resolved) - i
			break
		}
		ch.ResolvedRows = append(ch.ResolvedRows, row(f))
	}
	return ch
}

func filterChoices(rep *model.Report) (ruleIDs, areas, kinds []option, hasStatus bool) {
	seenRule, seenArea, seenKind := map[string]bool{}, map[string]bool{}, map[string]bool{}
	titles := map[string]string{}
	for _, c := range rep.Checks {
		titles[c.RuleID] = c.Title
	}
	for _, f := range rep.Findings {
		seenRule[f.RuleID] = true
		seenArea[f.Category] = true
		seenKind[f.Object.Kind] = true
		if f.Status != "" {
			hasStatus = true
		}
	}
	for _, id := range sortedKeys(seenRule) {
		l := id
		if t := titles[id]; t != "" {
			l += " " + t
		}
		ruleIDs = append(ruleIDs, option{id, l})
	}
	for _, a := range sortedKeys(seenArea) {
		areas = append(areas, option{a, content.AreaName(a)})
	}
	for _, k := range sortedKeys(seenKind) {
		kinds = append(kinds, option{k, k})
	}
	return ruleIDs, areas, kinds, hasStatus
}

// findingsJSON is the data block of the findings list:
//
//	{"rules": {ID: [title, remediation]},
//	 "findings": [[severity, rule, area, kind, id, name, message, status,
//	               suppressed, fingerprint, evidence, remediation], ...]}
//
// A finding's remediation is "" when it is its rule's. encoding/json
// writes <, >, & and U+2028/U+2029 as \u escapes, so no string in the
// block can end the script element or open a comment, whatever it holds.
func findingsJSON(rep *model.Report) ([]byte, error) {
	type ruleInfo [2]string
	rs := map[string]ruleInfo{}
	remedy := map[string]string{}
	for _, c := range rep.Checks {
		rs[c.RuleID] = ruleInfo{c.Title, c.Remediation}
		remedy[c.RuleID] = c.Remediation
	}
	fs := make([][]any, 0, len(rep.Findings))
	for _, f := range rep.Findings {
		supp := content.SuppressionText(f.Suppressed)
		rem := f.Remediation
		if rem == remedy[f.RuleID] {
			rem = ""
		}
		ev, err := canonical(f.Evidence)
		if err != nil {
			return nil, fmt.Errorf("finding %s: evidence: %w", f.Fingerprint, err)
		}
		fs = append(fs, []any{f.Severity, f.RuleID, f.Category, f.Object.Kind, f.Object.ID, f.Object.Name, f.Message, f.Status, supp, f.Fingerprint, ev, rem})
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(map[string]any{"rules": rs, "findings": fs}); err != nil {
		return nil, fmt.Errorf("findings: %w", err)
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// canonical returns evidence as report.json holds it: structs become
// objects with sorted keys, so a report renders the same bytes whether it
// comes from a scan or from its report.json.
func canonical(ev map[string]any) (any, error) {
	if len(ev) == 0 {
		return map[string]any{}, nil
	}
	b, err := json.Marshal(ev)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}
