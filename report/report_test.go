package report

import (
	"errors"
	"strings"
	"testing"

	"github.com/preflight-scan/preflight/snapshot"
)

func TestParseRefusesOtherSchemaVersions(t *testing.T) {
	_, err := Parse("old.json", []byte(`{"schema_version":"0","findings":[]}`))
	if !errors.Is(err, snapshot.ErrBadInput) || !strings.Contains(err.Error(), `schema version "0" is not supported`) {
		t.Errorf("got %v", err)
	}
	if _, err := Parse("x.json", []byte(`{"schema_version":"1"}`)); !errors.Is(err, snapshot.ErrBadInput) {
		t.Errorf("an incomplete report was accepted: %v", err)
	}
}

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

func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"schema_version":"1"}`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, b []byte) {
		rep, err := Parse("fuzz.json", b)
		if err == nil && rep == nil {
			t.Error("nil report without error")
		}
	})
}
