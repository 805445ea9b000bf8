package cli

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/pflag"

	"github.com/preflight-scan/preflight/baseline"
	"github.com/preflight-scan/preflight/checks"
	"github.com/preflight-scan/preflight/config"
	"github.com/preflight-scan/preflight/engine"
	"github.com/preflight-scan/preflight/history"
	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/rules"
)

// nightlyOptions are the flags of the nightly run: configuration file,
// baseline and history.
type nightlyOptions struct {
	Config    string
	Baseline  string
	FailOnNew string
	History   string
}

// configData is what the configuration file holds besides flag values,
// and what the run loaded before collecting (baseline, history).
type configData struct {
	Organisation string
	// Overrides replace rule parameters: rule ID, then parameter name.
	Overrides map[string]map[string]any

	file         *config.Config
	baseline     *model.Report
	baselinePath string
	store        *history.Store
	entries      []history.Entry
}

// applyConfig reads --config, sets every flag the command line did not set
// from it, and loads the baseline and history. Every problem here is a
// usage error (exit 2), found before anything is collected or written.
func applyConfig(fs *pflag.FlagSet, defs []flagDef, o *scanOptions, env *runEnv) (*configData, error) {
	cd := &configData{}
	if o.Config != "" {
		cfg, err := config.Load(o.Config, configFlags(defs))
		if err != nil {
			return nil, err
		}
		cd.file = cfg
		onCommandLine := map[string]bool{}
		fs.Visit(func(f *pflag.Flag) { onCommandLine[f.Name] = true })
		names := make([]string, 0, len(cfg.Flags))
		for n := range cfg.Flags {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			if onCommandLine[n] {
				continue
			}
			for _, v := range cfg.Flags[n] {
				if err := fs.Set(n, v); err != nil {
					return nil, cfg.Problem(fmt.Sprintf("invalid value %q: %v", v, err), n)
				}
			}
		}
		if !onCommandLine["history"] && cfg.History.Dir != "" {
			o.History = cfg.History.Dir
		}
		cd.Organisation = cfg.Organisation
		if len(cfg.Rules) > 0 {
			cd.Overrides = cfg.Rules
		}
		if err := checkRuleRefs(cfg, o.Profile, env.rules); err != nil {
			return nil, err
		}
	}
	if o.FailOnNew != "" && !model.Severity(o.FailOnNew).Valid() {
		return nil, usagef("--fail-on-new %q: want critical, high, medium, low or info", o.FailOnNew)
	}
	if o.Baseline != "" {
		rep, err := readReportArg(o.Baseline)
		if err != nil {
			return nil, fmt.Errorf("--baseline: %w", err)
		}
		cd.baseline, cd.baselinePath = rep, o.Baseline
	}
	if o.History != "" {
		keep := 0
		if cd.file != nil {
			keep = cd.file.History.Keep
		}
		cd.store = &history.Store{Dir: o.History, Keep: keep}
		entries, skipped, err := cd.store.Load()
		if err != nil {
			return nil, usagef("--history: %v", err)
		}
		for _, s := range skipped {
			notef(env.io.Stderr, "warning: history: skipping %v", s.Err)
		}
		cd.entries = entries
		if cd.baseline == nil {
			if e := history.Baseline(entries); e != nil {
				cd.baseline, cd.baselinePath = e.Report, e.Path
			}
		}
	}
	return cd, nil
}

// checkRuleRefs reports overrides naming unknown rules or parameters, or
// giving a value the rule's check does not take, and suppressions naming
// unknown rules, with their line in the file.
func checkRuleRefs(cfg *config.Config, profile string, rs []*rules.Rule) error {
	byID := map[string]*rules.Rule{}
	for _, r := range rs {
		byID[r.ID] = r
	}
	ids := make([]string, 0, len(cfg.Rules))
	for id := range cfg.Rules {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		if byID[id] == nil {
			return cfg.Problem("no such rule (see preflight rules)", "rules", id)
		}
	}
	if _, err := engine.NewResolver(rs, checks.Default(), profile, cfg.Rules); err != nil {
		var pe *engine.ParamError
		if !errors.As(err, &pe) || !pe.Override {
			return err
		}
		key := pe.Key
		if i := strings.IndexAny(key, ".["); i >= 0 {
			key = key[:i]
		}
		msg := pe.Problem
		if pe.Key != key {
			msg = pe.Key + ": " + msg
		}
		return cfg.Problem(msg, "rules", pe.Rule, key)
	}
	for i, s := range cfg.Suppressions {
		if byID[s.Rule] == nil {
			return cfg.Problem("no such rule (see preflight rules)", "suppressions", fmt.Sprint(i), "rule")
		}
	}
	return nil
}

// Suppression states.
const (
	suppressionActive  = "active"
	suppressionExpired = "expired"
	suppressionUnused  = "unused"
)

// applySuppressions marks the findings the configuration accepts and
// reports each suppression's state. An expired suppression suppresses
// nothing; an unused one matched no finding. It returns the warnings to
// show.
func applySuppressions(cfg *config.Config, today string, rep *model.Report) []string {
	var warnings []string
	for _, s := range cfg.Suppressions {
		expired := s.Expires != "" && s.Expires < today
		matched := 0
		for i := range rep.Findings {
			f := &rep.Findings[i]
			if f.RuleID != s.Rule || !matchesObject(f, s.Object) {
				continue
			}
			matched++
			if !expired && f.Suppressed == nil {
				f.Suppressed = &model.Suppression{Reason: s.Reason, Expires: s.Expires}
			}
		}
		st := model.SuppressionStatus{RuleID: s.Rule, Object: s.Object, Reason: s.Reason, Expires: s.Expires, Matched: matched}
		switch {
		case expired:
			st.State = suppressionExpired
			warnings = append(warnings, fmt.Sprintf("%s:%d: suppression of %s on %q expired on %s; its %d finding(s) count again", cfg.File, s.Line, s.Rule, s.Object, s.Expires, matched))
		case matched == 0:
			st.State = suppressionUnused
			warnings = append(warnings, fmt.Sprintf("%s:%d: suppression of %s on %q matches no finding; remove it if the problem is fixed", cfg.File, s.Line, s.Rule, s.Object))
		default:
			st.State = suppressionActive
		}
		rep.Suppressions = append(rep.Suppressions, st)
	}
	return warnings
}

// matchesObject reports whether a suppression's object names the
// finding's object: its ID, its name or the finding's fingerprint,
// compared case-insensitively.
func matchesObject(f *model.Finding, obj string) bool {
	return strings.EqualFold(f.Object.ID, obj) ||
		(f.Object.Name != "" && strings.EqualFold(f.Object.Name, obj)) ||
		strings.EqualFold(f.Fingerprint, obj)
}

// postProcess applies suppressions, the baseline and history to a report
// before it is rendered.
func postProcess(o *scanOptions, cfg *configData, env *runEnv, rep *model.Report) error {
	if cfg.file != nil && len(cfg.file.Suppressions) > 0 {
		for _, w := range applySuppressions(cfg.file, env.now.UTC().Format("2006-01-02"), rep) {
			notef(env.io.Stderr, "warning: %s", w)
		}
		engine.Summarize(rep)
	}
	if cfg.baseline != nil {
		baseline.Apply(rep, cfg.baseline, cfg.baselinePath)
		if !o.Quiet {
			n := map[string]int{}
			for _, f := range rep.Findings {
				n[f.Status]++
			}
			notef(env.io.Stderr, "compared with %s: %d new, %d existing, %d resolved",
				cfg.baselinePath, n[baseline.StatusNew], n[baseline.StatusExisting], len(rep.Resolved))
		}
	}
	if cfg.store != nil {
		rep.History = history.Points(cfg.entries)
	}
	return nil
}

// failOnNewExit returns the exit code --fail-on-new asks for, or ExitOK.
// Without a baseline (a first run) every finding counts as new.
func failOnNewExit(o *scanOptions, rep *model.Report) int {
	if o.FailOnNew == "" {
		return ExitOK
	}
	if rep.Baseline == nil {
		floor := model.Severity(o.FailOnNew).Rank()
		for _, f := range rep.Findings {
			if f.Suppressed == nil && f.Severity.Rank() >= floor {
				return ExitFindings
			}
		}
		return ExitOK
	}
	if baseline.NewAtOrAbove(rep.Findings, model.Severity(o.FailOnNew)) {
		return ExitFindings
	}
	return ExitOK
}
