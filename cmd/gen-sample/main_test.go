package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/preflight-scan/preflight/collect/ldif"
	"github.com/preflight-scan/preflight/snapshot"
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

// TestSampleParses reads the committed sample with the LDIF collector and
// checks what the documentation promises about it.
func TestSampleParses(t *testing.T) {
	c := ldif.NewCollector("directory.ldif", func() (io.ReadCloser, error) {
		return os.Open("../../testdata/sample/directory.ldif")
	}, nil)
	kinds := map[snapshot.ObjectKind]int{}
	guids := map[string]bool{}
	var names strings.Builder
	src, err := c.Collect(context.Background(), snapshot.SinkFunc(func(r *snapshot.Record) error {
		o := r.Dir
		kinds[o.Kind]++
		g := o.First("objectguid")
		if len(g) != 36 || guids[g] {
			t.Errorf("%s: objectGUID %q missing, malformed or repeated", o.DN, g)
		}
		guids[g] = true
		names.WriteString(o.First("displayname") + "\n")
		return nil
	}))
	if err != nil || src.Status != snapshot.StatusOK {
		t.Fatalf("collect: %v %+v", err, src)
	}
	if src.Objects < 250 || src.Objects > 400 {
		t.Errorf("%d objects, want a company of 250-400", src.Objects)
	}
	for _, k := range []snapshot.ObjectKind{snapshot.KindDomain, snapshot.KindUser, snapshot.KindContact, snapshot.KindGroup, snapshot.KindComputer} {
		if kinds[k] == 0 {
			t.Errorf("no %s in the sample", k)
		}
	}
	for _, n := range []string{"Иван Петров", "Ольга Смирнова", "Γιώργος Παπαδόπουλος", "李娜", "田中 太郎", "José Núñez", "Zoë Ängström"} {
		if !strings.Contains(names.String(), n) {
			t.Errorf("no one named %q", n)
		}
	}
}
