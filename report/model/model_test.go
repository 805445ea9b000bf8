package model

import (
	"strings"
	"testing"
)

func TestFingerprint(t *testing.T) {
	a := Fingerprint("DIR-005", "directory", "a@example.com", "a@example.com")
	if len(a) != 32 || a != Fingerprint("DIR-005", "directory", "a@example.com", "a@example.com") {
		t.Errorf("fingerprint not stable: %s", a)
	}
	// Field boundaries matter: ("ab","c") and ("a","bc") differ.
	if Fingerprint("R", "k", "ab", "c") == Fingerprint("R", "k", "a", "bc") {
		t.Error("fingerprint ignores field boundaries")
	}
}

func TestSortFindings(t *testing.T) {
	fs := []Finding{
		{RuleID: "DIR-002", Severity: "high", Object: Object{ID: "b"}},
		{RuleID: "DIR-001", Severity: "high", Object: Object{ID: "z"}},
		{RuleID: "DIR-009", Severity: "critical", Object: Object{ID: "a"}},
		{RuleID: "DIR-001", Severity: "high", Object: Object{ID: "a"}},
	}
	SortFindings(fs)
	var got []string
	for _, f := range fs {
		got = append(got, f.RuleID+"/"+f.Object.ID)
	}
	if strings.Join(got, " ") != "DIR-009/a DIR-001/a DIR-001/z DIR-002/b" {
		t.Errorf("order %v", got)
	}
}
