package cli

import (
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/preflight-scan/preflight/checks"
	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/snapshot"
)

// TestMailboxExportsScan scans the German fixtures end to end under the
// BPOS profile: the Posteingang at exactly 20,000 items passes, the
// Gesendete Elemente at 20,001 and the Kalender at 5,001 fail, and the
// estimate lands in the summary.
func TestMailboxExportsScan(t *testing.T) {
	out := t.TempDir()
	code, _, stderr := runCLI(t, nil, "scan", "--quiet", "--profile", "bpos-2010", "--out", out, "--format", "json",
		"--bandwidth-mbps", "20",
		"--mailbox-stats", "../../collect/mailbox/testdata/mailbox-stats-de-utf16le.csv",
		"--folder-stats", "../../collect/mailbox/testdata/folder-stats-de.csv",
		"--clients", "../../collect/clients/testdata/map-inventory.csv")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(filepath.Join(out, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rep model.Report
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	var mbx001 []string
	for _, f := range rep.Findings {
		if f.RuleID == "MBX-001" {
			mbx001 = append(mbx001, f.Object.ID)
		}
	}
	want := []string{`corp.northwind.local/Northwind/Staff/Anna Schmidt\Gesendete Elemente`, `corp.northwind.local/Northwind/Staff/Anna Schmidt\Kalender`}
	if strings.Join(mbx001, "|") != strings.Join(want, "|") {
		t.Errorf("MBX-001 findings on %q, want %q", mbx001, want)
	}
	e := rep.Summary.Estimate
	if e == nil || e.Mailboxes != 3 || e.BandwidthMbps != 20 || e.Hours <= 0 {
		t.Errorf("estimate %+v", e)
	}
	if rep.Summary.Inventory.Mailboxes != 3 || rep.Summary.Inventory.Folders != 9 {
		t.Errorf("inventory %+v", rep.Summary.Inventory)
	}
}

func TestMailboxUsageErrors(t *testing.T) {
	bad := filepath.Join("..", "..", "collect", "mailbox", "testdata", "bad-size.csv")
	for name, tc := range map[string]struct {
		args []string
		want string
	}{
		"bad size":            {[]string{"--mailbox-stats", bad}, "bad-size.csv:3: column TotalItemSize"},
		"missing file":        {[]string{"--folder-stats", "no-such.csv"}, "no-such.csv"},
		"imap without list":   {[]string{"--imap-url", "imaps://127.0.0.1"}, "--imap-accounts"},
		"imap creds in url":   {[]string{"--imap-url", "imaps://u:p@127.0.0.1", "--imap-accounts", bad}, "credentials do not belong"},
		"accounts no url":     {[]string{"--imap-accounts", bad}, "need --imap-url"},
		"admin without pw":    {[]string{"--imap-url", "imaps://127.0.0.1", "--imap-accounts", bad, "--imap-admin-user", "admin"}, "--imap-password-env"},
		"admin pw env unset":  {[]string{"--imap-url", "imaps://127.0.0.1", "--imap-accounts", bad, "--imap-admin-user", "admin", "--imap-password-env", "NOPE"}, "NOPE is empty"},
		"pw without admin":    {[]string{"--imap-url", "imaps://127.0.0.1", "--imap-accounts", bad, "--imap-password-env", "X"}, "give --imap-admin-user"},
		"accounts no columns": {[]string{"--imap-url", "imaps://127.0.0.1", "--imap-accounts", bad}, "column user"},
	} {
		t.Run(name, func(t *testing.T) {
			out := t.TempDir()
			code, _, stderr := runCLI(t, nil, append([]string{"scan", "--quiet", "--out", out, "--format", "json"}, tc.args...)...)
			if code != ExitUsage || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr, tc.want)
			}
			if _, err := os.Stat(filepath.Join(out, "report.json")); err == nil {
				t.Error("a usage error must write nothing")
			}
		})
	}
}

// TestIMAPUnreachable: a server that does not answer is a failed source:
// exit 3, the report written and saying why, the mailbox checks in error.
func TestIMAPUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	dir := t.TempDir()
	acc := filepath.Join(dir, "accounts.csv")
	if err := os.WriteFile(acc, []byte("user,password_env\nalice,ALICE_PW\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI(t, map[string]string{"ALICE_PW": "s3cret-value"}, "scan", "--quiet", "--out", dir, "--format", "json",
		"--imap-url", "imaps://"+addr, "--imap-accounts", acc, "--timeout", "3s")
	if code != ExitIncomplete {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(filepath.Join(dir, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b)+stderr, "s3cret-value") {
		t.Error("the password leaked into the report or stderr")
	}
	var rep model.Report
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Sources) != 1 || rep.Sources[0].Status != "error" || !strings.Contains(rep.Sources[0].Error, "connect") {
		t.Errorf("sources %+v", rep.Sources)
	}
	for _, c := range rep.Checks {
		if c.RuleID == "MBX-002" && c.Status != model.StatusError {
			t.Errorf("MBX-002 status %s, want error", c.Status)
		}
	}
}

// TestSampleExportsMatchDirectory keeps the sample's mailbox and client
// exports consistent with its directory: every mailbox joins a directory
// user by mailbox GUID, and every inventory host is a directory computer.
// When it fails after the directory changed, run
// python3 scripts/gen-mailbox-sample.py.
func TestSampleExportsMatchDirectory(t *testing.T) {
	cs, err := sampleCollectors(&runEnv{io: IO{Getenv: func(string) string { return "" }}})
	if err != nil {
		t.Fatal(err)
	}
	guids := map[string]bool{}
	hosts := map[string]bool{}
	var mbxGUIDs, clientHosts []string
	sink := snapshot.SinkFunc(func(r *snapshot.Record) error {
		switch {
		case r.Dir != nil && r.Dir.Kind == snapshot.KindUser:
			guids[r.Dir.First("msexchmailboxguid")] = true
		case r.Dir != nil && r.Dir.Kind == snapshot.KindComputer:
			hosts[checks.HostKey(r.Dir.First("dnshostname"))] = true
			hosts[checks.HostKey(r.Dir.First("cn"))] = true
		case r.Mailbox != nil:
			mbxGUIDs = append(mbxGUIDs, r.Mailbox.MailboxGUID)
		case r.Client != nil:
			clientHosts = append(clientHosts, r.Client.Host)
		}
		return nil
	})
	for _, c := range cs {
		src, err := c.Collect(context.Background(), sink)
		if err != nil || src.Status != snapshot.StatusOK {
			t.Fatalf("%s: %v %+v", src.Name, err, src)
		}
	}
	if len(mbxGUIDs) == 0 || len(clientHosts) == 0 {
		t.Fatalf("sample has %d mailboxes and %d client rows", len(mbxGUIDs), len(clientHosts))
	}
	for _, g := range mbxGUIDs {
		if !guids[g] {
			t.Errorf("sample mailbox %s has no directory user", g)
		}
	}
	for _, h := range clientHosts {
		if !hosts[checks.HostKey(h)] {
			t.Errorf("sample inventory host %s is not a directory computer", h)
		}
	}
}
