package imap

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	goimap "github.com/emersion/go-imap"
	"github.com/emersion/go-imap/client"

	"github.com/preflight-scan/preflight/snapshot"
)

// server is a Dovecot started by scripts/dovecot.sh for one test.
type server struct {
	dir         string
	imaps, imap int
	pool        *x509.CertPool
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = l.Close() }()
	return l.Addr().(*net.TCPAddr).Port
}

// startDovecot starts a Dovecot on loopback, or skips the test when
// Dovecot is not installed or we are not root (CI runs as root).
func startDovecot(t *testing.T, extra ...string) *server {
	t.Helper()
	if _, err := exec.LookPath("dovecot"); err != nil {
		t.Skip("dovecot not installed (apt-get install dovecot-imapd): skipping the live IMAP test")
	}
	if os.Geteuid() != 0 {
		t.Skip("the Dovecot test runs as root (Dovecot drops privileges itself): skipping")
	}
	s := &server{dir: t.TempDir(), imaps: freePort(t), imap: freePort(t)}
	args := append([]string{"start", s.dir, strconv.Itoa(s.imaps), strconv.Itoa(s.imap)}, extra...)
	out, err := exec.Command("../../scripts/dovecot.sh", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("dovecot.sh: %v\n%s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("../../scripts/dovecot.sh", "stop", s.dir).Run() })
	pem, err := os.ReadFile(filepath.Join(s.dir, "ca.crt"))
	if err != nil {
		t.Fatal(err)
	}
	s.pool = x509.NewCertPool()
	s.pool.AppendCertsFromPEM(pem)
	return s
}

// message returns a message of exactly n bytes (CRLF line ends, as IMAP
// counts RFC822.SIZE).
func message(i, n int) []byte {
	head := fmt.Sprintf("From: test@example.com\r\nTo: alice@example.com\r\nSubject: message %d\r\nMessage-ID: <%d@test>\r\n\r\n", i, i)
	body := strings.Repeat("x", n-len(head)-2) + "\r\n"
	return []byte(head + body)
}

// fill logs in as user and appends messages: folder -> sizes. It returns
// folder -> {count, bytes}.
func (s *server) fill(t *testing.T, user, password string, content map[string][]int) map[string][2]int64 {
	t.Helper()
	c, err := client.DialTLS(fmt.Sprintf("127.0.0.1:%d", s.imaps), &tls.Config{RootCAs: s.pool, ServerName: "localhost"})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = c.Logout() }()
	var loginErr error
	for i := 0; i < 20; i++ { // the auth process may still be starting
		if loginErr = c.Login(user, password); loginErr == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if loginErr != nil {
		t.Fatal(loginErr)
	}
	want := map[string][2]int64{}
	i := 0
	for folder, sizes := range content {
		if folder != "INBOX" {
			_ = c.Create(folder) // Sent and Trash exist already
		}
		var total int64
		for _, n := range sizes {
			i++
			msg := message(i, n)
			if err := c.Append(folder, nil, time.Now(), bytes.NewReader(msg)); err != nil {
				t.Fatalf("append to %s: %v", folder, err)
			}
			total += int64(len(msg))
		}
		want[folder] = [2]int64{int64(len(sizes)), total}
	}
	return want
}

type result struct {
	src       snapshot.Source
	mailboxes map[string]*snapshot.Mailbox
	folders   map[string]*snapshot.Folder // identity|path
	order     []string
}

func run(t *testing.T, c *Collector) result {
	t.Helper()
	r := result{mailboxes: map[string]*snapshot.Mailbox{}, folders: map[string]*snapshot.Folder{}}
	if c.Timeout == 0 {
		c.Timeout = 10 * time.Second
	}
	src, err := c.Collect(context.Background(), snapshot.SinkFunc(func(rec *snapshot.Record) error {
		switch {
		case rec.Mailbox != nil:
			m := *rec.Mailbox
			r.mailboxes[m.Identity] = &m
			r.order = append(r.order, "mailbox:"+m.Identity)
		case rec.Folder != nil:
			f := *rec.Folder
			r.folders[f.Mailbox+"|"+f.Path] = &f
			r.order = append(r.order, "folder:"+f.Mailbox)
		}
		return nil
	}))
	if err != nil {
		t.Fatalf("Collect returned a Go error: %v", err)
	}
	r.src = src
	return r
}

var aliceContent = map[string][]int{
	"INBOX":         {1000, 2000, 3000, 4000, 5000},
	"Sent":          {700, 800, 900},
	"Projekte":      {1500},
	"Projekte/2025": {2500, 12345},
	"Trash":         {},
	"Entwürfe":      {600, 650}, // modified UTF-7 on the wire
}

func checkAlice(t *testing.T, r result, want map[string][2]int64, exactLargest bool) {
	t.Helper()
	m := r.mailboxes["alice@example.com"]
	if m == nil {
		t.Fatalf("no mailbox for alice; source %+v", r.src)
	}
	var items, bytes int64
	for folder, w := range want {
		f := r.folders["alice@example.com|/"+folder]
		if f == nil {
			t.Errorf("folder %s missing", folder)
			continue
		}
		if f.Items != w[0] || f.Bytes != w[1] {
			t.Errorf("folder %s: %d messages, %d bytes; the test put %d messages, %d bytes", folder, f.Items, f.Bytes, w[0], w[1])
		}
		items += w[0]
		bytes += w[1]
	}
	if m.ItemCount != items || m.TotalBytes != bytes {
		t.Errorf("mailbox: %d messages, %d bytes; want %d, %d", m.ItemCount, m.TotalBytes, items, bytes)
	}
	types := map[string]string{"INBOX": "Inbox", "Sent": "SentItems", "Trash": "DeletedItems", "Projekte": "User Created", "Projekte/2025": "User Created", "Entwürfe": "Drafts"}
	for folder, typ := range types {
		if f := r.folders["alice@example.com|/"+folder]; f != nil && f.Type != typ {
			t.Errorf("folder %s: type %q, want %q", folder, f.Type, typ)
		}
	}
	if f := r.folders["alice@example.com|/Projekte"]; f != nil && f.Subfolders != 1 {
		t.Errorf("Projekte: %d subfolders, want 1", f.Subfolders)
	}
	if f := r.folders["alice@example.com|/Projekte/2025"]; f != nil && f.Depth != 2 {
		t.Errorf("Projekte/2025: depth %d", f.Depth)
	}
	if f := r.folders["alice@example.com|/Projekte/2025"]; exactLargest && (f == nil || f.LargestItemBytes != 12345) {
		t.Errorf("largest item of Projekte/2025: %+v, want 12345", f)
	}
	if len(r.order) == 0 || r.order[0] != "mailbox:alice@example.com" {
		t.Errorf("the mailbox record must come before its folders: %v", r.order)
	}
}

func writeAccounts(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "accounts.csv")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDovecot(t *testing.T) {
	s := startDovecot(t)
	want := s.fill(t, "alice", "alice-secret", aliceContent)
	s.fill(t, "bob", "bob-secret", map[string][]int{"INBOX": {4096}})
	imaps := fmt.Sprintf("imaps://localhost:%d", s.imaps)

	t.Run("per-account passwords, STATUS=SIZE", func(t *testing.T) {
		t.Setenv("BOB_PW", "bob-secret")
		accs, _, err := ReadAccounts(writeAccounts(t, "EmailAddress,UserName,Password,password_env\nalice@example.com,alice,alice-secret,\nbob@example.com,bob,,BOB_PW\n"), os.Getenv, true)
		if err != nil {
			t.Fatal(err)
		}
		r := run(t, &Collector{URL: imaps, Accounts: accs, RootCAs: s.pool})
		if r.src.Status != snapshot.StatusOK || r.src.Objects != (1+6)+(1+3) { // mailbox + INBOX, Sent, Trash, Projekte, Projekte/2025, Entwürfe; bob: INBOX, Sent, Trash
			t.Fatalf("source %+v", r.src)
		}
		checkAlice(t, r, want, false)
		if b := r.mailboxes["bob@example.com"]; b == nil || b.ItemCount != 1 || b.TotalBytes != 4096 {
			t.Errorf("bob: %+v", b)
		}
	})
	t.Run("Dovecot master user over STARTTLS", func(t *testing.T) {
		r := run(t, &Collector{URL: fmt.Sprintf("imap://localhost:%d", s.imap), Accounts: []Account{{User: "alice", Identity: "alice@example.com"}},
			Admin: "admin", AdminPassword: "admin-secret", Mode: AdminMaster, RootCAs: s.pool})
		if r.src.Status != snapshot.StatusOK {
			t.Fatalf("source %+v", r.src)
		}
		checkAlice(t, r, want, false)
	})
	t.Run("SASL PLAIN authzid", func(t *testing.T) {
		r := run(t, &Collector{URL: imaps, Accounts: []Account{{User: "alice", Identity: "alice@example.com"}},
			Admin: "admin", AdminPassword: "admin-secret", Mode: AdminAuthzid, RootCAs: s.pool})
		if r.src.Status != snapshot.StatusOK {
			t.Fatalf("source %+v", r.src)
		}
		checkAlice(t, r, want, false)
	})
	t.Run("wrong password is a failed source", func(t *testing.T) {
		r := run(t, &Collector{URL: imaps, Accounts: []Account{{User: "alice", Identity: "alice@example.com", Password: "wrong"}, {User: "bob", Identity: "bob@example.com", Password: "bob-secret"}}, RootCAs: s.pool})
		if r.src.Status != snapshot.StatusError || !strings.Contains(r.src.Error, "1 of 2") || !strings.Contains(r.src.Error, "alice") || strings.Contains(r.src.Error, "wrong") {
			t.Errorf("source %+v", r.src)
		}
		if r.mailboxes["bob@example.com"] == nil {
			t.Error("bob's mailbox should still be read")
		}
	})
	t.Run("untrusted certificate is a failed source", func(t *testing.T) {
		r := run(t, &Collector{URL: imaps, Accounts: []Account{{User: "alice", Identity: "alice", Password: "alice-secret"}}})
		if r.src.Status != snapshot.StatusError || !strings.Contains(r.src.Error, "TLS") {
			t.Errorf("source %+v", r.src)
		}
	})
	t.Run("unreachable server is a failed source", func(t *testing.T) {
		r := run(t, &Collector{URL: fmt.Sprintf("imaps://127.0.0.1:%d", freePort(t)), Accounts: []Account{{User: "a", Identity: "a"}, {User: "b", Identity: "b"}}, RootCAs: s.pool, Timeout: 2 * time.Second})
		if r.src.Status != snapshot.StatusError || !strings.Contains(r.src.Error, "2 of 2") || !strings.Contains(r.src.Error, "connect") {
			t.Errorf("source %+v", r.src)
		}
	})
}

func TestDovecotWithoutStatusSize(t *testing.T) {
	s := startDovecot(t, "--no-status-size")
	want := s.fill(t, "alice", "alice-secret", aliceContent)
	// Make sure the server really does not offer STATUS=SIZE.
	c, err := client.DialTLS(fmt.Sprintf("127.0.0.1:%d", s.imaps), &tls.Config{RootCAs: s.pool, ServerName: "localhost"})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Login("alice", "alice-secret"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := c.Support("STATUS=SIZE"); ok {
		t.Fatal("server still announces STATUS=SIZE")
	}
	_ = c.Logout()
	r := run(t, &Collector{URL: fmt.Sprintf("imaps://localhost:%d", s.imaps), Accounts: []Account{{User: "alice", Identity: "alice@example.com", Password: "alice-secret"}}, RootCAs: s.pool})
	if r.src.Status != snapshot.StatusOK {
		t.Fatalf("source %+v", r.src)
	}
	checkAlice(t, r, want, true)
}

func TestParseURL(t *testing.T) {
	for raw, want := range map[string]string{"imaps://mail.example.com": "mail.example.com:993", "imap://mail.example.com": "mail.example.com:143", "imaps://[::1]:1993": "[::1]:1993"} {
		if addr, _, _, err := ParseURL(raw); err != nil || addr != want {
			t.Errorf("ParseURL(%q) = %q, %v", raw, addr, err)
		}
	}
	for _, raw := range []string{"https://x", "imaps://user:pw@host", "imaps://", "imaps://host/INBOX"} {
		if _, _, _, err := ParseURL(raw); err == nil {
			t.Errorf("ParseURL(%q): want an error", raw)
		}
	}
}

func TestFolderType(t *testing.T) {
	for _, tc := range []struct {
		name, delim string
		attrs       []string
		want        string
	}{
		{"INBOX", "/", nil, "Inbox"},
		{"Sent", "/", []string{`\Sent`}, "SentItems"},
		{"INBOX.Sent", ".", nil, "SentItems"},
		{"INBOX.Trash", ".", nil, "DeletedItems"},
		{"INBOX.Projekte.2025", ".", nil, "User Created"},
		{"Gesendete Elemente", "/", nil, "SentItems"},
		{"Archiv/Gesendet", "/", nil, "User Created"},
		{"Spam", "/", nil, "JunkEmail"},
	} {
		mi := &goimap.MailboxInfo{Name: tc.name, Delimiter: tc.delim, Attributes: tc.attrs}
		if got := folderType(mi); got != tc.want {
			t.Errorf("folderType(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}
