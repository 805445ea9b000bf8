package ldap

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/preflight-scan/preflight/snapshot"
)

// sambaDC returns the exports of the test DC that scripts/samba-dc.sh
// runs, or skips: these tests need PREFLIGHT_SAMBA=1 and a running DC
// (scripts/samba-dc.sh start). They exercise, against a real server, what
// Samba does not show through the command line: Samba returns every value
// of a large attribute at once, so range retrieval is driven here
// directly, and small pages drive the cookie loop over many pages.
func sambaDC(t *testing.T) map[string]string {
	t.Helper()
	if os.Getenv("PREFLIGHT_SAMBA") != "1" {
		t.Skip("set PREFLIGHT_SAMBA=1 and run scripts/samba-dc.sh start to test against Samba AD")
	}
	_, file, _, _ := runtime.Caller(0)
	script := filepath.Join(filepath.Dir(file), "..", "..", "scripts", "samba-dc.sh")
	out, err := exec.Command(script, "env").Output()
	if err != nil {
		t.Skip("no test DC running (scripts/samba-dc.sh start)")
	}
	vars := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if k, v, ok := strings.Cut(strings.TrimPrefix(sc.Text(), "export "), "="); ok {
			vars[k] = strings.Trim(v, "'")
		}
	}
	return vars
}

func sambaCollector(t *testing.T, vars map[string]string, url string, pageSize uint32) *Collector {
	t.Helper()
	ep, err := ParseURL(url, false)
	if err != nil {
		t.Fatal(err)
	}
	roots, err := LoadCAFile(vars["PREFLIGHT_SAMBA_CA_FILE"])
	if err != nil {
		t.Fatal(err)
	}
	pw, err := PasswordFrom(os.Getenv, "", vars["PREFLIGHT_SAMBA_PASSWORD_FILE"])
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(Config{Endpoint: ep, BindUser: vars["PREFLIGHT_SAMBA_BIND_DN"], Password: pw, Roots: roots, Timeout: 30 * time.Second, PageSize: pageSize})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSambaRangeRetrieval(t *testing.T) {
	vars := sambaDC(t)
	c := sambaCollector(t, vars, vars["PREFLIGHT_SAMBA_LDAPS_URL"], 0)
	s := &scan{c: c, seen: map[string]bool{}}
	conn, err := s.connect(context.Background(), c.cfg.Endpoint)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close() }()
	group := "CN=Big Group,OU=Bulk," + vars["PREFLIGHT_SAMBA_BASE_DN"]
	// As if the server had cut the first answer at MaxValRange 1,500 (and
	// then at 1,000 values: "member;range=0-999" asks the rest from 1,000).
	for _, first := range []valueRange{{Base: "member", Lo: 0, Hi: 1499}, {Base: "member", Lo: 0, Hi: 999}} {
		more, err := s.fetchRange(conn, group, first)
		if err != nil {
			t.Fatalf("fetchRange after %d: %v", first.Hi, err)
		}
		if want := 1600 - first.Hi - 1; len(more) != want {
			t.Errorf("after values 0-%d the server gave %d more, want %d", first.Hi, len(more), want)
		}
	}
}

func TestSambaSmallPages(t *testing.T) {
	vars := sambaDC(t)
	for _, url := range []string{vars["PREFLIGHT_SAMBA_LDAPS_URL"], vars["PREFLIGHT_SAMBA_STARTTLS_URL"]} {
		var n int64
		var firstKind snapshot.ObjectKind
		c := sambaCollector(t, vars, url, 50)
		src, err := c.Collect(context.Background(), snapshot.SinkFunc(func(r *snapshot.Record) error {
			if n == 0 {
				firstKind = r.Dir.Kind
			}
			n++
			return nil
		}))
		if err != nil || src.Status != snapshot.StatusOK {
			t.Fatalf("%s: %+v, %v", url, src, err)
		}
		if n != src.Objects || n < 1600 || firstKind != snapshot.KindDomain {
			t.Errorf("%s: %d records (source %d), first %s", url, n, src.Objects, firstKind)
		}
	}
}
