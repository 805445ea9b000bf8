// Package model holds the readiness report's data types: the report, its
// checks and findings, and the named severity, status and verdict values.
// It is the contract between the evaluate stage (engine, checks) and the
// renderers, and it holds no behaviour beyond validation, ordering and
// grouping of findings, and the fingerprint recipe. It imports only the standard library and the
// snapshot's record types (a report lists the snapshot's sources and
// inventory); renderers, JSON writing and schema validation live in
// package report and below.
//
// The report is the contract with ticketing systems: field names and rule
// IDs are stable, and SchemaVersion is bumped on any incompatible change.
package model

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"time"

	"github.com/preflight-scan/preflight/snapshot"
)

// SchemaVersion is the version of the report format this build writes.
const SchemaVersion = "1"

// Report is one scan's result.
type Report struct {
	SchemaVersion string            `json:"schema_version"`
	Tool          Tool              `json:"tool"`
	Scan          Scan              `json:"scan"`
	Sources       []snapshot.Source `json:"sources"`
	Summary       Summary           `json:"summary"`
	Checks        []Check           `json:"checks"`
	Findings      []Finding         `json:"findings"`
	// Resolved lists the baseline's findings that are gone (with a baseline).
	Resolved []Finding `json:"resolved,omitempty"`
	// Baseline names the report compared against, when there was one.
	Baseline *BaselineRef `json:"baseline,omitempty"`
	// Suppressions reports each configured suppression and whether it was
	// used or has expired.
	Suppressions []SuppressionStatus `json:"suppressions,omitempty"`
	// History holds earlier runs' verdicts and scores, oldest first.
	History []HistoryPoint `json:"history,omitempty"`
}

// Tool names the program that wrote the report.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Scan describes the run.
type Scan struct {
	ID          string    `json:"id"`
	StartedAt   time.Time `json:"started_at"`
	FinishedAt  time.Time `json:"finished_at"`
	Profile     string    `json:"profile"`
	Phase       string    `json:"phase"`
	CutoverDate string    `json:"cutover_date,omitempty"`
	// Organisation is the customer's name, from the configuration.
	Organisation string `json:"organisation,omitempty"`
	// ParamsOverridden lists rule parameters changed from the profile's
	// values, by rule ID then parameter name.
	ParamsOverridden map[string]map[string]any `json:"params_overridden"`
	// Interrupted is set when the scan was cancelled before it finished.
	Interrupted bool `json:"interrupted,omitempty"`
	// FingerprintVersion is the version of the fingerprint recipe.
	FingerprintVersion int `json:"fingerprint_version"`
}

// Summary is the headline of the report.
type Summary struct {
	Verdict Verdict `json:"verdict"`
	// VerdictReasons explains the verdict in a few lines.
	VerdictReasons []string `json:"verdict_reasons"`
	// Score is 0-100, higher is better; ScoreFormula states how.
	Score        int                `json:"score"`
	ScoreFormula string             `json:"score_formula"`
	Counts       Counts             `json:"counts"`
	Coverage     Coverage           `json:"coverage"`
	Inventory    snapshot.Inventory `json:"inventory"`
	Estimate     *Estimate          `json:"estimate,omitempty"`
	// Scope is set when the scan held directory objects.
	Scope *Scope `json:"scope,omitempty"`
}

// Counts are finding counts by severity and by category.
type Counts struct {
	BySeverity map[Severity]int `json:"by_severity"`
	ByCategory map[string]int   `json:"by_category"`
	Total      int              `json:"total"`
}

// Coverage says which areas were assessed.
type Coverage struct {
	Assessed    []string `json:"assessed"`
	NotAssessed []string `json:"not_assessed"`
	// Failed lists areas whose source failed: their checks are "error".
	Failed []string `json:"failed"`
	// Reasons says, per area not assessed or failed, why.
	Reasons map[string]string `json:"reasons,omitempty"`
	// Partial says, per area whose sources held entries no rule could
	// judge (directory entries without objectClass or carrying only
	// their DN), how many: such an area was only partly assessed.
	Partial map[string]string `json:"partial,omitempty"`
}

// Scope says which directory objects the rules judged.
type Scope struct {
	// SyncScope is mail-enabled or all.
	SyncScope string `json:"sync_scope"`
	// InScope counts the users, contacts and groups in the sync scope;
	// OutsideScope those outside it (not mail-enabled, under scope
	// mail-enabled).
	InScope      int64 `json:"in_scope"`
	OutsideScope int64 `json:"outside_scope"`
	// Excluded counts system objects never judged, by reason.
	Excluded map[string]int64 `json:"excluded"`
}

// Estimate is the migration estimate (MBX-007).
type Estimate struct {
	Mailboxes     int64   `json:"mailboxes"`
	DataBytes     int64   `json:"data_bytes"`
	Licences      int64   `json:"licences"`
	BandwidthMbps float64 `json:"bandwidth_mbps,omitempty"`
	Concurrency   int64   `json:"concurrency,omitempty"`
	ThroughputMBh float64 `json:"throughput_mb_per_hour,omitempty"`
	Hours         float64 `json:"hours,omitempty"`
	Basis         string  `json:"basis,omitempty"`
}

// Check is one rule's outcome.
type Check struct {
	RuleID   string   `json:"rule_id"`
	Title    string   `json:"title"`
	Category string   `json:"category"`
	Severity Severity `json:"severity"`
	Status   Status   `json:"status"`
	Findings int      `json:"findings"`
	// Evaluated counts the objects the check judged; a check that judged
	// nothing is never "pass".
	Evaluated int64 `json:"evaluated"`
	// NotEvaluated counts, by reason, objects in the check's scope that it
	// could not judge.
	NotEvaluated map[string]int64 `json:"not_evaluated,omitempty"`
	// MissingAttributes lists the attributes the rule reads that none of
	// the objects it judged carried (the others did): the rule could not
	// look at that part, and says so.
	MissingAttributes []string `json:"missing_attributes,omitempty"`
	Description       string   `json:"description"`
	Remediation       string   `json:"remediation"`
	// Threshold is the profile's parameter set the rule was held against.
	Threshold map[string]any `json:"threshold,omitempty"`
	// SourceReference says where the threshold comes from.
	SourceReference string `json:"source_reference"`
	Error           string `json:"error,omitempty"`
}

// Object is what a finding is about.
type Object struct {
	// Kind is user, contact, group, computer, mailbox, folder, domain, ip,
	// endpoint or directory.
	Kind string `json:"kind"`
	// ID identifies the object: a DN, a mailbox identity, a domain name.
	ID string `json:"id"`
	// Name is a human label (display name, host name).
	Name string `json:"name,omitempty"`
}

// Finding is one problem on one object.
type Finding struct {
	Fingerprint string   `json:"fingerprint"`
	RuleID      string   `json:"rule_id"`
	Severity    Severity `json:"severity"`
	Category    string   `json:"category"`
	Object      Object   `json:"object"`
	// Group is the value this finding shares with other findings of its
	// rule, one finding per object (DIR-010: the UPN suffix of each user
	// whose suffix must change). The PDF, the HTML report and the
	// terminal table show a rule's findings under one heading per group,
	// with its count and worst severity; findings.csv has it in its group
	// column. Empty for findings that are not grouped.
	Group       string         `json:"group,omitempty"`
	Message     string         `json:"message"`
	Evidence    map[string]any `json:"evidence"`
	Remediation string         `json:"remediation"`
	// Status is new or existing when a baseline was given.
	Status string `json:"status,omitempty"`
	// Suppressed carries the reason when a configured suppression matched.
	Suppressed *Suppression `json:"suppressed,omitempty"`
}

// Suppression is an accepted finding.
type Suppression struct {
	Reason  string `json:"reason"`
	Expires string `json:"expires,omitempty"`
}

// SuppressionStatus reports one configured suppression.
type SuppressionStatus struct {
	RuleID  string `json:"rule_id"`
	Object  string `json:"object"`
	Reason  string `json:"reason"`
	Expires string `json:"expires,omitempty"`
	// State is active, expired or unused.
	State   string `json:"state"`
	Matched int    `json:"matched"`
}

// BaselineRef names the baseline report.
type BaselineRef struct {
	ScanID    string    `json:"scan_id"`
	StartedAt time.Time `json:"started_at"`
	Path      string    `json:"path,omitempty"`
}

// HistoryPoint is one earlier run.
type HistoryPoint struct {
	ScanID    string    `json:"scan_id"`
	StartedAt time.Time `json:"started_at"`
	Verdict   Verdict   `json:"verdict"`
	Score     int       `json:"score"`
	Findings  int       `json:"findings"`
	// BySeverity counts the run's findings by severity; reports written
	// before it was recorded have none.
	BySeverity map[Severity]int `json:"by_severity,omitempty"`
}

// FingerprintVersion is the version of the Fingerprint recipe.
const FingerprintVersion = 1

// Fingerprint computes a finding's stable identity: the SHA-256 of the rule
// ID, the object's kind and identity, and the problem's key (for example
// the duplicated address), NUL-separated, as 32 hex digits. It does not
// depend on the message, the order of findings or any other object.
func Fingerprint(ruleID, objectKind, objectID, key string) string {
	h := sha256.New()
	for _, s := range []string{ruleID, objectKind, objectID, key} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// SortFindings orders findings deterministically: most severe first, then
// by rule ID, object kind, object ID and fingerprint.
func SortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if ra, rb := a.Severity.Rank(), b.Severity.Rank(); ra != rb {
			return ra > rb
		}
		if a.RuleID != b.RuleID {
			return a.RuleID < b.RuleID
		}
		if a.Object.Kind != b.Object.Kind {
			return a.Object.Kind < b.Object.Kind
		}
		if a.Object.ID != b.Object.ID {
			return a.Object.ID < b.Object.ID
		}
		return a.Fingerprint < b.Fingerprint
	})
}
