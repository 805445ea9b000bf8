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

func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"schema_version":"1"}`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`[`))
	v, err := NewValidator()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		rep, err := parse("fuzz.json", b, v)
		if err == nil && rep == nil {
			t.Error("nil report without error")
		}
	})
}
