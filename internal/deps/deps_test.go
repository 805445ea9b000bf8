package deps

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"slices"
	"sort"
	"strings"
	"testing"
)

const module = "github.com/preflight-scan/preflight"

// pkg is the part of `go list -json` the rule needs.
type pkg struct {
	ImportPath string
	Standard   bool
	Imports    []string
}

// graph is a dependency graph by import path.
type graph map[string]*pkg

// forbidden says why the evaluate stage may not depend on path ("" when it
// may). It is asked about every package in the dependency closure.
func forbidden(path string) string {
	local, ours := strings.CutPrefix(path, module+"/")
	switch {
	case ours && (local == "collect" || strings.HasPrefix(local, "collect/")):
		return "a collector"
	case ours && local == "resolver":
		return "the DNS resolver"
	case ours && local == "progress":
		return "progress output"
	case ours && local == "internal/dialer":
		return "network code (the scan's dialer)"
	case ours && (local == "report" || strings.HasPrefix(local, "report/")) && local != "report/model":
		return "a renderer (the report model is report/model)"
	case ours && (local == "internal/cli" || strings.HasPrefix(local, "internal/cli/") || strings.HasPrefix(local, "cmd/")):
		return "the command line"
	case strings.HasPrefix(path, "github.com/olekukonko/tablewriter"):
		return "a renderer (tablewriter)"
	case strings.HasPrefix(path, "codeberg.org/go-pdf/"):
		return "a renderer (PDF)"
	case strings.HasPrefix(path, "github.com/miekg/dns"):
		return "network code (miekg/dns)"
	case strings.HasPrefix(path, "github.com/go-ldap/"), strings.HasPrefix(path, "github.com/emersion/"):
		return "network code (an LDAP or IMAP client)"
	case strings.HasPrefix(path, "github.com/chromedp/"):
		return "a browser driver"
	}
	return ""
}

// networkStd are the standard-library packages that open connections. The
// module's own packages in the closure may not import them; the standard
// library and third-party parsers may (net/mail imports net for its
// address types, x/net/publicsuffix net/http/cookiejar for an interface).
var networkStd = map[string]bool{
	"net": true, "net/http": true, "net/http/httptrace": true, "crypto/tls": true,
	"net/smtp": true, "net/rpc": true, "net/http/httputil": true,
}

// violations lists every way the packages under roots break the rule, each
// with the import chain that leads to it.
func violations(g graph, roots []string) []string {
	return violationsBy(g, roots, forbidden)
}

// violationsBy is violations with another rule: forbid says why a
// package may not be depended on ("" when it may).
func violationsBy(g graph, roots []string, forbid func(string) string) []string {
	var out []string
	for _, root := range roots {
		// Breadth first, so each chain shown is a shortest one.
		parent := map[string]string{root: ""}
		queue := []string{root}
		chain := func(p string) string {
			var c []string
			for ; p != ""; p = parent[p] {
				c = append(c, strings.TrimPrefix(p, module+"/"))
			}
			for i, j := 0, len(c)-1; i < j; i, j = i+1, j-1 {
				c[i], c[j] = c[j], c[i]
			}
			return strings.Join(c, " → ")
		}
		for len(queue) > 0 {
			p := queue[0]
			queue = queue[1:]
			if why := forbid(p); why != "" {
				out = append(out, chain(p)+": "+why)
				continue
			}
			info := g[p]
			if info == nil {
				continue
			}
			ours := p == module || strings.HasPrefix(p, module+"/")
			for _, imp := range info.Imports {
				if ours && networkStd[imp] {
					out = append(out, chain(p)+" → "+imp+": network code")
				}
				if _, seen := parent[imp]; !seen {
					parent[imp] = p
					queue = append(queue, imp)
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// leafViolations lists the non-standard packages that root depends on
// besides those allowed (as import paths relative to the module).
func leafViolations(g graph, root string, allowed ...string) []string {
	ok := map[string]bool{root: true}
	for _, a := range allowed {
		ok[module+"/"+a] = true
	}
	seen := map[string]bool{}
	var out []string
	var walk func(p string)
	walk = func(p string) {
		if seen[p] {
			return
		}
		seen[p] = true
		info := g[p]
		if info == nil || info.Standard {
			return
		}
		if !ok[p] {
			out = append(out, p)
			return
		}
		for _, imp := range info.Imports {
			walk(imp)
		}
	}
	walk(root)
	sort.Strings(out)
	return out
}

// load runs `go list -deps -json` on the packages (not their tests: the
// rule is about what the program links).
func load(t *testing.T, pkgs ...string) graph {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Fatalf("the dependency test needs the go command: %v", err)
	}
	args := append([]string{"list", "-deps", "-json=ImportPath,Standard,Imports"}, pkgs...)
	cmd := exec.Command("go", args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	b, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	g := graph{}
	dec := json.NewDecoder(bytes.NewReader(b))
	for {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("go list output: %v", err)
		}
		g[p.ImportPath] = &p
	}
	return g
}

// TestEvaluateStageImportsNoCollectorNetworkOrRenderer is the dependency
// rule of docs/architecture.md.
func TestEvaluateStageImportsNoCollectorNetworkOrRenderer(t *testing.T) {
	roots := []string{module + "/checks", module + "/engine", module + "/rules"}
	g := load(t, roots...)
	for _, r := range roots {
		if g[r] == nil {
			t.Fatalf("go list did not list %s", r)
		}
	}
	if v := violations(g, roots); len(v) > 0 {
		t.Errorf("the evaluate stage depends on what it must not (docs/architecture.md, dependency rule):\n  %s", strings.Join(v, "\n  "))
	}
}

// renderForbidden says why a renderer may not depend on path: the render
// stage sees the report and the snapshot records, never a collector, the
// command line or the network.
func renderForbidden(path string) string {
	local, ours := strings.CutPrefix(path, module+"/")
	switch {
	case ours && (local == "collect" || strings.HasPrefix(local, "collect/")):
		return "a collector"
	case ours && (local == "resolver" || local == "progress" || local == "internal/dialer"):
		return "collection-stage code"
	case ours && (local == "internal/cli" || strings.HasPrefix(local, "cmd/")):
		return "the command line"
	case strings.HasPrefix(path, "github.com/miekg/dns"), strings.HasPrefix(path, "github.com/go-ldap/"), strings.HasPrefix(path, "github.com/emersion/"):
		return "network code"
	}
	return ""
}

// TestRenderersImportNoCollector: every renderer, addresses.csv and
// migration-batches.csv (report/migration) included, works from the
// report and the snapshot records alone.
func TestRenderersImportNoCollector(t *testing.T) {
	g := load(t, module+"/report/...")
	var named []string
	for p := range g {
		if p == module+"/report" || strings.HasPrefix(p, module+"/report/") {
			named = append(named, p)
		}
	}
	sort.Strings(named)
	if !slices.Contains(named, module+"/report/migration") || !slices.Contains(named, module+"/report/pdf") {
		t.Fatalf("go list found only %v", named)
	}
	if v := violationsBy(g, named, renderForbidden); len(v) > 0 {
		t.Errorf("a renderer depends on the collection stage:\n  %s", strings.Join(v, "\n  "))
	}
}

// TestNeutralPackagesStayNeutral: the analysis code collectors and checks
// share obeys the same rule, or a check would reach a collector through it.
func TestNeutralPackagesStayNeutral(t *testing.T) {
	roots := []string{module + "/blocklist", module + "/netrange", module + "/mailauth/...", module + "/snapshot"}
	g := load(t, roots...)
	var named []string
	for p := range g {
		if strings.HasPrefix(p, module+"/mailauth/") || p == module+"/blocklist" || p == module+"/netrange" || p == module+"/snapshot" {
			named = append(named, p)
		}
	}
	sort.Strings(named)
	if len(named) < 4 {
		t.Fatalf("go list found only %v", named)
	}
	if v := violations(g, named); len(v) > 0 {
		t.Errorf("a neutral package depends on what the evaluate stage must not:\n  %s", strings.Join(v, "\n  "))
	}
}

// TestReportModelIsALeaf: report/model holds data types only; it imports
// the standard library and the snapshot's record types, nothing else.
func TestReportModelIsALeaf(t *testing.T) {
	g := load(t, module+"/report/model")
	if v := leafViolations(g, module+"/report/model", "snapshot", "internal/dnsname", "internal/limits"); len(v) > 0 {
		t.Errorf("report/model depends on %s; it may import only the standard library and snapshot", strings.Join(v, ", "))
	}
}

// TestRuleCanFail: the checks above would notice a forbidden import, both
// a direct one and one reached through another package of the module.
func TestRuleCanFail(t *testing.T) {
	g := graph{
		module + "/checks":         {ImportPath: module + "/checks", Imports: []string{"fmt", module + "/report/model", module + "/mailauth/x"}},
		module + "/report/model":   {ImportPath: module + "/report/model", Imports: []string{"time", module + "/report"}},
		module + "/report":         {ImportPath: module + "/report", Imports: []string{"github.com/olekukonko/tablewriter"}},
		module + "/mailauth/x":     {ImportPath: module + "/mailauth/x", Imports: []string{"net", "net/mail"}},
		"net/mail":                 {ImportPath: "net/mail", Standard: true, Imports: []string{"net"}},
		"net":                      {ImportPath: "net", Standard: true},
		"fmt":                      {ImportPath: "fmt", Standard: true},
		"time":                     {ImportPath: "time", Standard: true},
		module + "/engine":         {ImportPath: module + "/engine", Imports: []string{module + "/collect/dnsbl"}},
		module + "/collect/dnsbl":  {ImportPath: module + "/collect/dnsbl", Imports: []string{"github.com/miekg/dns"}},
		"github.com/miekg/dns":     {ImportPath: "github.com/miekg/dns", Imports: []string{"net"}},
		"github.com/olekukonko/tw": {ImportPath: "github.com/olekukonko/tw"},
	}
	got := violations(g, []string{module + "/checks", module + "/engine"})
	want := []string{
		"checks → mailauth/x → net: network code",
		"checks → report/model → report: a renderer (the report model is report/model)",
		"engine → collect/dnsbl: a collector",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("violations:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if v := leafViolations(g, module+"/report/model", "snapshot"); strings.Join(v, ",") != module+"/report" {
		t.Errorf("leaf violations %v", v)
	}
}
