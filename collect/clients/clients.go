// Package clients reads a client software inventory: one row per product
// installed on a host, from the Microsoft Assessment and Planning (MAP)
// Toolkit's inventory workbook saved as CSV, or from a plain
// host,product,version CSV (for example a PowerShell export of the
// registry's Uninstall keys). See docs/mailbox-exports.md for the columns
// accepted.
package clients

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/preflight-scan/preflight/collect/csvin"
	"github.com/preflight-scan/preflight/progress"
	"github.com/preflight-scan/preflight/snapshot"
)

// Column spellings accepted, first the plain CSV's, then MAP Toolkit's and
// other inventory tools'.
var (
	hostColumns    = []string{"host", "hostname", "Host Name", "Computer Name", "ComputerName", "Computer", "Machine Name", "Device Name", "DNS Host Name", "PSComputerName", "Name0"}
	productColumns = []string{"product", "Product Name", "Application Name", "Application", "Software Name", "Software", "DisplayName", "Display Name", "ARP Display Name", "Name"}
	versionColumns = []string{"version", "Product Version", "Application Version", "Software Version", "DisplayVersion", "Display Version", "Version Number", "ProductVersion0"}
)

// Collector reads one inventory file.
type Collector struct {
	Path    string
	Open    func() (io.ReadCloser, error)
	Lenient bool
	// Encoding decodes a file without a byte-order mark (zero: UTF-8).
	Encoding csvin.Encoding
	Progress *progress.Reporter
}

// Collect streams the inventory rows into ClientInstall records.
func (c *Collector) Collect(ctx context.Context, sink snapshot.Sink) (snapshot.Source, error) {
	start := time.Now()
	src := snapshot.Source{Name: c.Path, Kind: "csv", Areas: []snapshot.Area{snapshot.AreaClients}, Status: snapshot.StatusOK}
	open := c.Open
	if open == nil {
		open = func() (io.ReadCloser, error) { return os.Open(c.Path) }
	}
	f, err := open()
	if err != nil {
		src.Status, src.Error = snapshot.StatusError, fmt.Sprintf("open client inventory: %v", err)
		return src, nil
	}
	defer func() { _ = f.Close() }() // read-only
	t, err := csvin.OpenWith(c.Path, f, csvin.Options{Lenient: c.Lenient, Encoding: c.Encoding})
	if err != nil {
		return src, err
	}
	hostCol, err := t.Require(hostColumns...)
	if err != nil {
		return src, err
	}
	prodCol, err := t.Require(productColumns...)
	if err != nil {
		return src, err
	}
	verCol, err := t.Require(versionColumns...)
	if err != nil {
		return src, err
	}
	var n, noProduct int64
	for {
		row, err := t.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return src, err
		}
		n++
		if n%4096 == 0 {
			if ctx.Err() != nil {
				src.Status, src.Error = snapshot.StatusError, "interrupted: "+ctx.Err().Error()
				break
			}
			c.Progress.Update(c.Path, src.Objects, 0)
		}
		ci := &snapshot.ClientInstall{Host: row.Get(hostCol), Product: row.Get(prodCol), Version: row.Get(verCol), Origin: fmt.Sprintf("%s:%d", c.Path, row.Line)}
		if ci.Host == "" {
			if err := row.Bad(hostCol, "empty host name"); err != nil {
				return src, err
			}
			continue
		}
		if ci.Product == "" {
			noProduct++ // MAP writes hosts it could not inventory with no product
			continue
		}
		if err := sink.Put(&snapshot.Record{Client: ci}); err != nil {
			return src, fmt.Errorf("clients: %s: %w", c.Path, err)
		}
		src.Objects++
	}
	src.SkippedRows = t.Skipped()
	if src.SkippedRows > 0 {
		src.Notes = append(src.Notes, fmt.Sprintf("%d malformed row(s) skipped (--lenient)", src.SkippedRows))
	}
	if noProduct > 0 {
		src.Notes = append(src.Notes, fmt.Sprintf("%d row(s) name a host and no product (not inventoried): left out", noProduct))
	}
	if src.Status == snapshot.StatusOK {
		src.Notes = append(src.Notes, t.SourceNotes(snapshot.HoldsClients)...)
		if src.Objects == 0 {
			src.Holds = snapshot.HoldsClients
		}
	}
	src.DurationMS = time.Since(start).Milliseconds()
	c.Progress.Done(c.Path, src.Objects, 0, src.Status)
	return src, nil
}
