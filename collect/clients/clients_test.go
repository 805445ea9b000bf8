package clients

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/preflight-scan/preflight/snapshot"
)

func read(t *testing.T, file string) ([]snapshot.ClientInstall, snapshot.Source, error) {
	t.Helper()
	var out []snapshot.ClientInstall
	c := &Collector{Path: "testdata/" + file}
	src, err := c.Collect(context.Background(), snapshot.SinkFunc(func(r *snapshot.Record) error {
		out = append(out, *r.Client)
		return nil
	}))
	return out, src, err
}

func TestMAPInventory(t *testing.T) {
	got, src, err := read(t, "map-inventory.csv")
	if err != nil || src.Status != snapshot.StatusOK {
		t.Fatalf("%v %+v", err, src)
	}
	// The row for PC03 has no product (MAP could not inventory it).
	if len(got) != 3 || got[0].Host != "PC01.corp.northwind.local" || got[0].Product != "Microsoft Office Professional Plus 2007" || got[0].Version != "12.0.6425.1000" || got[2].Host != "PC02" {
		t.Errorf("%+v", got)
	}
	if !strings.HasSuffix(got[2].Origin, "map-inventory.csv:4") {
		t.Errorf("origin %q", got[2].Origin)
	}
}

func TestPlain(t *testing.T) {
	got, _, err := read(t, "plain.csv")
	if err != nil || len(got) != 2 || got[0].Product != "Microsoft Office 2008 for Mac" || got[1].Version != "1.5.0.12" {
		t.Errorf("%+v %v", got, err)
	}
}

func TestMissingColumn(t *testing.T) {
	_, _, err := read(t, "bad-columns.csv")
	var ie *snapshot.InputError
	if !errors.As(err, &ie) || !strings.Contains(ie.Column, "version") || !strings.Contains(ie.Msg, "Hostname, Software") {
		t.Errorf("err = %v", err)
	}
}
