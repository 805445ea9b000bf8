package imap

import (
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime/debug"
	"testing"
	"time"

	goimap "github.com/emersion/go-imap"
	"github.com/emersion/go-imap/client"

	"github.com/preflight-scan/preflight/internal/limits"
	"github.com/preflight-scan/preflight/snapshot"
)

// FuzzIMAPResponses feeds arbitrary server responses through the guard to
// the client library, as the collector uses it (greeting, capabilities,
// LIST, STATUS): nothing may panic or hang, and a literal over the limit
// is refused by the guard before the library allocates it.
func FuzzIMAPResponses(f *testing.F) {
	f.Add([]byte("* OK ready\r\n* CAPABILITY IMAP4rev1 STATUS=SIZE\r\n* LIST () \"/\" INBOX\r\n* STATUS INBOX (MESSAGES 3 SIZE 1234)\r\n"))
	f.Add([]byte("* OK ready\r\n* LIST (\\Noselect) \"/\" {5}\r\nHello\r\n"))
	f.Add([]byte("* OK ready\r\n* LIST () \"/\" {4000000000}\r\n"))
	f.Add([]byte("* PREAUTH x\r\n* 1 FETCH (RFC822.SIZE 10)\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		// A hang is a finding: every wait below is bounded by 100 ms,
		// so an input still running after 30 s kills the worker, with
		// every goroutine's stack, and the input is kept.
		watchdog := time.AfterFunc(30*time.Second, func() {
			debug.SetTraceback("all")
			panic("FuzzIMAPResponses: input still running after 30 s")
		})
		defer watchdog.Stop()
		server, conn := net.Pipe()
		go func() {
			// The server reads what the client sends, says its piece
			// and hangs up: the client sees the end of the stream at
			// once instead of waiting out its timeout (the target
			// made a few execs a second, and minimising one new input
			// took the whole run).
			go func() { _, _ = io.Copy(io.Discard, server) }()
			_, _ = server.Write(data)
			_ = server.Close()
		}()
		defer func() { _ = server.Close() }()
		g := &guardConn{Conn: conn, maxLiteral: 1 << 10, maxLine: 4 << 10}
		g.holdDeadline(time.Now().Add(100 * time.Millisecond))
		cl, err := client.New(g)
		if err != nil {
			return
		}
		cl.Timeout = 100 * time.Millisecond
		ch := make(chan *goimap.MailboxInfo, 16)
		done := make(chan error, 1)
		go func() { done <- cl.List("", "*", ch) }()
		for range ch {
		}
		if err := <-done; err == nil {
			_, _ = cl.Status("INBOX", nil)
		}
		_ = cl.Terminate()
		if err := g.Err(); err != nil && err.Error() == "" {
			t.Fatal("guard error without a message")
		}
	})
}

// FuzzGuard runs arbitrary bytes through the guard in chunks: it never
// panics, and it passes or refuses, never anything else.
func FuzzGuard(f *testing.F) {
	f.Add([]byte("* LIST () \"/\" {10}\r\n0123456789\r\n"), uint8(3))
	f.Add([]byte("{11+}\r\n"), uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, chunk uint8) {
		n := int(chunk%64) + 1
		g := &guardConn{maxLiteral: 10, maxLine: 100, maxAtom: 40}
		for i := 0; i < len(data); i += n {
			if err := g.scan(data[i:min(i+n, len(data))]); err != nil {
				if !errors.Is(err, limits.ErrTooLarge) {
					t.Fatalf("error %v is not a limit", err)
				}
				return
			}
		}
	})
}

// FuzzAccounts reads arbitrary accounts files: every error is bad input.
func FuzzAccounts(f *testing.F) {
	f.Add([]byte("user,password_env\nalice,PW\n"), true)
	f.Add([]byte("EmailAddress,UserName,Password\na@x,a,secret\n"), true)
	f.Add([]byte("user\nbob\n"), false)
	f.Fuzz(func(t *testing.T, data []byte, needPassword bool) {
		p := filepath.Join(t.TempDir(), "accounts.csv")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		accs, _, err := ReadAccounts(p, func(string) string { return "pw" }, needPassword)
		if err != nil {
			if !errors.Is(err, snapshot.ErrBadInput) {
				t.Fatalf("error %v is not bad input", err)
			}
			return
		}
		for _, a := range accs {
			if a.User == "" || a.Identity == "" {
				t.Fatalf("account without a login or identity: %+v", a)
			}
		}
	})
}
