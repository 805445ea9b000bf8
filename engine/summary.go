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

	// Coverage: an area is assessed when a source covers it; failed when
	// one of its sources failed.
	assessed := map[string]bool{}
	failed := map[string]bool{}
	for _, src := range rep.Sources {
		for _, a := range src.Areas {
			switch src.Status {
			case snapshot.StatusOK:
				assessed[string(a)] = true
			case snapshot.StatusError:
				failed[string(a)] = true
			}
		}
	}
	s.Coverage = model.Coverage{Assessed: []string{}, NotAssessed: []string{}, Failed: []string{}}
	for _, a := range snapshot.Areas() {
		switch {
		case failed[string(a)]:
			s.Coverage.Failed = append(s.Coverage.Failed, string(a))
		case assessed[string(a)]:
			s.Coverage.Assessed = append(s.Coverage.Assessed, string(a))
		default:
			s.Coverage.NotAssessed = append(s.Coverage.NotAssessed, string(a))
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
	case len(errored) > 0 || rep.Scan.Interrupted || sourceFailed:
		s.Verdict = model.VerdictIncomplete
		if rep.Scan.Interrupted {
			reasons = append(reasons, "the scan was interrupted before it finished")
		}
		for _, src := range rep.Sources {
			if src.Status == snapshot.StatusError {
				reasons = append(reasons, fmt.Sprintf("source %s (%s) failed: %s", src.Name, src.Kind, src.Error))
			}
		}
		if len(errored) > 0 {
			sort.Strings(errored)
			reasons = append(reasons, fmt.Sprintf("%d check(s) could not be evaluated: %s", len(errored), strings.Join(errored, ", ")))
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
	if len(s.Coverage.NotAssessed) > 0 {
		reasons = append(reasons, "not assessed (no source given): "+strings.Join(s.Coverage.NotAssessed, ", "))
	}
	s.VerdictReasons = reasons
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
