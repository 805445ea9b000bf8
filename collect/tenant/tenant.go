// Package tenant reads the exports a tenant-to-tenant move is planned from:
// Get-EXORecipient (or on-premises Get-Recipient), Get-EXOMailbox,
// Get-MgUser and Get-EXOMailboxStatistics -Archive, each as a CSV file
// (see package csvin for the dialects accepted). The rows of one side's
// files are matched by ExchangeGuid, user principal name, primary SMTP
// address or Identity and emitted as one Recipient record per object, in a
// stable order; the source status says how many rows matched nothing.
package tenant

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/preflight-scan/preflight/collect/csvin"
	"github.com/preflight-scan/preflight/snapshot"
)

// Collector reads one side's exports. Any path may be empty.
type Collector struct {
	// Side is snapshot.SideSource or snapshot.SideTarget.
	Side       string
	Recipients string
	Mailboxes  string
	Users      string
	Archive    string
	// Open opens a file; nil opens it from the file system.
	Open func(path string) (io.ReadCloser, error)
	// Lenient skips malformed rows (counted) instead of failing.
	Lenient bool
	// Encoding decodes a file without a byte-order mark (zero: UTF-8).
	Encoding csvin.Encoding
}

// Name is the source's name: the files read, comma-separated.
func (c *Collector) Name() string {
	var names []string
	for _, p := range []string{c.Recipients, c.Mailboxes, c.Users, c.Archive} {
		if p != "" {
			names = append(names, p)
		}
	}
	return strings.Join(names, ", ")
}

// Collect reads the files, matches their rows and puts the merged
// Recipient records into sink. A malformed file is an input error; an
// unreadable one makes the source fail.
func (c *Collector) Collect(ctx context.Context, sink snapshot.Sink) (snapshot.Source, error) {
	start := time.Now()
	src := snapshot.Source{Name: c.Name(), Kind: "csv", Areas: []snapshot.Area{snapshot.AreaMailbox}, Status: snapshot.StatusOK}
	m := newMerger(c.Side)
	for _, f := range []struct {
		path string
		kind export
	}{{c.Recipients, exRecipients}, {c.Mailboxes, exMailboxes}, {c.Users, exUsers}, {c.Archive, exArchive}} {
		if f.path == "" {
			continue
		}
		if why := interrupted(ctx); why != "" {
			src.Status, src.Error = snapshot.StatusError, why
			return src, nil
		}
		skipped, unmatched, rows, notes, err := c.read(f.path, f.kind, m)
		src.SkippedRows += skipped
		src.Notes = append(src.Notes, notes...)
		var ie *snapshot.InputError
		if err != nil && !errors.As(err, &ie) {
			src.Status, src.Error = snapshot.StatusError, err.Error()
			return src, nil
		}
		if err != nil {
			return src, err
		}
		if unmatched > 0 {
			src.Notes = append(src.Notes, fmt.Sprintf("%s: %d of %d row(s) matched no object of the files before it (by ExchangeGuid, UPN, primary SMTP or Identity)", f.path, unmatched, rows))
		}
	}
	if src.SkippedRows > 0 {
		src.Notes = append(src.Notes, fmt.Sprintf("%d malformed row(s) skipped (--lenient)", src.SkippedRows))
	}
	for _, r := range m.sorted() {
		if err := sink.Put(&snapshot.Record{Recipient: r}); err != nil {
			return src, fmt.Errorf("tenant: %w", err)
		}
		src.Objects++
	}
	if src.Objects == 0 {
		src.Holds = snapshot.HoldsRecipients
	}
	src.DurationMS = time.Since(start).Milliseconds()
	return src, nil
}

// interrupted says why ctx ended, "" while it runs.
func interrupted(ctx context.Context) string {
	select {
	case <-ctx.Done():
		return "interrupted: " + context.Cause(ctx).Error()
	default:
		return ""
	}
}

type export int

const (
	exRecipients export = iota
	exMailboxes
	exUsers
	exArchive
)

func (e export) String() string {
	return [...]string{"recipients", "mailboxes", "users", "archive-stats"}[e]
}

// read reads one file into m. It returns the rows skipped, the rows that
// matched nothing read before, the rows read and the file's notes.
func (c *Collector) read(path string, kind export, m *merger) (skipped, unmatched, rows int64, notes []string, err error) {
	open := c.Open
	if open == nil {
		open = func(p string) (io.ReadCloser, error) { return os.Open(p) }
	}
	f, err := open(path)
	if err != nil {
		return 0, 0, 0, nil, fmt.Errorf("open %s export: %w", kind, err)
	}
	defer func() { _ = f.Close() }() // read-only
	t, err := csvin.OpenWith(path, f, csvin.Options{Lenient: c.Lenient, Encoding: c.Encoding})
	if err != nil {
		return 0, 0, 0, nil, err
	}
	cols := columnsOf(t)
	if cols.empty() {
		_, err := t.Require("Identity", "ExchangeGuid", "UserPrincipalName", "PrimarySmtpAddress")
		return 0, 0, 0, nil, err
	}
	for {
		row, err := t.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return t.Skipped(), unmatched, rows, nil, err
		}
		r, ok, err := cols.recipient(row, path, kind)
		if err != nil {
			return t.Skipped(), unmatched, rows, nil, err
		}
		if !ok {
			continue
		}
		rows++
		if !m.add(r, kind, kind != exRecipients && m.len() > 0) {
			unmatched++
		}
	}
	return t.Skipped(), unmatched, rows, t.SourceNotes(kind.holds()), nil
}

// holds is what a file of this kind lists, for "no users in FILE".
func (e export) holds() string {
	return [...]string{"recipients", "mailboxes", "users", "archive mailboxes"}[e]
}
