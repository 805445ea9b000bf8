package clients

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

// FuzzClients reads arbitrary client inventories: no panic, every error
// is bad input, every install has a host.
func FuzzClients(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.csv")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil && len(b) < 4<<10 {
			f.Add(b, false)
		}
	}
	f.Add([]byte("host,product,version\npc1,Microsoft Office Outlook,11.0.5510\n"), true)
	f.Fuzz(func(t *testing.T, data []byte, lenient bool) {
		if len(data) > 64<<10 {
			return
		}
		c := &Collector{Path: "c.csv", Lenient: lenient, Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }}
		_, err := c.Collect(context.Background(), snapshot.SinkFunc(func(r *snapshot.Record) error {
			if r.Client != nil && r.Client.Host == "" {
				t.Fatalf("install without a host: %+v", r.Client)
			}
			return nil
		}))
		if err != nil && !errors.Is(err, snapshot.ErrBadInput) {
			t.Fatalf("error %v is not bad input", err)
		}
	})
}
