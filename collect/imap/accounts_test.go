package imap

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/preflight-scan/preflight/snapshot"
)

func TestReadAccounts(t *testing.T) {
	dir := t.TempDir()
	pwFile := filepath.Join(dir, "carol.pw")
	if err := os.WriteFile(pwFile, []byte("carol pw\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// The BPOS migration tools' columns, a password with spaces, one from
	// the environment and one from a file; the file is readable by others.
	p := filepath.Join(dir, "bpos.csv")
	content := "SourceIdentity;SourceServer;SourceLoginID;SourcePassword;password_env;password_file\r\n" +
		"alice@example.com;imap.example.com;alice; pw with spaces ;;\r\n" +
		"bob@example.com;imap.example.com;bob;;BOB_PW;\r\n" +
		"carol@example.com;imap.example.com;carol;;;" + pwFile + "\r\n"
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"BOB_PW": "bob-pw"}
	accs, notes, err := ReadAccounts(p, func(k string) string { return env[k] }, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(accs) != 3 || accs[0].Identity != "alice@example.com" || accs[0].User != "alice" || accs[0].Password != " pw with spaces " ||
		accs[1].Password != "bob-pw" || accs[2].Password != "carol pw" {
		t.Errorf("%+v", accs)
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "chmod 600") || strings.Contains(notes[0], "pw") && strings.Contains(notes[0], "spaces") {
		t.Errorf("notes %q", notes)
	}
	// An admin login needs no secrets.
	if accs, _, err := ReadAccounts(p, func(string) string { return "" }, false); err != nil || accs[1].Password != "" {
		t.Errorf("admin mode: %+v %v", accs, err)
	}
	// A missing secret names the line.
	bad := filepath.Join(dir, "bad.csv")
	_ = os.WriteFile(bad, []byte("user,password\nalice,x\nbob,\n"), 0o600)
	_, _, err = ReadAccounts(bad, func(string) string { return "" }, true)
	var ie *snapshot.InputError
	if !errors.As(err, &ie) || ie.Line != 3 || !strings.Contains(ie.Msg, "bob") {
		t.Errorf("err = %v", err)
	}
}
