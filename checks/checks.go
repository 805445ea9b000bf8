// Package checks holds the Go checks that evaluate rules, and the one
// registry that binds a rule record's "check" name to its implementation.
//
// A check sees only snapshot records, never a collector: it is handed every
// record of the snapshot in order (Observe) and then asked to conclude
// (Finish). Checks that need cross-object facts keep the smallest index
// they can; only the duplicate-address index may grow with the directory.
package checks

import (
	"fmt"
	"strings"
	"time"

	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/snapshot"
)

// Env is what a check may know besides the records.
type Env struct {
	// Profile is the rule profile in force.
	Profile string
	// Now is the scan's start time.
	Now time.Time
	// CutoverDate is the planned cutover day; zero when not given.
	CutoverDate time.Time
	// Phase is pre-cutover or post-cutover.
	Phase string
	// BandwidthMbps is the migration bandwidth; zero when not given.
	BandwidthMbps float64
	// Tenant is the Microsoft 365 tenant name, the prefix of its initial
	// domain (fabrikam for fabrikam.onmicrosoft.com), from --tenant or the
	// configuration; "" when not given.
	Tenant string
	// MigratingDomains are the domains a tenant-to-tenant move takes
	// from the source tenant to the target (--migrating-domain), lower
	// case and sorted; nil when not given.
	MigratingDomains []string
	// NoMailboxSource is set when the scan is known to have no mailbox
	// source (a live scan without mailbox exports): checks then need not
	// index directory users to name mailbox owners.
	NoMailboxSource bool
	// SyncScope is ScopeMailEnabled (the default, "") or ScopeAll: which
	// users, contacts and groups the directory rules judge.
	SyncScope string
	// Shared is the evaluation's shared per-record stage (one owner index
	// for every mailbox rule, one scope decision per directory object for
	// every directory rule). The engine makes a new one for each run and
	// calls its Observe once per record, before any check sees the record;
	// nil gives each check its own index and scope decisions.
	Shared *Shared
}

// Shared is the per-record work the checks of one evaluation share. It is
// an explicit stage: the engine calls Observe once for every record before
// handing the record to the checks, and the checks only read what it
// built. Checks ask for a part when they are built (the owner index and
// the mailbox facts are filled only when a mailbox rule asked for them).
type Shared struct {
	// owners is the mailbox owner index; nil until a check asks for it.
	owners *owners
	// facts are the mailbox facts MBX-008…010 join (hold, shared,
	// archive); nil until a check asks for them.
	facts *facts
	// noMailbox skips indexing directory users (no mailbox source).
	noMailbox bool
	// cur is the scope decision for the record being evaluated.
	cur *scopeEntry
}

// NewShared returns an empty shared stage for one evaluation.
func NewShared() *Shared { return &Shared{} }

// Observe does the shared work for one record. The engine calls it once
// per record, before any check's Observe.
func (s *Shared) Observe(r *snapshot.Record) {
	if s.owners != nil && (!s.noMailbox || r.Dir == nil) {
		s.owners.observe(r)
	}
	if s.facts != nil {
		s.facts.observe(r)
	}
	s.cur = nil
	if r.Dir != nil {
		s.cur = newScopeEntry(r.Dir)
	}
}

// Scope is checks.Scope for the directory record the stage observed last
// (decided once for the engine and every check), or for o decided afresh.
func (s *Shared) Scope(o *snapshot.DirObject, syncScope string) (in bool, excluded string) {
	if e := s.cur; e.matches(o) {
		return e.place(syncScope)
	}
	return Scope(o, syncScope)
}

// Cutover returns the cutover date, or Now when none was given.
func (e Env) Cutover() time.Time {
	if e.CutoverDate.IsZero() {
		return e.Now
	}
	return e.CutoverDate
}

// Finding is what a check reports about one object. The engine adds the
// rule ID, category, fingerprint and defaults.
type Finding struct {
	Object model.Object
	// Identity is the object's stable identity for the fingerprint (an
	// objectGUID); "" uses Object.ID.
	Identity string
	// Key is the problem's identity on the object for the fingerprint
	// (the duplicated address, the attribute name); "" when the rule can
	// report only one problem per object.
	Key string
	// Group names the value that this finding shares with others of its
	// rule (the UPN suffix of DIR-010's users): renderers show the rule's
	// findings under one heading per group. "" for an ungrouped finding.
	Group   string
	Message string
	// Evidence holds attribute, value, observed, threshold and anything
	// else that shows the problem. The engine adds "source" (where the
	// threshold comes from) when the check does not.
	Evidence map[string]any
	// Severity overrides the rule's severity ("" keeps it).
	Severity model.Severity
	// Remediation overrides the rule's remediation ("" keeps it).
	Remediation string
}

// Output collects what a check reports.
type Output struct {
	Findings []Finding
	// Errors are reasons the check could not be fully evaluated. Any error
	// makes the check's status "error" and the verdict "incomplete".
	Errors []string
	// Estimate is set by the migration-estimate check.
	Estimate *model.Estimate
	// Skipped, when set and the check has neither findings nor errors,
	// makes its status "skipped": the input it judges was not given
	// (no allow-list, no probe). It says what is missing.
	Skipped string
	// Evaluated counts the objects (directory entries, mailboxes,
	// domains, hosts, addresses) the check judged. A check that judged
	// nothing is never "pass".
	Evaluated int64
	// NotEvaluated counts, by reason, the objects in the check's scope it
	// could not judge (an attribute missing, a value unreadable).
	NotEvaluated map[string]int64

	// needs are the attributes (lower-case) the rule reads; see Require.
	// carries counts, per need, the applicable objects holding it.
	needs   []string
	carries []int64
	// applicable counts the directory objects the rule applies to, and
	// carrying those of them holding at least one of needs.
	applicable, carrying int64
}

// Require declares the directory attributes the rule reads (from the rule
// record's "attributes"). The engine calls it before the first record.
func (o *Output) Require(attrs []string) {
	o.needs = o.needs[:0]
	for _, a := range attrs {
		o.needs = append(o.needs, strings.ToLower(a))
	}
	o.carries = make([]int64, len(o.needs))
}

// Consider counts a directory object the rule applies to as evaluated, and
// notes whether it carries any of the attributes the rule reads.
func (o *Output) Consider(d *snapshot.DirObject) {
	o.Evaluated++
	o.applicable++
	has := false
	for i, a := range o.needs {
		if len(d.Attrs[a]) > 0 {
			o.carries[i]++
			has = true
		}
	}
	if has {
		o.carrying++
	}
}

// Absent returns the indexes, in the order Require was given them, of the
// attributes the rule reads that none of the objects it applied to
// carried.
func (o *Output) Absent() []int {
	if o.applicable == 0 {
		return nil
	}
	var out []int
	for i, n := range o.carries {
		if n == 0 {
			out = append(out, i)
		}
	}
	return out
}

// Judged counts n objects as evaluated.
func (o *Output) Judged(n int64) { o.Evaluated += n }

// NotJudged moves one object counted as evaluated to the not-evaluated
// counts under reason.
func (o *Output) NotJudged(reason string) {
	o.Evaluated--
	if o.NotEvaluated == nil {
		o.NotEvaluated = map[string]int64{}
	}
	o.NotEvaluated[reason]++
}

// Coverage returns how many directory objects the rule applied to and how
// many of them carried at least one attribute it reads; ok is false when
// the rule declared no attribute.
func (o *Output) Coverage() (applicable, carrying int64, ok bool) {
	return o.applicable, o.carrying, len(o.needs) > 0
}

// Skip reports that the check had nothing to judge, and why.
func (o *Output) Skip(format string, args ...any) {
	o.Skipped = fmt.Sprintf(format, args...)
}

// Add reports a finding.
func (o *Output) Add(f Finding) { o.Findings = append(o.Findings, f) }

// Fail reports that the check could not be evaluated (in whole or part).
func (o *Output) Fail(format string, args ...any) {
	o.Errors = append(o.Errors, fmt.Sprintf(format, args...))
}

// Check evaluates one rule over a snapshot.
type Check interface {
	// Observe is called for every record of the snapshot, in order.
	Observe(r *snapshot.Record, out *Output)
	// Finish is called once after the last record.
	Finish(out *Output)
}

// Registry maps check names (the "check" field of rule records) to their
// specs: factory and parameter type.
type Registry map[string]Spec

// noParams are the parameters of a check that takes none (its profiles
// give "params": {}).
type noParams struct{}

// Default returns the registry of every check this build has.
func Default() Registry {
	r := Registry{}
	for _, add := range []func(Registry){
		addDirectory, addClients, addMailbox, addMailboxQuotas, addDNS, addBlocklist, addNetwork, addTenant,
	} {
		add(r)
	}
	return r
}

// Funcs adapts two functions to a Check; either may be nil.
type Funcs struct {
	ObserveFunc func(r *snapshot.Record, out *Output)
	FinishFunc  func(out *Output)
}

// Observe calls ObserveFunc.
func (f Funcs) Observe(r *snapshot.Record, out *Output) {
	if f.ObserveFunc != nil {
		f.ObserveFunc(r, out)
	}
}

// Finish calls FinishFunc.
func (f Funcs) Finish(out *Output) {
	if f.FinishFunc != nil {
		f.FinishFunc(out)
	}
}

// ForDir starts a finding about a directory entry: the object is shown by
// its DN and label and fingerprinted by its objectGUID when known.
func ForDir(o *snapshot.DirObject) Finding {
	return Finding{
		Object:   model.Object{Kind: string(o.Kind), ID: o.DN, Name: o.Label()},
		Identity: o.ID(),
	}
}
