package engine

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/snapshot"
)

// ScoreFormula documents how Summarize computes the score.
const ScoreFormula = "100 × the product, over failing checks, of (1 − w), where w is set by the most severe of the check's " +
	"unsuppressed findings: critical 0.25, high 0.10, medium 0.04, low 0.01, info 0; a check in error counts 0.10. " +
	"Rounded to the nearest integer. Skipped and not-applicable checks cost nothing; the score never rises when a problem is added."

// weight is the share of the score a failing check removes, by the most
// severe of its findings.
func weight(sev model.Severity) float64 {
	switch sev {
	case model.SeverityCritical:
		return 0.25
	case model.SeverityHigh:
		return 0.10
	case model.SeverityMedium:
		return 0.04
	case model.SeverityLow:
		return 0.01
	}
	return 0
}

// Summarize (re)computes the report's counts, coverage, score and verdict
// from its checks and findings. It is used after evaluation and again after
// suppressions or a baseline change the findings.
func Summarize(rep *model.Report) {
	s := &rep.Summary
	s.Counts = model.Counts{BySeverity: map[model.Severity]int{}, ByCategory: map[string]int{}}
	for _, sev := range model.Severities() {
		s.Counts.BySeverity[sev] = 0
	}
	worstByRule := map[string]int{}
	for _, f := range rep.Findings {
		if f.Suppressed != nil {
			continue
		}
		s.Counts.BySeverity[f.Severity]++
		s.Counts.ByCategory[f.Category]++
		s.Counts.Total++
		if n := f.Severity.Rank(); n > worstByRule[f.RuleID] {
			worstByRule[f.RuleID] = n
		}
	}

	// Coverage: an area is assessed when a source covers it and a check
	// of the area judged at least one object; failed when one of its
	// sources failed; else not assessed, with the reason.
	covered := map[string]bool{}
	failed := map[string]string{}
	for _, src := range rep.Sources {
		for _, a := range src.Areas {
			switch src.Status {
			case snapshot.StatusOK:
				covered[string(a)] = true
			case snapshot.StatusError:
				if failed[string(a)] == "" {
					failed[string(a)] = fmt.Sprintf("source %s failed: %s", src.Name, src.Error)
				}
			}
		}
	}
	judged := map[string]bool{}
	why := map[string]string{}
	anyJudged := false
	for _, c := range rep.Checks {
		if c.Evaluated > 0 && (c.Status == model.StatusPass || c.Status == model.StatusFail) && covered[c.Category] {
			judged[c.Category] = true
			anyJudged = true
		}
		// The area's reason is the first skipped check's, preferring one
		// that looked over one that lacked a source of another area
		// (CLI-001 needs the directory, the clients area may have one).
		if c.Status == model.StatusSkipped && c.Error != "" && (why[c.Category] == "" || strings.HasPrefix(why[c.Category], "no source for ")) {
			if w := strings.TrimPrefix(c.Error, "not assessed: "); why[c.Category] == "" || !strings.HasPrefix(w, "no source for ") {
				why[c.Category] = w
			}
		}
	}
	s.Coverage = model.Coverage{Assessed: []string{}, NotAssessed: []string{}, Failed: []string{}, Reasons: map[string]string{}}
	var given []string
	for _, a := range snapshot.Areas() {
		area := string(a)
		switch {
		case failed[area] != "":
			s.Coverage.Failed = append(s.Coverage.Failed, area)
			s.Coverage.Reasons[area] = failed[area]
		case covered[area] && judged[area]:
			s.Coverage.Assessed = append(s.Coverage.Assessed, area)
		case covered[area]:
			s.Coverage.NotAssessed = append(s.Coverage.NotAssessed, area)
			r := why[area]
			if r == "" {
				r = "its sources yielded nothing any rule could judge"
			}
			s.Coverage.Reasons[area] = r
			given = append(given, area+" ("+r+")")
		default:
			s.Coverage.NotAssessed = append(s.Coverage.NotAssessed, area)
			s.Coverage.Reasons[area] = "no source given"
		}
	}
	if len(s.Coverage.Reasons) == 0 {
		s.Coverage.Reasons = nil
	}
	partial := unjudgedEntries(rep.Sources)
	for _, a := range snapshot.Areas() {
		if p := partial[string(a)]; len(p) > 0 {
			if s.Coverage.Partial == nil {
				s.Coverage.Partial = map[string]string{}
			}
			s.Coverage.Partial[string(a)] = strings.Join(p, "; ")
		}
	}

	score := 1.0
	var errored []string
	for _, c := range rep.Checks {
		switch c.Status {
		case model.StatusError:
			errored = append(errored, c.RuleID)
			score *= 1 - 0.10
		case model.StatusFail:
			for _, sev := range model.Severities() {
				if worstByRule[c.RuleID] == sev.Rank() {
					score *= 1 - weight(sev)
				}
			}
		}
	}
	s.Score = int(math.Round(score * 100))
	s.ScoreFormula = ScoreFormula

	sourceFailed := false
	for _, src := range rep.Sources {
		if src.Status == snapshot.StatusError {
			sourceFailed = true
		}
	}
	var reasons []string
	switch {
	case len(errored) > 0 || rep.Scan.Interrupted || sourceFailed || !anyJudged || len(s.Coverage.Partial) > 0:
		s.Verdict = model.VerdictIncomplete
		if rep.Scan.Interrupted {
			reasons = append(reasons, "the scan was interrupted before it finished")
		}
		for _, src := range rep.Sources {
			if src.Status == snapshot.StatusError {
				reasons = append(reasons, fmt.Sprintf("source %s (%s) failed: %s", src.Name, src.Kind, src.Error))
			}
		}
		for _, a := range snapshot.Areas() {
			if p := s.Coverage.Partial[string(a)]; p != "" {
				reasons = append(reasons, fmt.Sprintf("%s only partly assessed: %s", a, p))
			}
		}
		if len(errored) > 0 {
			sort.Strings(errored)
			reasons = append(reasons, fmt.Sprintf("%d check(s) could not be evaluated: %s", len(errored), strings.Join(errored, ", ")))
		}
		if !anyJudged {
			reasons = append(reasons, "nothing was judged: no check evaluated a single object, so the scan cannot say the environment is ready")
		}
	case s.Counts.BySeverity[model.SeverityCritical] > 0:
		s.Verdict = model.VerdictBlocked
		reasons = append(reasons, fmt.Sprintf("%d critical finding(s) in %s", s.Counts.BySeverity[model.SeverityCritical], rulesAt(rep, model.SeverityCritical)))
	case s.Counts.BySeverity[model.SeverityHigh] > 0:
		s.Verdict = model.VerdictAtRisk
		reasons = append(reasons, fmt.Sprintf("%d high finding(s) in %s", s.Counts.BySeverity[model.SeverityHigh], rulesAt(rep, model.SeverityHigh)))
	default:
		s.Verdict = model.VerdictReady
		reasons = append(reasons, "no critical or high findings in the areas assessed")
	}
	var none []string
	for _, a := range s.Coverage.NotAssessed {
		if s.Coverage.Reasons[a] == "no source given" {
			none = append(none, a)
		}
	}
	if len(given) > 0 {
		reasons = append(reasons, "not assessed (nothing in scope): "+strings.Join(given, "; "))
	}
	if len(none) > 0 {
		reasons = append(reasons, "not assessed (no source given): "+strings.Join(none, ", "))
	}
	s.VerdictReasons = reasons
}

// unjudgedEntries says, per area, which ok sources held entries no rule
// could judge (Source.Unclassified, Source.DNOnly) and how many.
func unjudgedEntries(sources []snapshot.Source) map[string][]string {
	out := map[string][]string{}
	for _, src := range sources {
		n := src.Unclassified + src.DNOnly
		if n <= 0 || src.Status != snapshot.StatusOK {
			continue
		}
		var parts []string
		if src.Unclassified > 0 {
			parts = append(parts, fmt.Sprintf("%s without objectClass or anything else that tells their kind", count(src.Unclassified)))
		}
		if src.DNOnly > 0 {
			parts = append(parts, fmt.Sprintf("%s carrying only their DN", count(src.DNOnly)))
		}
		msg := fmt.Sprintf("%s of the %s entries in %s were not classified and not judged (%s)", count(n), count(src.Objects), src.Name, strings.Join(parts, ", "))
		for _, a := range src.Areas {
			if a == snapshot.AreaDirectory {
				out[string(a)] = append(out[string(a)], msg)
			}
		}
	}
	return out
}

func rulesAt(rep *model.Report, sev model.Severity) string {
	seen := map[string]bool{}
	var ids []string
	for _, f := range rep.Findings {
		if f.Severity == sev && f.Suppressed == nil && !seen[f.RuleID] {
			seen[f.RuleID] = true
			ids = append(ids, f.RuleID)
		}
	}
	sort.Strings(ids)
	return strings.Join(ids, ", ")
}
