package integration

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/preflight-scan/preflight/internal/cli"
	"github.com/preflight-scan/preflight/report"
	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/snapshot"
)

// dcEnv is the running test domain controller, from samba-dc.sh's exports.
type dcEnv struct {
	vars map[string]string
}

func (d *dcEnv) get(k string) string { return d.vars[k] }

// The DC is shared by every test of the binary; nil when the tests skip.
var (
	dc      *dcEnv
	skipWhy string
	dnsAddr string // the loopback NXDOMAIN resolver of startNXDNS
)

func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(file))
}

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	if os.Getenv("PREFLIGHT_NO_INTEGRATION") != "" {
		skipWhy = "PREFLIGHT_NO_INTEGRATION set: Samba AD integration tests skipped"
		return m.Run()
	}
	if os.Geteuid() != 0 {
		skipWhy = "the Samba AD test DC needs root (ports 389 and 636): integration tests skipped"
		return m.Run()
	}
	for _, bin := range []string{"samba", "samba-tool", "ldapsearch", "openssl"} {
		if _, err := exec.LookPath(bin); err != nil {
			skipWhy = bin + " not installed (apt-get install samba ldap-utils openssl): integration tests skipped"
			return m.Run()
		}
	}
	if err := exec.Command("/usr/bin/python3", "-c", "import samba").Run(); err != nil {
		skipWhy = "python3-samba not installed: integration tests skipped"
		return m.Run()
	}
	script := filepath.Join(repoRoot(), "scripts", "samba-dc.sh")
	started := false
	out, err := exec.Command(script, "env").Output()
	if err != nil {
		start := exec.Command(script, "start")
		start.Stderr = os.Stderr
		out, err = start.Output()
		if err != nil {
			fmt.Fprintf(os.Stderr, "integration: %s start: %v\n", script, err)
			return 1
		}
		started = true
	}
	addr, stopDNS, err := startNXDNS()
	if err != nil {
		fmt.Fprintf(os.Stderr, "integration: DNS stub: %v\n", err)
		return 1
	}
	defer stopDNS()
	dnsAddr = addr
	dc = &dcEnv{vars: parseExports(out)}
	code := m.Run()
	if started {
		stop := exec.Command(script, "stop")
		stop.Stderr = os.Stderr
		if err := stop.Run(); err != nil {
			fmt.Fprintf(os.Stderr, "integration: %s stop: %v\n", script, err)
		}
	}
	return code
}

// parseExports reads "export K=V" lines (V optionally single-quoted).
func parseExports(b []byte) map[string]string {
	vars := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "export ")
		if !ok {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if ok {
			vars[k] = strings.Trim(v, "'")
		}
	}
	return vars
}

// needDC skips the test unless the DC runs.
func needDC(t *testing.T) *dcEnv {
	t.Helper()
	if dc == nil {
		t.Skip(skipWhy)
	}
	return dc
}

// result is one preflight run.
type result struct {
	code   int
	stderr string
	dir    string
	rep    *model.Report // nil when no report was written
}

// run runs "preflight scan" in-process (the real command-line code path)
// with the given flags, writing JSON and a snapshot into a fresh
// directory. extraEnv is seen by the command's Getenv on top of the
// process environment.
func run(t *testing.T, ctx context.Context, extraEnv map[string]string, args ...string) result {
	t.Helper()
	dir := t.TempDir()
	full := append([]string{"scan", "--quiet", "--out", dir, "--format", "json",
		"--save-snapshot", filepath.Join(dir, "snapshot.gz"), "--cutover-date", "2026-12-01",
		// Keep the DNS and blocklist checks of the discovered domains on
		// loopback.
		"--resolver", dnsAddr, "--dnsbl-zone", "none", "--rhsbl-zone", "none"}, args...)
	var stdout, stderr bytes.Buffer
	getenv := func(k string) string {
		if v, ok := extraEnv[k]; ok {
			return v
		}
		return os.Getenv(k)
	}
	code := cli.Main(ctx, full, cli.IO{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, Getenv: getenv, Now: time.Now})
	r := result{code: code, stderr: stderr.String(), dir: dir}
	path := filepath.Join(dir, "report.json")
	if _, err := os.Stat(path); err == nil {
		rep, err := report.ReadFile(path)
		if err != nil {
			t.Fatalf("read report: %v", err)
		}
		r.rep = rep
	}
	return r
}

// ldapFlags are the flags of a scan of the test DC over url.
func (d *dcEnv) ldapFlags(url string) []string {
	return []string{"--ldap-url", url, "--bind-user", d.get("PREFLIGHT_SAMBA_BIND_USER"),
		"--bind-password-file", d.get("PREFLIGHT_SAMBA_PASSWORD_FILE"), "--ldap-ca-file", d.get("PREFLIGHT_SAMBA_CA_FILE")}
}

// dirObjects reads the directory records of a run's snapshot, in order.
func (r result) dirObjects(t *testing.T) []*snapshot.DirObject {
	t.Helper()
	f, err := os.Open(filepath.Join(r.dir, "snapshot.gz"))
	if err != nil {
		t.Fatalf("snapshot: %v", err)
	}
	defer func() { _ = f.Close() }()
	var out []*snapshot.DirObject
	_, err = snapshot.Read(context.Background(), f, "snapshot.gz", snapshot.SinkFunc(func(rec *snapshot.Record) error {
		if rec.Dir != nil {
			cp := *rec.Dir
			out = append(out, &cp)
		}
		return nil
	}))
	if err != nil {
		t.Fatalf("read snapshot: %v", err)
	}
	return out
}

// source returns the report's directory source (kind ldap or ldif).
func (r result) source(t *testing.T) snapshot.Source {
	t.Helper()
	if r.rep == nil {
		t.Fatalf("no report written (exit %d, stderr %q)", r.code, r.stderr)
	}
	for _, s := range r.rep.Sources {
		if s.Kind == "ldap" || s.Kind == "ldif" {
			return s
		}
	}
	t.Fatalf("sources = %+v, want a directory source", r.rep.Sources)
	return snapshot.Source{}
}
