package model

import (
	"fmt"
	"strings"
)

// Severity is how bad a finding is: critical, high, medium, low or info.
type Severity string

// Severities, most severe first.
const (
	SeverityCritical Severity = "critical"
	SeverityHigh     Severity = "high"
	SeverityMedium   Severity = "medium"
	SeverityLow      Severity = "low"
	SeverityInfo     Severity = "info"
)

// Severities lists the severities from most to least severe.
func Severities() []Severity {
	return []Severity{SeverityCritical, SeverityHigh, SeverityMedium, SeverityLow, SeverityInfo}
}

// Rank orders severities: critical 5 ... info 1, anything else 0.
func (s Severity) Rank() int {
	switch s {
	case SeverityCritical:
		return 5
	case SeverityHigh:
		return 4
	case SeverityMedium:
		return 3
	case SeverityLow:
		return 2
	case SeverityInfo:
		return 1
	}
	return 0
}

// Valid reports whether s is one of Severities.
func (s Severity) Valid() bool { return s.Rank() > 0 }

// ParseSeverity returns s as a Severity, or an error naming the valid
// severities.
func ParseSeverity(s string) (Severity, error) {
	if v := Severity(s); v.Valid() {
		return v, nil
	}
	return "", invalid(s, "severity", Severities())
}

// UnmarshalText accepts only a valid severity.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Status is a check's outcome.
type Status string

// Check statuses.
const (
	// StatusPass: the check judged its input and found nothing above info.
	StatusPass Status = "pass"
	// StatusFail: the check found a problem above info.
	StatusFail Status = "fail"
	// StatusError: a source of the check's areas failed or the check could
	// not look.
	StatusError Status = "error"
	// StatusNotApplicable: the profile defines no threshold for the rule.
	StatusNotApplicable Status = "not-applicable"
	// StatusSkipped: no source covered the check's areas, or the input it
	// judges was not given.
	StatusSkipped Status = "skipped"
)

// Statuses lists the check statuses.
func Statuses() []Status {
	return []Status{StatusPass, StatusFail, StatusError, StatusNotApplicable, StatusSkipped}
}

// Valid reports whether s is one of Statuses.
func (s Status) Valid() bool {
	for _, v := range Statuses() {
		if s == v {
			return true
		}
	}
	return false
}

// ParseStatus returns s as a Status, or an error naming the valid ones.
func ParseStatus(s string) (Status, error) {
	if v := Status(s); v.Valid() {
		return v, nil
	}
	return "", invalid(s, "check status", Statuses())
}

// UnmarshalText accepts only a valid check status.
func (s *Status) UnmarshalText(b []byte) error {
	v, err := ParseStatus(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Verdict is the report's headline: whether the organisation is ready.
type Verdict string

// Verdicts, in the order the engine decides them (the first that applies).
const (
	VerdictIncomplete Verdict = "incomplete"
	VerdictBlocked    Verdict = "blocked"
	VerdictAtRisk     Verdict = "at-risk"
	VerdictReady      Verdict = "ready"
)

// Verdicts lists the verdicts from best to worst.
func Verdicts() []Verdict {
	return []Verdict{VerdictReady, VerdictAtRisk, VerdictBlocked, VerdictIncomplete}
}

// Valid reports whether v is one of Verdicts.
func (v Verdict) Valid() bool {
	for _, w := range Verdicts() {
		if v == w {
			return true
		}
	}
	return false
}

// ParseVerdict returns s as a Verdict, or an error naming the valid ones.
func ParseVerdict(s string) (Verdict, error) {
	if v := Verdict(s); v.Valid() {
		return v, nil
	}
	return "", invalid(s, "verdict", Verdicts())
}

// UnmarshalText accepts only a valid verdict.
func (v *Verdict) UnmarshalText(b []byte) error {
	w, err := ParseVerdict(string(b))
	if err != nil {
		return err
	}
	*v = w
	return nil
}

func invalid[T ~string](s, what string, valid []T) error {
	names := make([]string, len(valid))
	for i, v := range valid {
		names[i] = string(v)
	}
	return fmt.Errorf("%q is not a %s (%s)", s, what, strings.Join(names, ", "))
}
