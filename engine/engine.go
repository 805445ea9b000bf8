// Package engine evaluates rules over a snapshot: it binds each rule record
// to its check, streams the snapshot's records through the checks, and
// turns their output into a report with check statuses, a verdict, a score
// and coverage.
package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/preflight-scan/preflight/checks"
	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/rules"
	"github.com/preflight-scan/preflight/snapshot"
)

// Options configure an evaluation.
type Options struct {
	Rules    []*rules.Rule
	Registry checks.Registry
	Env      checks.Env
	// Overrides replace rule parameters: rule ID, then parameter name.
	Overrides map[string]map[string]any
	// Only, when not empty, limits evaluation to these rule IDs.
	Only []string
	// Resolver, when set, is the parameter resolver for Rules, Registry,
	// Env.Profile and Overrides (the command line makes one to read the
	// collectors' tables); nil makes one.
	Resolver *Resolver
}

type bound struct {
	rule    *rules.Rule
	profile *rules.Profile
	// params are the parameters as the report shows them (threshold).
	params map[string]any
	check  checks.Check
	out    checks.Output
}

// Run is one evaluation in progress. It is a snapshot.Sink.
type Run struct {
	opts    Options
	bound   []*bound
	sources []snapshot.Source
	tally   *snapshot.Tally
	// needed are the attributes (lower-case → display spelling) the bound
	// rules read (collectors run one after another, each source record
	// after its objects).
	needed map[string]string
	// unseen are the needed attributes (lower-case) no principal or
	// computer has carried since the last source record: each object is asked only for these.
	unseen []string
	scope  model.Scope
	dirs   int64
	// recs counts the records since the last source record; yielded
	// holds that count for each source, in order.
	recs    int64
	yielded []int64
	// shared is the checks' shared per-record stage, run once per record
	// before the checks.
	shared *checks.Shared
}

// New binds every rule to its check under the profile in opts.Env.Profile,
// with the parameters the Resolver gives. It fails when a rule names a
// check the registry lacks, when a profile's parameters or an override do
// not fit the check's parameter schema (a *ParamError), when an override
// names an unknown rule, or when a check rejects its parameters.
func New(opts Options) (*Run, error) {
	res := opts.Resolver
	var err error
	if res == nil || res.Profile() != opts.Env.Profile {
		res, err = NewResolver(opts.Rules, opts.Registry, opts.Env.Profile, opts.Overrides)
	}
	if err != nil {
		var pe *ParamError
		if errors.As(err, &pe) {
			return nil, err
		}
		return nil, fmt.Errorf("engine: %w", err)
	}
	only := map[string]bool{}
	for _, id := range opts.Only {
		only[id] = true
	}
	run := &Run{opts: opts, tally: snapshot.NewTally(), needed: map[string]string{}}
	if opts.Env.SyncScope == "" {
		opts.Env.SyncScope = checks.ScopeMailEnabled
		run.opts.Env.SyncScope = checks.ScopeMailEnabled
	}
	if opts.Env.SyncScope != checks.ScopeMailEnabled && opts.Env.SyncScope != checks.ScopeAll {
		return nil, fmt.Errorf("engine: unknown sync scope %q (want %s)", opts.Env.SyncScope, strings.Join(checks.SyncScopes(), " or "))
	}
	run.scope = model.Scope{SyncScope: opts.Env.SyncScope, Excluded: map[string]int64{}}
	env := opts.Env
	run.shared = checks.NewShared()
	env.Shared = run.shared
	for _, r := range opts.Rules {
		if len(only) > 0 && !only[r.ID] {
			continue
		}
		rv, err := res.Resolve(r.ID)
		if err != nil {
			return nil, fmt.Errorf("engine: %w", err)
		}
		b := &bound{rule: r, profile: rv.Profile, params: rv.Raw}
		if b.profile != nil {
			c, err := opts.Registry[r.Check].New(rv.Value, env)
			if err != nil {
				return nil, fmt.Errorf("engine: rule %s: %w", r.ID, err)
			}
			b.check = c
			b.out.Require(r.Attributes)
			for _, a := range r.Attributes {
				run.needed[strings.ToLower(a)] = a
			}
		}
		run.bound = append(run.bound, b)
	}
	run.resetUnseen()
	return run, nil
}

// Put feeds one record to every check.
func (r *Run) Put(rec *snapshot.Record) error {
	if rec.Source != nil {
		src := *rec.Source
		if src.Areas == nil {
			src.Areas = []snapshot.Area{} // the report lists none, not null
		}
		src.MissingAttributes = r.missingAttributes(&src)
		r.sources = append(r.sources, src)
		r.yielded = append(r.yielded, r.recs)
		r.resetUnseen()
		r.recs = 0
	} else {
		r.recs++
	}
	_ = r.tally.Put(rec)
	r.shared.Observe(rec)
	if o := rec.Dir; o != nil {
		r.observeDir(o)
	}
	for _, b := range r.bound {
		if b.check != nil {
			b.check.Observe(rec, &b.out)
		}
	}
	return nil
}

// observeDir counts the object for the scope summary and notes which of
// the needed attributes it carries.
func (r *Run) observeDir(o *snapshot.DirObject) {
	r.dirs++
	in, excluded := r.shared.Scope(o, r.opts.Env.SyncScope)
	switch {
	case excluded != "":
		r.scope.Excluded[excluded]++
		return
	case in:
		r.scope.InScope++
	case o.Kind == snapshot.KindUser || o.Kind == snapshot.KindContact || o.Kind == snapshot.KindGroup:
		r.scope.OutsideScope++
	case o.Kind != snapshot.KindComputer && o.Kind != snapshot.KindDomain:
		return
	}
	for i := 0; i < len(r.unseen); {
		if _, ok := o.Attrs[r.unseen[i]]; ok {
			last := len(r.unseen) - 1
			r.unseen[i] = r.unseen[last]
			r.unseen = r.unseen[:last]
			continue
		}
		i++
	}
}

// resetUnseen starts a source: no needed attribute seen yet.
func (r *Run) resetUnseen() {
	r.unseen = r.unseen[:0]
	for l := range r.needed {
		r.unseen = append(r.unseen, l)
	}
}

// missingAttributes returns, for a directory source, the attributes the
// rules read that none of its objects carried.
func (r *Run) missingAttributes(src *snapshot.Source) []string {
	dir := false
	for _, a := range src.Areas {
		dir = dir || a == snapshot.AreaDirectory
	}
	if !dir || src.Status != snapshot.StatusOK || r.recs == 0 {
		return src.MissingAttributes
	}
	var out []string
	for _, l := range r.unseen {
		out = append(out, r.needed[l])
	}
	sort.Strings(out)
	return out
}

// Tally returns the inventory counted so far: the users, mail domains and
// objects of the records put into the run.
func (r *Run) Tally() *snapshot.Tally { return r.tally }

// Meta describes the scan for the report.
type Meta struct {
	Tool model.Tool
	Scan model.Scan
}

// Finish concludes every check and builds the report.
func (r *Run) Finish(meta Meta) *model.Report {
	rep, _ := r.FinishContext(context.Background(), meta) // never cancelled
	return rep
}

// FinishContext is Finish that stops with ctx's error between checks
// when ctx is done (the run was aborted).
func (r *Run) FinishContext(ctx context.Context, meta Meta) (*model.Report, error) {
	rep := &model.Report{
		SchemaVersion: model.SchemaVersion,
		Tool:          meta.Tool,
		Scan:          meta.Scan,
		Sources:       append([]snapshot.Source{}, r.sources...),
		Checks:        []model.Check{},
		Findings:      []model.Finding{},
	}
	rep.Scan.FingerprintVersion = model.FingerprintVersion
	if rep.Scan.ParamsOverridden == nil {
		rep.Scan.ParamsOverridden = map[string]map[string]any{}
	}
	for id, m := range r.opts.Overrides {
		rep.Scan.ParamsOverridden[id] = m
	}
	sort.SliceStable(rep.Sources, func(i, j int) bool {
		if rep.Sources[i].Kind != rep.Sources[j].Kind {
			return rep.Sources[i].Kind < rep.Sources[j].Kind
		}
		return rep.Sources[i].Name < rep.Sources[j].Name
	})

	areaState := r.areaStates()
	for _, b := range r.bound {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if b.check != nil {
			b.check.Finish(&b.out)
		}
		c, fs := r.conclude(b, areaState)
		rep.Checks = append(rep.Checks, c)
		rep.Findings = append(rep.Findings, fs...)
		if b.out.Estimate != nil && c.Status != model.StatusSkipped {
			rep.Summary.Estimate = b.out.Estimate
		}
	}
	sort.Slice(rep.Checks, func(i, j int) bool { return rep.Checks[i].RuleID < rep.Checks[j].RuleID })
	model.SortFindings(rep.Findings)
	rep.Summary.Inventory = r.tally.Inventory()
	if r.dirs > 0 {
		sc := r.scope
		rep.Summary.Scope = &sc
	}
	Summarize(rep)
	return rep, nil
}

// areaStates returns, per area, "" (no source), "ok" or the failure reason.
func (r *Run) areaStates() map[snapshot.Area]string {
	st := map[snapshot.Area]string{}
	for _, s := range r.sources {
		for _, a := range s.Areas {
			switch s.Status {
			case snapshot.StatusOK:
				if st[a] == "" {
					st[a] = "ok"
				}
			case snapshot.StatusError:
				reason := fmt.Sprintf("source %s failed: %s", s.Name, s.Error)
				if st[a] == "" || st[a] == "ok" {
					st[a] = reason
				} else {
					st[a] += "; " + reason
				}
			}
		}
	}
	return st
}

func (r *Run) conclude(b *bound, areas map[snapshot.Area]string) (model.Check, []model.Finding) {
	rule := b.rule
	c := model.Check{
		RuleID:          rule.ID,
		Title:           rule.Title,
		Category:        rule.Category,
		Severity:        rule.Severity,
		Description:     rule.Description,
		Remediation:     rule.Remediation,
		SourceReference: rule.ReferenceText(),
	}
	if b.profile == nil {
		c.Status = model.StatusNotApplicable
		return c, nil
	}
	c.Threshold = b.params
	c.SourceReference = b.profile.Source
	covered := false
	var failed []string
	for _, a := range rule.Requires {
		switch st := areas[snapshot.Area(a)]; st {
		case "":
		case "ok":
			covered = true
		default:
			covered = true
			failed = append(failed, st)
		}
	}
	if !covered {
		c.Status = model.StatusSkipped
		c.Error = "not assessed: no source for " + strings.Join(rule.Requires, ", ")
		return c, nil
	}
	var out []model.Finding
	worst := 0
	for _, f := range b.out.Findings {
		rf := r.finding(b, f)
		if n := rf.Severity.Rank(); n > worst {
			worst = n
		}
		out = append(out, rf)
	}
	c.Evaluated = b.out.Evaluated
	if c.Evaluated < 0 {
		c.Evaluated = 0
	}
	if len(b.out.NotEvaluated) > 0 {
		c.NotEvaluated = map[string]int64{}
		for k, v := range b.out.NotEvaluated {
			c.NotEvaluated[k] = v
		}
	}
	errs := append(failed, b.out.Errors...)
	if _, carrying, ok := b.out.Coverage(); ok && carrying > 0 {
		for _, i := range b.out.Absent() {
			c.MissingAttributes = append(c.MissingAttributes, rule.Attributes[i])
		}
	}
	if names, src := r.notExported(rule); len(names) > 0 {
		// The export was limited to a list of attributes without these:
		// the rule could not look at them, whatever it found elsewhere.
		pron := "them"
		if len(names) == 1 {
			pron = "it"
		}
		errs = append(errs, fmt.Sprintf("not judged on %s: %s did not export %s (its \"# requesting:\" line lists the attributes ldapsearch asked for); re-export with the attribute list in the README",
			andList(names), src, pron))
		// A finding about one of them ("title is empty for every user")
		// is an artefact of the export.
		kept := out[:0]
		for _, f := range out {
			if a, ok := f.Evidence["attribute"].(string); ok && allIn(strings.Split(a, " or "), names) {
				continue
			}
			kept = append(kept, f)
		}
		out = kept
		for _, n := range names {
			if !containsFold(c.MissingAttributes, n) {
				c.MissingAttributes = append(c.MissingAttributes, n)
			}
		}
	}
	if why := r.attributesAbsent(b); why != "" {
		// The findings of a rule whose attributes the export lacks are
		// artefacts of the export (every user "has no givenName"): not
		// judged.
		errs = append([]string{why}, errs...)
		out, c.Evaluated = nil, 0
	}
	c.Findings = len(out)
	switch {
	case len(errs) > 0:
		c.Status = model.StatusError
		c.Error = strings.Join(dedupe(errs), "; ")
	case len(out) == 0 && b.out.Skipped != "":
		c.Status = model.StatusSkipped
		c.Error = "not assessed: " + b.out.Skipped
		if e := r.emptyRequired(rule); e != "" {
			// The export given held nothing: say so first, the check's
			// own reason ("give --clients") after it.
			c.Error = "not assessed: " + e + "; " + b.out.Skipped
		}
	case len(out) == 0 && c.Evaluated == 0:
		c.Status = model.StatusSkipped
		c.Error = "not assessed: " + r.nothingInScope(rule)
	case worst > model.SeverityInfo.Rank():
		c.Status = model.StatusFail
	default:
		c.Status = model.StatusPass
	}
	return c, out
}

func (r *Run) finding(b *bound, f checks.Finding) model.Finding {
	rf := model.Finding{
		RuleID:      b.rule.ID,
		Severity:    b.rule.Severity,
		Category:    b.rule.Category,
		Object:      f.Object,
		Group:       f.Group,
		Message:     f.Message,
		Evidence:    map[string]any{},
		Remediation: b.rule.Remediation,
	}
	if f.Severity != "" {
		rf.Severity = f.Severity
	}
	if f.Remediation != "" {
		rf.Remediation = f.Remediation
	}
	for k, v := range f.Evidence {
		rf.Evidence[k] = v
	}
	if _, ok := rf.Evidence["source"]; !ok {
		rf.Evidence["source"] = b.profile.Source
	}
	id := f.Identity
	if id == "" {
		id = f.Object.ID
	}
	rf.Fingerprint = model.Fingerprint(b.rule.ID, f.Object.Kind, strings.ToLower(id), f.Key)
	return rf
}

func dedupe(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// notExported returns the attributes of the rule that an ok source of one
// of its areas, whose export was limited to a list of attributes
// (Source.Requested), did not list, and that source's name.
func (r *Run) notExported(rule *rules.Rule) ([]string, string) {
	for i, s := range r.sources {
		if s.Status != snapshot.StatusOK || len(s.Requested) == 0 || (s.Objects == 0 && r.yielded[i] == 0) || !feeds(s, rule.Requires) {
			continue
		}
		var out []string
		for _, a := range rule.Attributes {
			if !containsFold(s.Requested, a) {
				out = append(out, a)
			}
		}
		if len(out) > 0 {
			return out, s.Name
		}
	}
	return nil, ""
}

// feeds reports whether a source covers one of the areas.
func feeds(s snapshot.Source, areas []string) bool {
	for _, a := range s.Areas {
		for _, b := range areas {
			if string(a) == b {
				return true
			}
		}
	}
	return false
}

// allIn reports whether every one of names is in list (ASCII case
// ignored).
func allIn(names, list []string) bool {
	for _, n := range names {
		if !containsFold(list, n) {
			return false
		}
	}
	return len(names) > 0
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// attributesAbsent returns why a rule was not judged when none of the
// objects it applies to carries any attribute it reads, or "".
func (r *Run) attributesAbsent(b *bound) string {
	applicable, carrying, ok := b.out.Coverage()
	if !ok || applicable == 0 || carrying > 0 || b.rule.AttributesSparse {
		return ""
	}
	names := orList(b.rule.Attributes)
	return fmt.Sprintf("not judged: none of the %s objects the rule applies to carries %s; the export does not hold the attribute (an LDAP search or ldapsearch command that did not request it, or a Global Catalog query): re-export with the attribute list in the README",
		count(applicable), names)
}

// nothingInScope says why a check judged nothing, from the rule's area
// and what the sources held.
func (r *Run) nothingInScope(rule *rules.Rule) string {
	switch rule.Category {
	case string(snapshot.AreaDirectory):
		return r.directoryEmpty()
	case string(snapshot.AreaMailbox):
		if e := r.emptySources(snapshot.AreaMailbox, "no mailboxes in"); e != "" {
			return e
		}
		return "no mailbox or folder the rule applies to in the mailbox sources"
	case string(snapshot.AreaClients):
		if e := r.emptyRequired(rule); e != "" {
			return e
		}
		return "no computer object or client-software row the rule applies to"
	}
	return "nothing the rule applies to was collected"
}

// directoryEmpty describes what the directory held when a rule found
// nothing in scope.
func (r *Run) directoryEmpty() string {
	sc := r.scope
	var excl int64
	for _, n := range sc.Excluded {
		excl += n
	}
	var notes []string
	if e := r.emptySources(snapshot.AreaDirectory, "no directory object in"); e != "" {
		notes = append(notes, e)
	}
	for _, s := range r.sources {
		if s.Unclassified > 0 || s.DNOnly > 0 {
			notes = append(notes, fmt.Sprintf("%s: %s entries could not be classified and %s carried only their DN", s.Name, count(s.Unclassified), count(s.DNOnly)))
		}
	}
	var msg string
	switch {
	case sc.InScope > 0:
		msg = fmt.Sprintf("none of the %s objects in sync scope is one the rule applies to", count(sc.InScope))
	case sc.SyncScope == checks.ScopeMailEnabled:
		msg = fmt.Sprintf("no mail-enabled object in the export (%s users, contacts and groups are outside the sync scope mail-enabled, %s system objects excluded); when mail does not live in this directory, give --sync-scope all",
			count(sc.OutsideScope), count(excl))
	default:
		msg = fmt.Sprintf("no user, contact or group in the export (%s system objects excluded)", count(excl))
	}
	if len(notes) > 0 {
		msg += "; " + strings.Join(notes, "; ")
	}
	return msg
}

// emptySources returns "<prefix> NAME" for each ok source of the area
// that yielded no object, joined, or "". A source that says what it
// holds words it so: "no folders in NAME".
func (r *Run) emptySources(area snapshot.Area, prefix string) string {
	var out []string
	for i, s := range r.sources {
		if s.Status != snapshot.StatusOK || s.Objects > 0 || r.yielded[i] > 0 {
			continue
		}
		for _, a := range s.Areas {
			if a == area {
				p := prefix
				if s.Holds != "" {
					p = "no " + s.Holds + " in"
				}
				out = append(out, p+" "+s.Name)
				break
			}
		}
	}
	return strings.Join(out, "; ")
}

// emptyRequired is emptySources over the areas the rule requires, for
// the sources that say what they hold (a header-only CSV export), or "".
func (r *Run) emptyRequired(rule *rules.Rule) string {
	var out []string
	for i, s := range r.sources {
		if s.Status != snapshot.StatusOK || s.Objects > 0 || r.yielded[i] > 0 || s.Holds == "" {
			continue
		}
		if slices.ContainsFunc(s.Areas, func(a snapshot.Area) bool { return slices.Contains(rule.Requires, string(a)) }) {
			out = append(out, "no "+s.Holds+" in "+s.Name)
		}
	}
	return strings.Join(out, "; ")
}

// count renders an integer with thousands separators.
func count(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return s
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// andList renders names as "a", "a and b", "a, b and c".
func andList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// orList renders names as "a", "a or b", "a, b or c".
func orList(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
