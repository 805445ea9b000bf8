package cli

// The record outputs of a tenant-to-tenant move: addresses.csv and
// migration-batches.csv are written from the snapshot records (teed into
// a migration.Book), not from the report.

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/preflight-scan/preflight/collect/csvin"
	"github.com/preflight-scan/preflight/report/migration"
	"github.com/preflight-scan/preflight/snapshot"
)

// recordFormats are the formats written from the records; preflight
// report, which has only a report, cannot write them.
var recordFormats = []string{"addresses", "batches"}

// wantsRecords reports whether formats holds a record format.
func wantsRecords(formats []string) bool {
	for _, f := range formats {
		if slices.Contains(recordFormats, f) {
			return true
		}
	}
	return false
}

// migrationOptions are the flags of migration-batches.csv.
type migrationOptions struct {
	TargetDomain string
	BatchMapping string
}

// prepareMigration checks the batch flags before any source is read and
// reads the mapping file.
func (s *scanRun) prepareMigration() error {
	if !wantsRecords(s.formats) {
		return nil
	}
	if s.opts.Out == "-" {
		return usagef("--format addresses and batches write files: give --out DIR, not -")
	}
	s.book = migration.NewBook("")
	s.sink = snapshot.Tee(s.sink, s.book)
	if !slices.Contains(s.formats, "batches") {
		return nil
	}
	o := s.opts
	if o.BandwidthMbps <= 0 {
		return usagef("--format batches needs --bandwidth-mbps: a wave holds at most %d mailboxes per Mbit/s [003 PW4.14]", migration.PerMbps)
	}
	if d := strings.ToLower(strings.TrimSpace(o.TargetDomain)); d != "" {
		if !strings.Contains(d, ".") || strings.ContainsAny(d, "@ ,;") {
			return usagef("--target-domain %q: want a domain such as fabrikam.onmicrosoft.com", o.TargetDomain)
		}
		o.TargetDomain = d
	}
	if o.BatchMapping != "" {
		m, err := readBatchMapping(o.BatchMapping, s.env.lenient)
		if err != nil {
			return err
		}
		s.mapping = m
	}
	if !s.evaluate && o.TargetDomain == "" && o.BatchMapping == "" && o.TargetRecipients == "" {
		return usagef("--format batches needs the target addresses: give --target-domain, --batch-mapping or --target-recipients")
	}
	return nil
}

// readBatchMapping reads --batch-mapping: a CSV with a source and a target
// column (SourceAddress/TargetAddress and EmailAddress/TargetEmailAddress
// are accepted too), keyed by the lower-case source address.
func readBatchMapping(path string, lenient bool) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, usagef("--batch-mapping: %v", err)
	}
	defer func() { _ = f.Close() }() // read-only
	t, err := csvin.Open(path, f, lenient)
	if err != nil {
		return nil, err
	}
	src, err := t.Require("source", "SourceAddress", "EmailAddress")
	if err != nil {
		return nil, err
	}
	dst, err := t.Require("target", "TargetAddress", "TargetEmailAddress")
	if err != nil {
		return nil, err
	}
	m := map[string]string{}
	for {
		row, err := t.Next()
		if errors.Is(err, io.EOF) {
			return m, nil
		}
		if err != nil {
			return nil, err
		}
		s, d := row.Get(src), row.Get(dst)
		switch {
		case s == "" && d == "":
			continue
		case !strings.Contains(s, "@"):
			if err := row.Bad(src, fmt.Sprintf("%q is not an address", s)); err != nil {
				return nil, err
			}
			continue
		case !strings.Contains(d, "@"):
			if err := row.Bad(dst, fmt.Sprintf("%q is not an address", d)); err != nil {
				return nil, err
			}
			continue
		}
		if prev, ok := m[strings.ToLower(s)]; ok && !strings.EqualFold(prev, d) {
			if err := row.Bad(src, fmt.Sprintf("%s is mapped twice (%s and %s)", s, prev, d)); err != nil {
				return nil, err
			}
			continue
		}
		m[strings.ToLower(s)] = d
	}
}

// recordRenderers returns the writers of the record formats of a run.
func (s *scanRun) recordRenderers() map[string]func(w io.Writer) error {
	if s.book == nil {
		return nil
	}
	o := s.opts
	return map[string]func(w io.Writer) error{
		"addresses": s.book.WriteAddresses,
		"batches": func(w io.Writer) error {
			err := s.book.WriteBatches(w, migration.BatchOptions{BandwidthMbps: o.BandwidthMbps, TargetDomain: o.TargetDomain,
				Mapping: s.mapping, MappingFile: o.BatchMapping, Migrating: migratingDomains(o.Migrating)})
			if errors.Is(err, migration.ErrNoTarget) {
				return usagef("--format batches: %v", migration.ErrNoTarget)
			}
			return err
		},
	}
}
