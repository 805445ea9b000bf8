package mailbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/preflight-scan/preflight/internal/golden"
	"github.com/preflight-scan/preflight/snapshot"
)

// collect runs a collector over a fixture and returns the records and the
// source as JSON lines (durations zeroed).
func collect(t *testing.T, file string, kind Export, lenient bool) (string, snapshot.Source, error) {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	c := &Collector{Export: kind, Path: filepath.Join("testdata", file), Lenient: lenient}
	src, err := c.Collect(context.Background(), snapshot.SinkFunc(func(r *snapshot.Record) error { return enc.Encode(r) }))
	src.DurationMS = 0
	_ = enc.Encode(snapshot.Record{Source: &src})
	return buf.String(), src, err
}

func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		file string
		kind Export
	}{
		{"mailbox-stats-de-utf16le.csv", MailboxStats},
		{"mailbox-stats-utf16be.csv", MailboxStats},
		{"folder-stats-de.csv", FolderStats},
		{"folder-stats-tab.csv", FolderStats},
		{"mailbox-usage.csv", MailboxUsage},
	} {
		t.Run(tc.file, func(t *testing.T) {
			got, _, err := collect(t, tc.file, tc.kind, false)
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join("testdata", strings.TrimSuffix(tc.file, ".csv")+".golden"), []byte(got))
		})
	}
}

// TestGermanUTF16 checks what a consultant would look at first: the byte
// counts are exact, the embedded separator and newline survive, and the
// two UTF-16 byte orders give the same mailboxes.
func TestGermanUTF16(t *testing.T) {
	var mbx []*snapshot.Mailbox
	c := &Collector{Export: MailboxStats, Path: "testdata/mailbox-stats-de-utf16le.csv"}
	src, err := c.Collect(context.Background(), snapshot.SinkFunc(func(r *snapshot.Record) error {
		mbx = append(mbx, r.Mailbox)
		return nil
	}))
	if err != nil || src.Status != snapshot.StatusOK || len(mbx) != 3 {
		t.Fatalf("err %v, source %+v, %d mailboxes", err, src, len(mbx))
	}
	if mbx[0].TotalBytes != 26856384512+1572864 || mbx[0].DeletedBytes != 1572864 {
		t.Errorf("Anna Schmidt: total %d deleted %d", mbx[0].TotalBytes, mbx[0].DeletedBytes)
	}
	if mbx[0].MailboxGUID != "d318c009-6d3c-4de1-bcc3-c7ac3e089894" {
		t.Errorf("guid %q: braces should be dropped", mbx[0].MailboxGUID)
	}
	if mbx[1].DisplayName != "Müller; Hans\n(Vertrieb)" {
		t.Errorf("embedded separator/newline: %q", mbx[1].DisplayName)
	}
	if mbx[2].ItemCount != 1234567 || mbx[2].TotalBytes != 1325421312 {
		t.Errorf("Jörg Weiß: %d items, %d bytes", mbx[2].ItemCount, mbx[2].TotalBytes)
	}
	if !strings.HasSuffix(mbx[2].Origin, ":6") {
		t.Errorf("origin %q: want line 6 (the #TYPE line, the header and a two-line record come first)", mbx[2].Origin)
	}
}

func TestGermanFolders(t *testing.T) {
	var fs []*snapshot.Folder
	c := &Collector{Export: FolderStats, Path: "testdata/folder-stats-de.csv"}
	if _, err := c.Collect(context.Background(), snapshot.SinkFunc(func(r *snapshot.Record) error {
		fs = append(fs, r.Folder)
		return nil
	})); err != nil {
		t.Fatal(err)
	}
	byPath := map[string]*snapshot.Folder{}
	for _, f := range fs {
		byPath[f.Mailbox+"|"+f.Path] = f
	}
	anna := "corp.northwind.local/Northwind/Staff/Anna Schmidt|"
	for path, typ := range map[string]string{"/Posteingang": "Inbox", "/Gesendete Elemente": "SentItems", "/Gelöschte Elemente": "DeletedItems", "/Kalender": "Calendar", "/Kontakte": "Contacts", "/Posteingang/Kunden": "User Created", "/": "Root"} {
		f := byPath[anna+path]
		if f == nil {
			t.Errorf("folder %s missing", path)
			continue
		}
		if f.Type != typ {
			t.Errorf("%s: type %q, want %q", path, f.Type, typ)
		}
	}
	if f := byPath[anna+"/Posteingang"]; f != nil && (f.Subfolders != 1 || f.LargestItemBytes != 158334976 || f.Items != 20000) {
		t.Errorf("Posteingang: %+v", f)
	}
	if f := byPath["corp.northwind.local/Northwind/Staff/Anouk Dubois|/Boîte de réception"]; f == nil || f.Type != "Inbox" {
		t.Errorf("French inbox: %+v", f)
	}
}

func TestFolderTypeFallback(t *testing.T) {
	for path, want := range map[string]string{"/Inbox": "Inbox", "/Posteingang": "Inbox", "/Boîte de réception": "Inbox", "/Elementos enviados": "SentItems",
		"/Inbox/Posteingang": "User Created", "/": "Root", "/Projekte": "User Created", "/KALENDER": "Calendar"} {
		if got := TypeFromPath(path); got != want {
			t.Errorf("TypeFromPath(%q) = %q, want %q", path, got, want)
		}
	}
	if got := IdentityOfFolder(`contoso.com/Users/A\B\Inbox\Sub`, "/Inbox/Sub"); got != `contoso.com/Users/A\B` {
		t.Errorf("IdentityOfFolder with a backslash in the mailbox identity: %q", got)
	}
}

func TestBadInput(t *testing.T) {
	for _, tc := range []struct {
		file     string
		line     int
		column   string
		contains string
	}{
		{"bad-truncated.csv", 4, "", "truncated"},
		{"bad-fields.csv", 3, "TotalItemSize", "2 fields"},
		{"bad-size.csv", 3, "TotalItemSize", "1.5 GB"},
		{"bad-column.csv", 0, "ItemCount", "columns found: DisplayName, Items, TotalItemSize, Identity"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			_, _, err := collect(t, tc.file, MailboxStats, false)
			var ie *snapshot.InputError
			if !errors.As(err, &ie) || !errors.Is(err, snapshot.ErrBadInput) {
				t.Fatalf("err = %v, want an input error", err)
			}
			if ie.Line != tc.line || ie.Column != tc.column || !strings.Contains(ie.Error(), tc.contains) || !strings.Contains(ie.Error(), tc.file) {
				t.Errorf("error %q: want line %d, column %q, containing %q and the file name", ie.Error(), tc.line, tc.column, tc.contains)
			}
		})
	}
}

func TestLenient(t *testing.T) {
	for _, file := range []string{"bad-fields.csv", "bad-size.csv", "bad-truncated.csv"} {
		_, src, err := collect(t, file, MailboxStats, true)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if src.SkippedRows != 1 || src.Objects != 2 || src.Status != snapshot.StatusOK {
			t.Errorf("%s: %+v, want 2 objects and 1 skipped row", file, src)
		}
	}
	// A missing column is not a row problem: lenient does not hide it.
	if _, _, err := collect(t, "bad-column.csv", MailboxStats, true); !errors.Is(err, snapshot.ErrBadInput) {
		t.Errorf("missing column with --lenient: err = %v", err)
	}
}

func TestMissingFileIsFailedSource(t *testing.T) {
	c := &Collector{Export: MailboxStats, Path: "testdata/no-such-file.csv"}
	src, err := c.Collect(context.Background(), snapshot.SinkFunc(func(*snapshot.Record) error { return nil }))
	if err != nil || src.Status != snapshot.StatusError || !strings.Contains(src.Error, "no-such-file") {
		t.Errorf("err %v, source %+v", err, src)
	}
}
