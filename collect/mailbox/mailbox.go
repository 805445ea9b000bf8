// Package mailbox reads the mailbox exports an Exchange administrator can
// produce: Get-MailboxStatistics, Get-MailboxFolderStatistics (with or
// without -IncludeAnalysis) and the Microsoft 365 admin center's mailbox
// usage report, each as a CSV file (see package csvin for the dialects
// accepted). Each collector streams one file into Mailbox or Folder
// records; memory does not grow with the number of rows (the folder
// collector holds one mailbox's folders at a time to count subfolders).
package mailbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/preflight-scan/preflight/collect/csvin"
	"github.com/preflight-scan/preflight/progress"
	"github.com/preflight-scan/preflight/snapshot"
)

// Export is the kind of file a collector reads.
type Export int

// The exports.
const (
	// MailboxStats is Get-MailboxStatistics | Export-Csv.
	MailboxStats Export = iota
	// FolderStats is Get-MailboxFolderStatistics | Export-Csv.
	FolderStats
	// MailboxUsage is the Microsoft 365 admin center mailbox usage report.
	MailboxUsage
)

func (e Export) String() string {
	switch e {
	case MailboxStats:
		return "mailbox statistics"
	case FolderStats:
		return "folder statistics"
	case MailboxUsage:
		return "mailbox usage report"
	}
	return "unknown export"
}

// Collector reads one export file.
type Collector struct {
	Export Export
	// Path names the file; it is the source's name in the report.
	Path string
	// Open opens the file; nil opens Path from the file system.
	Open func() (io.ReadCloser, error)
	// Lenient skips malformed rows (counted) instead of failing.
	Lenient bool
	// Encoding decodes a file without a byte-order mark (zero: UTF-8).
	Encoding csvin.Encoding
	// Progress receives progress; nil is quiet.
	Progress *progress.Reporter
}

// Collect streams the file's rows into sink. A malformed file is an input
// error; an unreadable one (missing, permission denied) is a failed source.
func (c *Collector) Collect(ctx context.Context, sink snapshot.Sink) (snapshot.Source, error) {
	start := time.Now()
	src := snapshot.Source{Name: c.Path, Kind: "csv", Areas: []snapshot.Area{snapshot.AreaMailbox}, Status: snapshot.StatusOK}
	open := c.Open
	if open == nil {
		open = func() (io.ReadCloser, error) { return os.Open(c.Path) }
	}
	f, err := open()
	if err != nil {
		src.Status, src.Error = snapshot.StatusError, fmt.Sprintf("open %s: %v", c.Export, err)
		return src, nil
	}
	defer func() { _ = f.Close() }() // read-only
	t, err := csvin.OpenWith(c.Path, f, csvin.Options{Lenient: c.Lenient, Encoding: c.Encoding})
	if err != nil {
		return src, err
	}
	r := &run{c: c, t: t, sink: sink, src: &src}
	switch c.Export {
	case MailboxStats:
		err = r.mailboxStats(ctx)
	case FolderStats:
		err = r.folderStats(ctx)
	case MailboxUsage:
		err = r.usage(ctx)
	default:
		err = fmt.Errorf("mailbox: unknown export %d", c.Export)
	}
	src.SkippedRows = t.Skipped()
	src.DurationMS = time.Since(start).Milliseconds()
	if errors.Is(err, errInterrupted) {
		src.Status, src.Error = snapshot.StatusError, "interrupted: "+ctx.Err().Error()
		err = nil
	}
	if src.SkippedRows > 0 {
		src.Notes = append(src.Notes, fmt.Sprintf("%d malformed row(s) skipped (--lenient)", src.SkippedRows))
	}
	if err == nil && src.Status == snapshot.StatusOK {
		holds := snapshot.HoldsMailboxes
		if c.Export == FolderStats {
			holds = snapshot.HoldsFolders
		}
		src.Notes = append(src.Notes, t.SourceNotes(holds)...)
		if src.Objects == 0 {
			src.Holds = holds
		}
	}
	c.Progress.Done(c.Path, src.Objects, 0, src.Status)
	return src, err
}

var errInterrupted = errors.New("interrupted")

type run struct {
	c    *Collector
	t    *csvin.Table
	sink snapshot.Sink
	src  *snapshot.Source
	n    int64
}

// rows calls fn for every row, checking for cancellation.
func (r *run) rows(ctx context.Context, fn func(row csvin.Row) error) error {
	for {
		row, err := r.t.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		r.n++
		if r.n%4096 == 0 {
			if ctx.Err() != nil {
				return errInterrupted
			}
			r.c.Progress.Update(r.c.Path, r.src.Objects, 0)
		}
		if err := fn(row); err != nil {
			return err
		}
	}
}

func (r *run) put(rec *snapshot.Record) error {
	if err := r.sink.Put(rec); err != nil {
		return fmt.Errorf("mailbox: %s: %w", r.c.Path, err)
	}
	r.src.Objects++
	return nil
}

func (r *run) origin(line int) string { return fmt.Sprintf("%s:%d", r.c.Path, line) }

// size parses a size column; ok false means the row was dropped (lenient)
// and err non-nil aborts.
func size(row csvin.Row, col int) (n int64, ok bool, err error) {
	v := row.Get(col)
	n, perr := ParseSize(v)
	if perr != nil {
		return 0, false, row.Bad(col, perr.Error())
	}
	return n, true, nil
}

func count(row csvin.Row, col int) (n int64, ok bool, err error) {
	n, perr := ParseCount(row.Get(col))
	if perr != nil {
		return 0, false, row.Bad(col, perr.Error())
	}
	return n, true, nil
}

func (r *run) mailboxStats(ctx context.Context) error {
	t := r.t
	idCol := t.Col("Identity")
	nameCol := t.Col("DisplayName", "Display Name")
	guidCol := t.Col("MailboxGuid", "ExchangeGuid")
	smtpCol := t.Col("PrimarySmtpAddress", "PrimarySMTP", "EmailAddress", "UserPrincipalName", "WindowsEmailAddress")
	if idCol < 0 && nameCol < 0 && guidCol < 0 && smtpCol < 0 {
		_, err := t.Require("Identity", "MailboxGuid", "DisplayName", "PrimarySmtpAddress")
		return err
	}
	legCol := t.Col("LegacyDN", "LegacyExchangeDN")
	sizeCol, err := t.Require("TotalItemSize")
	if err != nil {
		return err
	}
	itemsCol, err := t.Require("ItemCount")
	if err != nil {
		return err
	}
	delCol := t.Col("TotalDeletedItemSize")
	typeCol := t.Col("MailboxTypeDetail", "RecipientTypeDetails")
	return r.rows(ctx, func(row csvin.Row) error {
		m := &snapshot.Mailbox{
			DisplayName: row.Get(nameCol),
			PrimarySMTP: row.Get(smtpCol),
			LegacyDN:    row.Get(legCol),
			MailboxGUID: strings.ToLower(strings.Trim(row.Get(guidCol), "{}")),
			TypeDetail:  row.Get(typeCol),
			Origin:      r.origin(row.Line),
		}
		m.Identity = firstNonEmpty(row.Get(idCol), m.MailboxGUID, m.PrimarySMTP, m.DisplayName)
		if m.Identity == "" {
			return row.Bad(idCol, "mailbox has no Identity, MailboxGuid, address or display name")
		}
		var ok bool
		var err error
		if m.TotalBytes, ok, err = size(row, sizeCol); !ok {
			return err
		}
		if m.ItemCount, ok, err = count(row, itemsCol); !ok {
			return err
		}
		if delCol >= 0 && row.Get(delCol) != "" {
			if m.DeletedBytes, ok, err = size(row, delCol); !ok {
				return err
			}
			m.TotalBytes += m.DeletedBytes
			m.DeletedKnown = true
		}
		return r.put(&snapshot.Record{Mailbox: m})
	})
}

func (r *run) usage(ctx context.Context) error {
	t := r.t
	upnCol, err := t.Require("User Principal Name", "UserPrincipalName")
	if err != nil {
		return err
	}
	nameCol := t.Col("Display Name", "DisplayName")
	sizeCol, err := t.Require("Storage Used (Byte)", "StorageUsedInBytes", "Storage Used (Bytes)")
	if err != nil {
		return err
	}
	itemsCol, err := t.Require("Item Count", "ItemCount")
	if err != nil {
		return err
	}
	delCol := t.Col("Is Deleted", "IsDeleted")
	// Recoverable Items: its size, and the quota in force (30 GB, 100 GB
	// on hold). Storage Used is the items alone.
	riCol := t.Col("Deleted Item Size (Byte)", "DeletedItemSizeInBytes")
	riQuotaCol := t.Col("Deleted Item Quota (Byte)", "DeletedItemQuotaInBytes")
	typeCol := t.Col("Recipient Type", "RecipientType")
	archCol := t.Col("Has Archive", "HasArchive")
	deleted := 0
	err = r.rows(ctx, func(row csvin.Row) error {
		if strings.EqualFold(row.Get(delCol), "true") {
			deleted++
			return nil
		}
		m := &snapshot.Mailbox{
			Identity:    row.Get(upnCol),
			DisplayName: row.Get(nameCol),
			PrimarySMTP: row.Get(upnCol),
			TypeDetail:  row.Get(typeCol),
			Origin:      r.origin(row.Line),
		}
		if v := strings.ToLower(strings.TrimSpace(row.Get(archCol))); v == "true" || v == "false" {
			m.HasArchive = v
		}
		if m.Identity == "" {
			return row.Bad(upnCol, "empty user principal name")
		}
		var ok bool
		var err error
		if row.Get(sizeCol) != "" {
			if m.TotalBytes, ok, err = size(row, sizeCol); !ok {
				return err
			}
		}
		if row.Get(itemsCol) != "" {
			if m.ItemCount, ok, err = count(row, itemsCol); !ok {
				return err
			}
		}
		if riCol >= 0 && row.Get(riCol) != "" {
			if m.DeletedBytes, ok, err = size(row, riCol); !ok {
				return err
			}
			m.TotalBytes += m.DeletedBytes
			m.DeletedKnown = true
		}
		if riQuotaCol >= 0 && row.Get(riQuotaCol) != "" {
			if m.RecoverableQuotaBytes, ok, err = size(row, riQuotaCol); !ok {
				return err
			}
		}
		return r.put(&snapshot.Record{Mailbox: m})
	})
	if deleted > 0 {
		r.src.Notes = append(r.src.Notes, fmt.Sprintf("%d deleted mailbox(es) in the usage report left out", deleted))
	}
	return err
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
