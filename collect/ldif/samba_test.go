package ldif_test

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/preflight-scan/preflight/collect/ldap"
	"github.com/preflight-scan/preflight/collect/ldif"
	"github.com/preflight-scan/preflight/snapshot"
)

// TestSambaExportMatchesLDAP exports the test DC of scripts/samba-dc.sh
// with OpenLDAP's ldapsearch, reads the export with this package, scans the
// same DC with the LDAP collector, and requires the same directory records
// from both: an export of a directory and a live scan of it must give the
// same findings. Needs PREFLIGHT_SAMBA=1, a running DC and ldapsearch.
func TestSambaExportMatchesLDAP(t *testing.T) {
	if os.Getenv("PREFLIGHT_SAMBA") != "1" {
		t.Skip("set PREFLIGHT_SAMBA=1 and run scripts/samba-dc.sh start to compare with a live DC")
	}
	ldapsearch, err := exec.LookPath("ldapsearch")
	if err != nil {
		t.Skip("ldapsearch not installed (apt-get install ldap-utils)")
	}
	_, file, _, _ := runtime.Caller(0)
	out, err := exec.Command(filepath.Join(filepath.Dir(file), "..", "..", "scripts", "samba-dc.sh"), "env").Output()
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
	base := vars["PREFLIGHT_SAMBA_BASE_DN"]

	// The live scan.
	ep, err := ldap.ParseURL(vars["PREFLIGHT_SAMBA_LDAPS_URL"], false)
	if err != nil {
		t.Fatal(err)
	}
	roots, err := ldap.LoadCAFile(vars["PREFLIGHT_SAMBA_CA_FILE"])
	if err != nil {
		t.Fatal(err)
	}
	pw, err := ldap.PasswordFrom(os.Getenv, "", vars["PREFLIGHT_SAMBA_PASSWORD_FILE"])
	if err != nil {
		t.Fatal(err)
	}
	lc, err := ldap.New(ldap.Config{Endpoint: ep, BindUser: vars["PREFLIGHT_SAMBA_BIND_DN"], Password: pw, Roots: roots, BaseDN: base, Timeout: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	live := collectAll(t, lc)

	// The export, as an administrator would make it.
	export := filepath.Join(t.TempDir(), "export.ldif")
	args := append([]string{"-H", vars["PREFLIGHT_SAMBA_LDAPS_URL"], "-x", "-D", vars["PREFLIGHT_SAMBA_BIND_DN"],
		"-y", vars["PREFLIGHT_SAMBA_PASSWORD_FILE"], "-b", base, "-E", "pr=200/noprompt", "(objectClass=*)"},
		snapshot.DirectoryAttributes()...)
	cmd := exec.Command(ldapsearch, args...)
	cmd.Env = append(os.Environ(), "LDAPTLS_CACERT="+vars["PREFLIGHT_SAMBA_CA_FILE"])
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	text, err := cmd.Output()
	if err != nil {
		t.Fatalf("ldapsearch: %v: %s", err, stderr.Bytes())
	}
	if err := os.WriteFile(export, text, 0o600); err != nil {
		t.Fatal(err)
	}
	fromFile := collectAll(t, ldif.NewCollector(export, func() (io.ReadCloser, error) { return os.Open(export) }, nil))

	if len(fromFile) == 0 {
		t.Fatal("the export holds no objects")
	}
	compared := 0
	for dn, want := range live {
		got, ok := fromFile[dn]
		if !ok {
			t.Errorf("%s: in the live scan, not in the export", dn)
			continue
		}
		compared++
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s differs:\nexport: %+v\nlive:   %+v", dn, got, want)
		}
	}
	extra := 0
	for dn := range fromFile {
		if _, ok := live[dn]; !ok {
			extra++ // containers and system objects outside the live scan's filter
		}
	}
	t.Logf("%d objects compared, all equal; %d more in the export only", compared, extra)
}

func collectAll(t *testing.T, c snapshot.Collector) map[string]*snapshot.DirObject {
	t.Helper()
	objs := map[string]*snapshot.DirObject{}
	src, err := c.Collect(context.Background(), snapshot.SinkFunc(func(r *snapshot.Record) error {
		if r.Dir != nil {
			objs[strings.ToLower(r.Dir.DN)] = r.Dir
		}
		return nil
	}))
	if err != nil || src.Status != snapshot.StatusOK {
		t.Fatalf("%s: %v %+v", src.Name, err, src)
	}
	return objs
}
