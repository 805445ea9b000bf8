package mailbox

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/preflight-scan/preflight/snapshot"
)

// FuzzExports maps arbitrary CSV through each export's rows (mailbox
// statistics, folder statistics, the usage report): no panic, every
// error is bad input, and no record has a negative size or count.
func FuzzExports(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.csv")
	for i, p := range files {
		if b, err := os.ReadFile(p); err == nil && len(b) < 4<<10 {
			f.Add(b, uint8(i))
		}
	}
	f.Add([]byte("DisplayName,ItemCount,TotalItemSize\nA,1,\"1.2 GB (1,288,490,189 bytes)\"\n"), uint8(0))
	f.Add([]byte("Identity,FolderPath,ItemsInFolder,FolderSize\na,/Inbox,3,10 B (10 bytes)\n"), uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, kind uint8) {
		if len(data) > 64<<10 {
			return
		}
		exports := []Export{MailboxStats, FolderStats, MailboxUsage}
		for i, e := range exports {
			if int(kind)%len(exports) != i && kind < 128 {
				continue
			}
			c := &Collector{Export: e, Path: "f.csv", Lenient: kind&1 == 1,
				Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }}
			_, err := c.Collect(context.Background(), snapshot.SinkFunc(func(r *snapshot.Record) error {
				if r.Mailbox != nil && r.Mailbox.TotalBytes < 0 {
					t.Fatalf("negative mailbox size: %+v", r.Mailbox)
				}
				if r.Folder != nil && (r.Folder.Items < 0 || r.Folder.Bytes < 0) {
					t.Fatalf("negative folder figures: %+v", r.Folder)
				}
				return nil
			}))
			if err != nil && !errors.Is(err, snapshot.ErrBadInput) {
				t.Fatalf("error %v is not bad input", err)
			}
		}
	})
}
