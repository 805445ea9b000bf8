package main

import (
	"bytes"
	"os"
	"testing"
)

// TestCommittedSampleIsCurrent fails when testdata/sample/directory.ldif
// was not regenerated after a change to this program.
func TestCommittedSampleIsCurrent(t *testing.T) {
	var a, b bytes.Buffer
	if err := generate(&a); err != nil {
		t.Fatal(err)
	}
	if err := generate(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("two runs of the generator differ")
	}
	committed, err := os.ReadFile("../../testdata/sample/directory.ldif")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), committed) {
		t.Fatal("testdata/sample/directory.ldif is out of date: run go run ./cmd/gen-sample and commit it")
	}
}
