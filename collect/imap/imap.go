// Package imap collects mailboxes over IMAP for POP/IMAP migrations: for
// each account, every selectable folder with its message count (STATUS
// MESSAGES) and size (STATUS SIZE where the server announces STATUS=SIZE,
// RFC 8438; otherwise the sum of RFC822.SIZE over FETCH 1:*).
//
// It logs in to each account with the account's own password, or with one
// administrator login that may open other users' mailboxes:
//
//   - AdminMaster: Dovecot's master user convention, LOGIN "user*master"
//     (the separator is Dovecot's auth_master_user_separator, "*" by
//     default; the BPOS migration tools call this "User*Admin");
//   - AdminAuthzid: SASL PLAIN with an authorisation identity (RFC 4616):
//     authenticate as the administrator, act as the user. Dovecot master
//     users accept it, and so do Cyrus IMAP (admins listed in "admins" or
//     "proxyservers") and Zimbra (domain or global administrators).
//
// TLS is required and verified: imaps:// (implicit TLS, port 993) or
// imap:// with STARTTLS (port 143). The client library is
// github.com/emersion/go-imap v1 (see docs/mailbox-exports.md for why).
package imap

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	goimap "github.com/emersion/go-imap"
	"github.com/emersion/go-imap/client"
	"github.com/emersion/go-sasl"

	"github.com/preflight-scan/preflight/collect/mailbox"
	"github.com/preflight-scan/preflight/internal/clip"
	"github.com/preflight-scan/preflight/internal/dialer"
	"github.com/preflight-scan/preflight/internal/limits"
	"github.com/preflight-scan/preflight/internal/urlhost"
	"github.com/preflight-scan/preflight/progress"
	"github.com/preflight-scan/preflight/snapshot"
)

// AdminMode says how an administrator login opens another user's mailbox.
type AdminMode string

// Admin modes.
const (
	AdminNone    AdminMode = ""
	AdminMaster  AdminMode = "master"  // LOGIN user*admin (Dovecot)
	AdminAuthzid AdminMode = "authzid" // AUTHENTICATE PLAIN authzid=user (Dovecot, Cyrus, Zimbra)
)

// Account is one mailbox to read. Password is empty when an administrator
// login is used.
type Account struct {
	// Identity names the mailbox in the report (an address); User is the
	// login name.
	Identity string
	User     string
	Password string
	// Line is the accounts file line, for messages.
	Line int
}

// Collector reads mailboxes from one IMAP server.
type Collector struct {
	// URL is imaps://host[:993] or imap://host[:143] (STARTTLS).
	URL      string
	Accounts []Account
	// Admin, AdminPassword and Mode give the administrator login; Mode
	// AdminNone uses each account's own password.
	Admin         string
	AdminPassword string
	Mode          AdminMode
	// MasterSeparator joins user and master in AdminMaster mode ("*").
	MasterSeparator string
	// RootCAs verifies the server; nil uses the system pool.
	RootCAs *x509.CertPool
	// Timeout bounds each network operation.
	Timeout time.Duration
	// Dialer opens the connections and enforces the loopback guard
	// before any name resolution; nil dials without the guard.
	Dialer   *dialer.Dialer
	Progress *progress.Reporter
	// Notes are added to the source (for example about the accounts file).
	Notes []string
}

// ParseURL checks an IMAP URL and returns host:port and whether TLS is
// implicit.
func ParseURL(raw string) (addr, host string, implicitTLS bool, err error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", "", false, fmt.Errorf("imap url %q: %w", raw, err)
	}
	var port string
	switch strings.ToLower(u.Scheme) {
	case "imaps":
		implicitTLS, port = true, "993"
	case "imap":
		port = "143"
	default:
		return "", "", false, fmt.Errorf("imap url %q: scheme must be imaps:// or imap:// (STARTTLS)", raw)
	}
	if u.User != nil {
		return "", "", false, fmt.Errorf("imap url: credentials do not belong in the URL; use --imap-accounts or --imap-admin-user with --imap-password-env/--imap-password-file")
	}
	if u.Hostname() == "" || (u.Path != "" && u.Path != "/") {
		return "", "", false, fmt.Errorf("imap url %s: want imaps://host[:port]", clip.Quote(raw))
	}
	if err := urlhost.Check(u); err != nil {
		return "", "", false, fmt.Errorf("imap url %s: %w", clip.Quote(raw), err)
	}
	if p := u.Port(); p != "" {
		port = p
	}
	return net.JoinHostPort(u.Hostname(), port), u.Hostname(), implicitTLS, nil
}

// Collect reads every account. Failures (unreachable server, TLS, login,
// a command error) do not abort: the source is reported as failed with
// the accounts that failed and why, and the mailboxes read are kept.
func (c *Collector) Collect(ctx context.Context, sink snapshot.Sink) (snapshot.Source, error) {
	start := time.Now()
	src := snapshot.Source{Name: c.URL, Kind: "imap", Areas: []snapshot.Area{snapshot.AreaMailbox}, Status: snapshot.StatusOK, Notes: append([]string(nil), c.Notes...)}
	addr, host, implicit, err := ParseURL(c.URL)
	if err != nil {
		return src, &snapshot.InputError{Msg: err.Error()}
	}
	var failed []string
	var nfailed int
	for i, acc := range c.Accounts {
		if ctx.Err() != nil {
			failed = append(failed, "interrupted: "+ctx.Err().Error())
			nfailed += len(c.Accounts) - i
			break
		}
		n, err := c.account(ctx, addr, host, implicit, acc, sink)
		src.Objects += n
		if err != nil {
			var se sinkError
			if errors.As(err, &se) {
				return src, se.err
			}
			nfailed++
			if len(failed) < 5 {
				failed = append(failed, fmt.Sprintf("%s: %v", acc.Identity, err))
			}
			// Without a connection no other account will fare better.
			var ce connError
			if errors.As(err, &ce) && i == 0 {
				nfailed = len(c.Accounts)
				break
			}
		}
		c.Progress.Update(c.URL, src.Objects, int64(i+1))
	}
	if nfailed > 0 {
		src.Status = snapshot.StatusError
		src.Error = fmt.Sprintf("%d of %d account(s) could not be read: %s", nfailed, len(c.Accounts), strings.Join(failed, "; "))
	}
	src.DurationMS = time.Since(start).Milliseconds()
	c.Progress.Done(c.URL, src.Objects, int64(len(c.Accounts)), src.Status)
	return src, nil
}

// connError marks a failure to reach the server at all (connect or TLS).
type connError struct{ err error }

func (e connError) Error() string { return e.err.Error() }
func (e connError) Unwrap() error { return e.err }

// sinkError is a failure of the sink, which aborts the scan.
type sinkError struct{ err error }

func (e sinkError) Error() string { return e.err.Error() }

func (c *Collector) dial(ctx context.Context, addr, host string, implicit bool) (*client.Client, *guardConn, error) {
	raw, err := c.Dialer.WithTimeout(c.Timeout).DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, nil, connError{fmt.Errorf("connect %s: %w", addr, err)}
	}
	tcfg := &tls.Config{ServerName: host, RootCAs: c.RootCAs, MinVersion: tls.VersionTLS12}
	hctx, cancel := c.opCtx(ctx)
	defer cancel()
	var conn net.Conn
	if implicit {
		tc := tls.Client(raw, tcfg)
		if err := tc.HandshakeContext(hctx); err != nil {
			_ = raw.Close()
			return nil, nil, connError{fmt.Errorf("TLS with %s: %w", addr, err)}
		}
		conn = tc
	} else {
		// STARTTLS is done here rather than by the library, so that the
		// guard sits above TLS for the whole session.
		tc, err := startTLS(hctx, raw, tcfg, addr)
		if err != nil {
			_ = raw.Close()
			return nil, nil, err
		}
		conn = tc
	}
	g := newGuardConn(conn)
	to := c.Timeout
	if to <= 0 {
		to = 2 * time.Minute
	}
	g.holdDeadline(time.Now().Add(to))
	stopNew := context.AfterFunc(ctx, func() { _ = g.Close() })
	cl, err := client.New(g)
	stopNew()
	if err != nil {
		_ = g.Close()
		if gerr := g.Err(); gerr != nil {
			err = gerr
		}
		return nil, nil, connError{fmt.Errorf("greeting from %s: %w", addr, err)}
	}
	// The library logs read errors to stderr when a connection is closed
	// under it; the collector reports failures itself.
	cl.ErrorLog = log.New(io.Discard, "", 0)
	g.holdDeadline(time.Time{})
	cl.Timeout = c.Timeout
	return cl, g, nil
}

// startTLS reads the greeting, runs STARTTLS and the TLS handshake on
// raw, and returns the TLS connection with a greeting of its own in
// front, for the client library to read as the session's start. Every
// line read is bounded; a server that does not offer STARTTLS is refused
// (credentials never go in clear), and so is one that sends anything
// after its answer to STARTTLS before the handshake (command injection).
func startTLS(ctx context.Context, raw net.Conn, tcfg *tls.Config, addr string) (net.Conn, error) {
	if dl, ok := ctx.Deadline(); ok {
		_ = raw.SetDeadline(dl)
		defer func() { _ = raw.SetDeadline(time.Time{}) }()
	}
	br := bufio.NewReaderSize(raw, 4096)
	readLine := func() (string, error) {
		b, err := limits.ReadLine(br, nil, limits.IMAPLineBytes, "IMAP response line", "IMAPLineBytes")
		return string(b), err
	}
	greet, err := readLine()
	if err != nil {
		return nil, connError{fmt.Errorf("greeting from %s: %w", addr, err)}
	}
	if !strings.HasPrefix(strings.ToUpper(greet), "* OK") {
		return nil, connError{fmt.Errorf("greeting from %s: want * OK, got %s", addr, clip.Quote(greet))}
	}
	if _, err := io.WriteString(raw, "P1 STARTTLS\r\n"); err != nil {
		return nil, connError{fmt.Errorf("STARTTLS with %s: %w", addr, err)}
	}
	for {
		line, err := readLine()
		if err != nil {
			return nil, connError{fmt.Errorf("STARTTLS with %s: %w", addr, err)}
		}
		if strings.HasPrefix(line, "* ") {
			continue
		}
		if !strings.HasPrefix(strings.ToUpper(line), "P1 OK") {
			return nil, connError{fmt.Errorf("%s does not offer STARTTLS; refusing to send credentials in clear", addr)}
		}
		break
	}
	if br.Buffered() > 0 {
		return nil, connError{fmt.Errorf("STARTTLS with %s: the server sent data before the TLS handshake", addr)}
	}
	tc := tls.Client(raw, tcfg)
	if err := tc.HandshakeContext(ctx); err != nil {
		return nil, connError{fmt.Errorf("STARTTLS with %s: %w", addr, err)}
	}
	return &greetedConn{Conn: tc, greeting: []byte("* OK [preflight] TLS started\r\n")}, nil
}

// greetedConn reads greeting before the connection's own bytes.
type greetedConn struct {
	net.Conn
	greeting []byte
}

func (g *greetedConn) Read(p []byte) (int, error) {
	if len(g.greeting) > 0 {
		n := copy(p, g.greeting)
		g.greeting = g.greeting[n:]
		return n, nil
	}
	return g.Conn.Read(p)
}

func (c *Collector) opCtx(ctx context.Context) (context.Context, context.CancelFunc) {
	if c.Timeout > 0 {
		return context.WithTimeout(ctx, c.Timeout)
	}
	return context.WithCancel(ctx)
}

func (c *Collector) login(cl *client.Client, acc Account) error {
	switch c.Mode {
	case AdminMaster:
		sep := c.MasterSeparator
		if sep == "" {
			sep = "*"
		}
		if err := cl.Login(acc.User+sep+c.Admin, c.AdminPassword); err != nil {
			return fmt.Errorf("login as %s%s(admin): %w", acc.User, sep, err)
		}
	case AdminAuthzid:
		ok, _ := cl.SupportAuth(sasl.Plain)
		if !ok {
			return errors.New("server does not offer AUTH=PLAIN, needed to act as a user with an admin login")
		}
		if err := cl.Authenticate(sasl.NewPlainClient(acc.User, c.Admin, c.AdminPassword)); err != nil {
			return fmt.Errorf("authenticate as admin for %s: %w", acc.User, err)
		}
	default:
		if ok, _ := cl.SupportAuth(sasl.Plain); ok {
			if err := cl.Authenticate(sasl.NewPlainClient("", acc.User, acc.Password)); err != nil {
				return fmt.Errorf("authenticate %s: %w", acc.User, err)
			}
			return nil
		}
		if err := cl.Login(acc.User, acc.Password); err != nil {
			return fmt.Errorf("login %s: %w", acc.User, err)
		}
	}
	return nil
}

// account reads one account and emits its Mailbox record, then its
// folders. It returns the number of records emitted.
func (c *Collector) account(ctx context.Context, addr, host string, implicit bool, acc Account, sink snapshot.Sink) (int64, error) {
	cl, g, err := c.dial(ctx, addr, host, implicit)
	if err != nil {
		return 0, err
	}
	n, err := c.read(ctx, cl, acc, sink)
	if err != nil {
		// A limit the server broke is the reason, whatever the library
		// made of the closed connection.
		var se sinkError
		if gerr := g.Err(); gerr != nil && !errors.As(err, &se) {
			return n, gerr
		}
	}
	return n, err
}

// read logs in on cl and reads the account.
func (c *Collector) read(ctx context.Context, cl *client.Client, acc Account, sink snapshot.Sink) (int64, error) {
	// Terminate drops the connection. The collector only reads, so a
	// failed teardown loses nothing; the cancellation or the read error
	// is what the caller gets.
	stop := context.AfterFunc(ctx, func() { _ = cl.Terminate() })
	defer stop()
	defer func() { _ = cl.Terminate() }()
	if err := c.login(cl, acc); err != nil {
		return 0, err
	}
	hasSize, _ := cl.Support("STATUS=SIZE")
	if !hasSize {
		hasSize, _ = cl.Support("IMAP4rev2")
	}

	ch := make(chan *goimap.MailboxInfo, 64)
	done := make(chan error, 1)
	go func() { done <- cl.List("", "*", ch) }()
	var infos []*goimap.MailboxInfo
	for mi := range ch {
		infos = append(infos, mi)
	}
	if err := <-done; err != nil {
		return 0, fmt.Errorf("LIST: %w", err)
	}

	m := &snapshot.Mailbox{Identity: acc.Identity, PrimarySMTP: addressOf(acc), Origin: fmt.Sprintf("%s account %s", c.URL, acc.Identity)}
	var folders []*snapshot.Folder
	children := map[string]int64{}
	for _, mi := range infos {
		if hasAttr(mi.Attributes, goimap.NoSelectAttr) || hasAttr(mi.Attributes, "\\NonExistent") {
			continue
		}
		msgs, size, largest, err := c.folderStats(cl, mi.Name, hasSize)
		if err != nil {
			return 0, fmt.Errorf("folder %q: %w", mi.Name, err)
		}
		path := "/" + mi.Name
		if mi.Delimiter != "" && mi.Delimiter != "/" {
			path = "/" + strings.ReplaceAll(strings.ReplaceAll(mi.Name, "/", "\uf8ff"), mi.Delimiter, "/")
		}
		f := &snapshot.Folder{Mailbox: acc.Identity, Path: path, Type: folderType(mi), Items: msgs, Bytes: size,
			Depth: mailbox.Depth(path), LargestItemBytes: largest, Origin: m.Origin}
		if f.Depth > 1 {
			children[path[:strings.LastIndexByte(path, '/')]]++
		}
		folders = append(folders, f)
		// The largest message stays on its folder (MBX-006 reports it
		// there), not on the mailbox, so it is not reported twice.
		m.ItemCount += msgs
		m.TotalBytes += size
	}
	_ = cl.Logout()
	if err := sink.Put(&snapshot.Record{Mailbox: m}); err != nil {
		return 0, sinkError{fmt.Errorf("imap: %w", err)}
	}
	n := int64(1)
	for _, f := range folders {
		f.Subfolders = children[f.Path]
		if err := sink.Put(&snapshot.Record{Folder: f}); err != nil {
			return n, sinkError{fmt.Errorf("imap: %w", err)}
		}
		n++
	}
	return n, nil
}

// folderStats returns a folder's message count and size in bytes, and the
// largest message when the sizes were fetched one by one (0 otherwise).
func (c *Collector) folderStats(cl *client.Client, name string, hasSize bool) (msgs, size, largest int64, err error) {
	items := []goimap.StatusItem{goimap.StatusMessages}
	if hasSize {
		items = append(items, "SIZE")
	}
	st, err := cl.Status(name, items)
	if err != nil {
		return 0, 0, 0, fmt.Errorf("STATUS: %w", err)
	}
	msgs = int64(st.Messages)
	if hasSize {
		if v, ok := st.Items["SIZE"]; ok && v != nil {
			n, err := strconv.ParseInt(fmt.Sprint(v), 10, 64)
			if err != nil {
				return 0, 0, 0, fmt.Errorf("STATUS SIZE %v: %w", v, err)
			}
			return msgs, n, 0, nil
		}
	}
	if msgs == 0 {
		return 0, 0, 0, nil
	}
	if _, err := cl.Select(name, true); err != nil {
		return 0, 0, 0, fmt.Errorf("EXAMINE: %w", err)
	}
	seq := new(goimap.SeqSet)
	seq.AddRange(1, 0)
	ch := make(chan *goimap.Message, 256)
	done := make(chan error, 1)
	go func() { done <- cl.Fetch(seq, []goimap.FetchItem{goimap.FetchRFC822Size}, ch) }()
	var n int64
	for msg := range ch {
		n++
		s := int64(msg.Size)
		size += s
		if s > largest {
			largest = s
		}
	}
	if err := <-done; err != nil {
		return 0, 0, 0, fmt.Errorf("FETCH RFC822.SIZE: %w", err)
	}
	return n, size, largest, nil
}

func hasAttr(attrs []string, a string) bool {
	for _, x := range attrs {
		if strings.EqualFold(x, a) {
			return true
		}
	}
	return false
}

// folderType maps INBOX and the special-use attributes (RFC 6154) to
// Exchange folder types, and falls back to the name.
func folderType(mi *goimap.MailboxInfo) string {
	switch {
	case strings.EqualFold(mi.Name, "INBOX"):
		return mailbox.TypeInbox
	case hasAttr(mi.Attributes, goimap.SentAttr):
		return mailbox.TypeSentItems
	case hasAttr(mi.Attributes, goimap.TrashAttr):
		return mailbox.TypeDeletedItems
	case hasAttr(mi.Attributes, goimap.DraftsAttr):
		return mailbox.TypeDrafts
	case hasAttr(mi.Attributes, goimap.JunkAttr):
		return mailbox.TypeJunkEmail
	}
	name := mi.Name
	if d := mi.Delimiter; d != "" {
		// Courier and Cyrus put every folder under INBOX ("INBOX.Sent").
		if len(name) > 6 && strings.EqualFold(name[:5], "INBOX") && name[5:5+len(d)] == d {
			name = name[5+len(d):]
		}
		if strings.Contains(name, d) {
			return mailbox.TypeUserCreated
		}
	}
	switch strings.ToLower(name) {
	case "sent", "sent messages", "gesendet":
		return mailbox.TypeSentItems
	case "trash", "deleted messages", "papierkorb":
		return mailbox.TypeDeletedItems
	case "spam", "junk":
		return mailbox.TypeJunkEmail
	}
	return mailbox.TypeFromPath("/" + name)
}

func addressOf(acc Account) string {
	if strings.Contains(acc.Identity, "@") {
		return acc.Identity
	}
	if strings.Contains(acc.User, "@") {
		return acc.User
	}
	return ""
}
