package ldap

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	netdial "github.com/preflight-scan/preflight/internal/dialer"
	"github.com/preflight-scan/preflight/internal/limits"
)

// TestPartitionHostsGoThroughTheGuard: the forest's other domain
// controllers (crossRef and referral hosts) are dialled by the same two
// dialers as the URL's server, so with the loopback guard on a partition
// host named by DNS name is refused before it is resolved, on the bind
// connection and on the bulk search's (before the one dialer, they went
// through the system resolver).
func TestPartitionHostsGoThroughTheGuard(t *testing.T) {
	c, err := New(Config{Endpoint: Endpoint{Scheme: "ldaps", Host: "127.0.0.1", Port: 636, Security: LDAPS},
		BindUser: "scanner@corp.example", Password: NewSecret("pw"), Timeout: 5 * time.Second,
		Dialer: &netdial.Dialer{LoopbackOnly: true}})
	if err != nil {
		t.Fatal(err)
	}
	partition := Endpoint{Scheme: "ldaps", Host: "dc2.child.corp.example", Port: 636, Security: LDAPS}
	if _, err := c.dial(context.Background(), partition); !errors.Is(err, netdial.ErrNotLoopback) || !strings.Contains(err.Error(), "dc2.child.corp.example") {
		t.Errorf("bind connection to a partition host: %v", err)
	}
	if _, err := c.wire(context.Background(), partition); !errors.Is(err, netdial.ErrNotLoopback) {
		t.Errorf("bulk connection to a partition host: %v", err)
	}
}

// TestLoadCAFileBoundsTheFile: a CA file one byte over
// limits.CAFileBytes is refused naming the limit, before it is read
// (a sparse file).
func TestLoadCAFileBoundsTheFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "ca.pem")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(limits.CAFileBytes + 1); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadCAFile(p); err == nil || !strings.Contains(err.Error(), "CA file longer than 16 MiB (limits.CAFileBytes") {
		t.Errorf("CA file over the limit: %v", err)
	}
}
