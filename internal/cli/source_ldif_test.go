package cli

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/preflight-scan/preflight/checks"
	"github.com/preflight-scan/preflight/collect/ldif"
	"github.com/preflight-scan/preflight/engine"
	"github.com/preflight-scan/preflight/rules"
	"github.com/preflight-scan/preflight/snapshot"
)

// offlineFlags keep a scan off the network: the directory's mail domains
// would otherwise be looked up with the system resolver.
var offlineFlags = []string{"--resolver", "127.0.0.1:9", "--dns-timeout", "200ms", "--dnsbl-zone", "none", "--rhsbl-zone", "none"}

func TestLDIFMissingFileIsUsageError(t *testing.T) {
	out := t.TempDir()
	code, _, stderr := runCLI(t, nil, "scan", "--ldif", filepath.Join(out, "nope.ldif"), "--out", out, "--format", "json", "--quiet")
	if code != ExitUsage || !strings.Contains(stderr, "nope.ldif: no such file") {
		t.Fatalf("exit %d, stderr %q; want 2 naming the file", code, stderr)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("wrote %d files on a usage error", len(entries))
	}
}

func TestLDIFMalformedWritesNothing(t *testing.T) {
	dir, out := t.TempDir(), t.TempDir()
	path := filepath.Join(dir, "export.ldif")
	text := "dn: CN=a,DC=corp,DC=example,DC=com\nobjectClass: user\n\ndn: CN=b,DC=corp,DC=example,DC=com\nobjectClass user\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI(t, nil, "scan", "--ldif", path, "--out", out, "--format", "json", "--quiet")
	if code != ExitUsage || !strings.Contains(stderr, "export.ldif:5: attribute line without a colon") {
		t.Fatalf("exit %d, stderr %q; want 2 naming file and line", code, stderr)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("wrote %d files after bad input", len(entries))
	}
}

func TestLDIFScan(t *testing.T) {
	out := t.TempDir()
	path := filepath.Join("..", "..", "collect", "ldif", "testdata", "ldifde.ldf")
	code, _, stderr := runCLI(t, nil, append([]string{"scan", "--ldif", path, "--out", out, "--format", "json", "--quiet"}, offlineFlags...)...)
	if code != ExitOK && code != ExitFindings && code != ExitIncomplete {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(filepath.Join(out, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Sources []struct {
			Name, Kind, Status string
			Objects            int64
		} `json:"sources"`
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, s := range rep.Sources {
		if s.Kind == "ldif" {
			found = true
			if s.Name != path || s.Status != "ok" || s.Objects != 3 {
				t.Errorf("source = %+v, want %s ok with 3 objects", s, path)
			}
		}
	}
	if !found {
		t.Errorf("no ldif source in the report: %s", b)
	}
}

func TestSampleScans(t *testing.T) {
	out := t.TempDir()
	code, _, stderr := runCLI(t, nil, append([]string{"scan", "--sample", "--out", out, "--format", "json", "--quiet"}, offlineFlags...)...)
	if code != ExitOK && code != ExitIncomplete { // incomplete: DNS is unreachable on purpose
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(filepath.Join(out, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Summary struct {
			Coverage struct{ Assessed, Failed []string } `json:"coverage"`
		} `json:"summary"`
		Sources []struct{ Name, Status string } `json:"sources"`
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	ok := false
	for _, s := range rep.Sources {
		ok = ok || s.Name == "sample:directory.ldif" && s.Status == "ok"
	}
	if !ok {
		t.Errorf("no ok source sample:directory.ldif in %+v", rep.Sources)
	}
	if !slices.Contains(rep.Summary.Coverage.Assessed, "directory") || slices.Contains(rep.Summary.Coverage.Failed, "directory") {
		t.Errorf("coverage %+v: want directory assessed", rep.Summary.Coverage)
	}
}

// TestLDIFScaleProfile scans the LDIF file named by PREFLIGHT_BENCH_LDIF,
// for profiling the whole pipeline at scale:
//
//	PREFLIGHT_BENCH_LDIF=/tmp/big.ldif go test ./internal/cli -run TestLDIFScaleProfile -cpuprofile cpu.prof
func TestLDIFScaleProfile(t *testing.T) {
	path := os.Getenv("PREFLIGHT_BENCH_LDIF")
	if path == "" {
		t.Skip("set PREFLIGHT_BENCH_LDIF to a large LDIF file (go run ./cmd/gen-ldif) to run")
	}
	out := t.TempDir()
	code, _, stderr := runCLI(t, nil, append([]string{"scan", "--ldif", path, "--out", out, "--format", "json", "--quiet"}, offlineFlags...)...)
	if code != ExitOK && code != ExitFindings && code != ExitIncomplete {
		t.Fatalf("exit %d: %s", code, stderr)
	}
}

// TestLDIFScaleByRule reads up to 250,000 objects of the LDIF file named by
// PREFLIGHT_BENCH_LDIF into memory, then feeds them to the engine once per
// rule and prints each rule's CPU time and the heap it still holds when the
// stream ends (what it keeps per object):
//
//	PREFLIGHT_BENCH_LDIF=/tmp/big.ldif go test ./internal/cli -run TestLDIFScaleByRule -v
func TestLDIFScaleByRule(t *testing.T) {
	path := os.Getenv("PREFLIGHT_BENCH_LDIF")
	if path == "" {
		t.Skip("set PREFLIGHT_BENCH_LDIF to a large LDIF file (go run ./cmd/gen-ldif) to run")
	}
	const limit = 250000
	var objs []*snapshot.DirObject
	c := ldif.NewCollector(path, func() (io.ReadCloser, error) { return os.Open(path) }, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := c.Collect(ctx, snapshot.SinkFunc(func(r *snapshot.Record) error {
		objs = append(objs, r.Dir)
		if len(objs) == limit {
			cancel()
		}
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	rs, err := rules.Load()
	if err != nil {
		t.Fatal(err)
	}
	heap := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	// As in an LDIF-only scan: no mailbox source.
	env := checks.Env{Profile: rules.DefaultProfile, Now: time.Now(), NoMailboxSource: true}
	t.Logf("%d objects; per rule: CPU for the stream, heap held at its end, per object", len(objs))
	for _, r := range rs {
		run, err := engine.New(engine.Options{Rules: rs, Registry: checks.Default(), Env: env, Only: []string{r.ID}})
		if err != nil {
			t.Fatal(err)
		}
		base := heap()
		start := time.Now()
		var rec snapshot.Record
		for _, o := range objs {
			rec.Dir = o
			if err := run.Put(&rec); err != nil {
				t.Fatal(err)
			}
		}
		d := time.Since(start)
		held := int64(heap()) - int64(base)
		t.Logf("%-8s %8.0f ms  %6.1f MiB held  %5.0f B/object", r.ID, float64(d.Milliseconds()), float64(held)/(1<<20), float64(held)/float64(len(objs)))
		runtime.KeepAlive(run)
	}
}

func TestLDIFCommaList(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.ldif"), filepath.Join(dir, "b.ldif")
	writeFile(t, a, "dn: CN=a,DC=x\nobjectClass: user\n")
	writeFile(t, b, "dn: CN=b,DC=x\nobjectClass: user\n")
	var o directoryOptions
	o.LDIF = listFlag{a + "," + b}
	cs, err := ldifCollectors(&o, &runEnv{})
	if err != nil || len(cs) != 2 {
		t.Fatalf("got %d collectors, %v; want 2", len(cs), err)
	}
	o.LDIF = listFlag{a + "," + filepath.Join(dir, "missing.ldif")}
	if _, err := ldifCollectors(&o, &runEnv{}); err == nil || !strings.Contains(err.Error(), "missing.ldif: no such file") {
		t.Errorf("err = %v, want the missing file named", err)
	}
}
