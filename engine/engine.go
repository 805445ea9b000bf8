// Package engine evaluates rules over a snapshot: it binds each rule record
// to its check, streams the snapshot's records through the checks, and
// turns their output into a report with check statuses, a verdict, a score
// and coverage.
package engine

import (
	"context"
	"errors"
	"fmt"
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
	run := &Run{opts: opts, tally: snapshot.NewTally()}
	env := opts.Env
	env.Shared = checks.NewShared()
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
		}
		run.bound = append(run.bound, b)
	}
	return run, nil
}

// Put feeds one record to every check.
func (r *Run) Put(rec *snapshot.Record) error {
	if rec.Source != nil {
		r.sources = append(r.sources, *rec.Source)
	}
	_ = r.tally.Put(rec)
	for _, b := range r.bound {
		if b.check != nil {
			b.check.Observe(rec, &b.out)
		}
	}
	return nil
}

// Tally returns the inventory counted so far: the users, mail domains and
// objects of the records put into the run.
func (r *Run) Tally() *snapshot.Tally { return r.tally }

// Meta describes the scan for the report.
type Meta struct {
	Tool         model.Tool
	Scan         model.Scan
	Organisation string
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
	c.Findings = len(out)
	errs := append(failed, b.out.Errors...)
	switch {
	case len(errs) > 0:
		c.Status = model.StatusError
		c.Error = strings.Join(dedupe(errs), "; ")
	case len(out) == 0 && b.out.Skipped != "":
		c.Status = model.StatusSkipped
		c.Error = "not assessed: " + b.out.Skipped
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
