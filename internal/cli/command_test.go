package cli

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/preflight-scan/preflight/config"
)

// TestConfigKeysAndDefaultsUnchanged pins the configuration-file keys of
// scan and evaluate, their kinds, and the flags' defaults: configuration
// files and scripts written for earlier versions keep working.
func TestConfigKeysAndDefaultsUnchanged(t *testing.T) {
	const (
		s = config.String
		b = config.Bool
		n = config.Number
		l = config.List
	)
	scan := config.Flags{
		"bandwidth-mbps": n, "base-dn": s, "baseline": s, "bind-password-env": s, "bind-password-file": s, "bind-user": s,
		"clients": s, "config": s, "csv-encoding": s, "cutover-date": s, "dns-authoritative": b, "dns-concurrency": n, "dns-deadline": s,
		"dns-retries": n, "dns-timeout": s, "dnsbl-zone": l, "domain": l, "egress-ip": l, "endpoints": s, "fail-on": s,
		"fail-on-new": s, "firewall-allowlist": s, "folder-stats": s, "format": l, "history": s, "imap-accounts": s,
		"imap-admin-mode": s, "imap-admin-user": s, "imap-ca-file": s, "imap-master-separator": s, "imap-password-env": s,
		"imap-password-file": s, "imap-url": s, "ldap-ca-file": s, "ldap-insecure-plaintext": b, "ldap-url": s, "ldif": l,
		"lenient": b, "mailbox-stats": s, "mailbox-usage": s, "offline": b, "out": s, "phase": s, "plan": s, "probe": l,
		"probe-defaults": b, "probe-timeout": s, "profile": s, "quiet": b, "resolver": l, "rhsbl-zone": l, "sample": b,
		"save-snapshot": s, "sync-scope": s, "tenant": s, "timeout": s,
		"recipients": s, "mailboxes": s, "users": s, "archive-stats": s, "target-recipients": s, "migrating-domain": l,
		"target-domain": s, "batch-mapping": s,
	}
	evaluate := config.Flags{
		"bandwidth-mbps": n, "baseline": s, "config": s, "cutover-date": s, "fail-on": s, "fail-on-new": s, "format": l,
		"history": s, "out": s, "phase": s, "plan": s, "profile": s, "quiet": b, "sync-scope": s, "tenant": s, "timeout": s,
		"migrating-domain": l, "target-domain": s, "batch-mapping": s,
	}
	defaults := map[string]string{
		"dns-authoritative": "true", "dns-concurrency": "16", "dns-deadline": "10m0s", "dns-retries": "1", "dns-timeout": "2s",
		"fail-on": "none", "imap-admin-mode": "master", "imap-master-separator": "*", "out": ".", "phase": "pre-cutover", "sync-scope": "mail-enabled",
		"probe-timeout": "5s", "profile": "exchange-online", "timeout": "2m0s",
	}
	for _, tc := range []struct {
		evaluate bool
		want     config.Flags
	}{{false, scan}, {true, evaluate}} {
		defs := commandFlagDefs(&scanOptions{}, tc.evaluate)
		if got := configFlags(defs); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("evaluate=%v: configuration keys\n got %v\nwant %v", tc.evaluate, got, tc.want)
		}
		fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
		defineFlags(fs, defs)
		fs.VisitAll(func(f *pflag.Flag) {
			want, ok := defaults[f.Name]
			if !ok && (f.DefValue == "" || f.DefValue == "false" || f.DefValue == "0") {
				return
			}
			if f.DefValue != want {
				t.Errorf("--%s: default %q, want %q", f.Name, f.DefValue, want)
			}
		})
	}
}

// TestHelpGroupsFlagsByArea: scan --help shows every flag once, in the
// section of its area, the sections in order; evaluate shows none of the
// source flags.
func TestHelpGroupsFlagsByArea(t *testing.T) {
	code, out, stderr := runCLI(t, nil, "scan", "--help")
	if code != ExitOK || stderr != "" {
		t.Fatalf("scan --help: exit %d, stderr %q", code, stderr)
	}
	if _, short, _ := runCLI(t, nil, "scan", "-h"); short != out {
		t.Error("scan -h and scan --help differ")
	}
	// The section each flag is listed under.
	section := map[string]string{}
	var order []string
	cur := ""
	for _, line := range strings.Split(out, "\n") {
		if title, ok := strings.CutSuffix(line, ":"); ok && !strings.HasPrefix(line, " ") {
			cur = title
			order = append(order, title)
			continue
		}
		if !strings.HasPrefix(line, "  ") {
			continue // the description above the sections
		}
		f := strings.Fields(line)
		for i, w := range f {
			if strings.HasPrefix(w, "--") && (i == 0 || f[0] == "-h,") {
				name := strings.TrimPrefix(w, "--")
				if prev, dup := section[name]; dup {
					t.Errorf("--%s listed under %s and %s", name, prev, cur)
				}
				section[name] = cur
				break
			}
		}
	}
	var groups []string
	for _, o := range order {
		if slices.Contains(flagGroups(), o) {
			groups = append(groups, o)
		}
	}
	if !slices.Equal(groups, flagGroups()) {
		t.Errorf("sections %v, want %v", groups, flagGroups())
	}
	for flag, want := range map[string]string{
		"sample": groupGeneral, "help": groupGeneral, "ldap-url": groupDirectory, "ldif": groupDirectory,
		"mailbox-stats": groupMailboxes, "imap-url": groupMailboxes, "clients": groupClients,
		"resolver": groupDNS, "dnsbl-zone": groupDNS, "probe": groupNetwork, "egress-ip": groupNetwork,
		"format": groupOutputs, "fail-on": groupOutputs, "config": groupNightly, "history": groupNightly,
	} {
		if section[flag] != want {
			t.Errorf("--%s is under %q, want %q", flag, section[flag], want)
		}
	}
	if n := len(scanFlagDefs(&scanOptions{})) + 1; len(section) != n { // + --help
		t.Errorf("help lists %d flags, want %d: %v", len(section), n, section)
	}

	_, out, _ = runCLI(t, nil, "evaluate", "--help")
	if strings.Contains(out, groupDirectory+":") || strings.Contains(out, "--ldif") || !strings.Contains(out, groupNightly+":") {
		t.Errorf("evaluate --help shows source flags or lacks the nightly ones:\n%s", out)
	}
}

// TestCompletionScripts: each shell gets a script, and the completion
// the scripts call completes flag values.
func TestCompletionScripts(t *testing.T) {
	for shell, marker := range map[string]string{
		"bash":       "__start_preflight",
		"zsh":        "#compdef preflight",
		"fish":       "complete -c preflight",
		"powershell": "Register-ArgumentCompleter",
	} {
		code, out, stderr := runCLI(t, nil, "completion", shell)
		if code != ExitOK || stderr != "" || !strings.Contains(out, marker) || !strings.Contains(out, "__complete") {
			t.Errorf("completion %s: exit %d, stderr %q, script has no %q (%d bytes)", shell, code, stderr, marker, len(out))
		}
	}
	code, out, _ := runCLI(t, nil, "__complete", "scan", "--profile", "")
	if code != ExitOK || !strings.Contains(out, "bpos-2010\n") {
		t.Errorf("completing --profile: exit %d\n%s", code, out)
	}
	if code, _, stderr := runCLI(t, nil, "completion", "tcsh"); code != ExitUsage || !strings.Contains(stderr, "tcsh") {
		t.Errorf("completion tcsh: exit %d, stderr %q", code, stderr)
	}
}

// TestFlagSpellings: --flag value, --flag=value and the single-dash
// -flag value of earlier versions give the same scan; a list flag takes
// repeats and commas.
func TestFlagSpellings(t *testing.T) {
	for _, args := range [][]string{
		{"--format", "json", "--format", "csv", "--out", "OUT"},
		{"--format=json,csv", "--out=OUT"},
		{"-format", "json,csv", "-out", "OUT", "-quiet=true"},
	} {
		dir := t.TempDir()
		full := []string{"scan", "--sample", "--quiet"}
		for _, a := range args {
			full = append(full, strings.ReplaceAll(a, "OUT", dir))
		}
		code, stdout, stderr := runCLI(t, nil, full...)
		if code != ExitOK || stderr != "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
			continue
		}
		if stdout != "" {
			t.Errorf("%v: printed %q (no table asked)", args, stdout)
		}
		for _, f := range []string{"report.json", "findings.csv"} {
			if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
				t.Errorf("%v: %v", args, err)
			}
		}
	}
}

// TestSingleDashLongFlags rewrites only long flags of the command, never
// a flag's value nor what follows "--".
func TestSingleDashLongFlags(t *testing.T) {
	root := newRootCommand(IO{})
	for _, tc := range []struct{ in, want string }{
		{"scan -ldif a.ldif -quiet -out=x", "scan --ldif a.ldif --quiet --out=x"},
		{"scan --bind-user -ldif -ldif -ldif", "scan --bind-user -ldif --ldif -ldif"},
		{"scan -h -help -nosuch -", "scan -h --help -nosuch -"},
		{"scan -quiet -- -ldif", "scan --quiet -- -ldif"},
		{"-version", "--version"},
		{"rules -profile bpos-2010 -ldif", "rules --profile bpos-2010 -ldif"},
	} {
		got := strings.Join(singleDashLongFlags(root, strings.Fields(tc.in)), " ")
		if got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.in, got, tc.want)
		}
	}
}
