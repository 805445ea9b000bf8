package imap

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/preflight-scan/preflight/internal/limits"
	"github.com/preflight-scan/preflight/snapshot"
)

// testLiteral is the literal limit of the guard tests.
const testLiteral = 10

// testLine is the line limit of the guard tests.
const testLine = 40

// feed runs data through a guard with the given limits, in chunks of
// chunk bytes, and returns what reached the reader and the error.
func feed(t *testing.T, data string, chunk int) (string, error) {
	t.Helper()
	a, b := net.Pipe()
	go func() {
		for i := 0; i < len(data); i += chunk {
			j := min(i+chunk, len(data))
			if _, err := a.Write([]byte(data[i:j])); err != nil {
				return
			}
		}
		_ = a.Close()
	}()
	g := &guardConn{Conn: b, maxLiteral: testLiteral, maxLine: testLine}
	out, err := io.ReadAll(g)
	return string(out), err
}

func TestGuardLiterals(t *testing.T) {
	const line = testLine
	for _, chunk := range []int{1, 3, 1000} {
		// At the limit: passes, and literal bytes (which may hold braces
		// and line ends) are not parsed as response text.
		ok := "* LIST () \"/\" {10}\r\n{99999999}\r\n* OK done\r\n"
		if got, err := feed(t, ok, chunk); err != nil || got != ok {
			t.Errorf("chunk %d: literal at the limit: %q, %v", chunk, got, err)
		}
		// Just over: refused before the line end reaches the client.
		over := "* LIST () \"/\" {11}\r\n01234567890\r\n"
		got, err := feed(t, over, chunk)
		if !errors.Is(err, limits.ErrTooLarge) || !strings.Contains(err.Error(), "IMAPLiteralBytes") {
			t.Errorf("chunk %d: literal over the limit: err %v", chunk, err)
		}
		if strings.Contains(got, "{11}\r\n") {
			t.Errorf("chunk %d: the announcement reached the client: %q", chunk, got)
		}
		// The non-synchronising form {N+} too.
		if _, err := feed(t, "a1 APPEND x {4000000000+}\r\n", chunk); !errors.Is(err, limits.ErrTooLarge) {
			t.Errorf("chunk %d: {N+} over the limit: %v", chunk, err)
		}
		// A brace in a quoted string is not a literal.
		text := "* OK [ALERT] \"{12345678901234}\" x\r\n"
		if got, err := feed(t, text, chunk); err != nil || got != text {
			t.Errorf("chunk %d: brace in text: %q, %v", chunk, got, err)
		}
		// A line just over the line limit.
		if _, err := feed(t, "* "+strings.Repeat("x", line-1)+"\r\n", chunk); !errors.Is(err, limits.ErrTooLarge) {
			t.Errorf("chunk %d: long line: %v", chunk, err)
		}
		if _, err := feed(t, "* "+strings.Repeat("x", line-4)+"\r\n", chunk); err != nil {
			t.Errorf("chunk %d: line at the limit: %v", chunk, err)
		}
	}
}

// TestGuardAtoms: a run without a space, parenthesis or line end longer
// than the atom limit fails the connection; literal bytes and line ends
// do not count towards it.
func TestGuardAtoms(t *testing.T) {
	for _, chunk := range []int{1, 7, 1000} {
		run := func(data string) error {
			a, b := net.Pipe()
			go func() {
				for i := 0; i < len(data); i += chunk {
					if _, err := a.Write([]byte(data[i:min(i+chunk, len(data))])); err != nil {
						return
					}
				}
				_ = a.Close()
			}()
			_, err := io.ReadAll(&guardConn{Conn: b, maxLiteral: 100, maxLine: 1000, maxAtom: 8})
			return err
		}
		if err := run("* LIST () \"/\" 12345678\r\n12345678 {9}\r\n123456789 x\r\n"); err != nil {
			t.Errorf("chunk %d: atoms at the limit: %v", chunk, err)
		}
		if err := run("* LIST () \"/\" (123456789)\r\n"); !errors.Is(err, limits.ErrTooLarge) || !strings.Contains(err.Error(), "IMAPAtomBytes") {
			t.Errorf("chunk %d: atom over the limit: %v", chunk, err)
		}
	}
}

// TestHostileLiteralFailsTheSource: a server announcing a 4 GB literal
// gives a failed source naming the limit (exit 3 and a report), not a
// 4 GB allocation that kills the process; so does a response line that
// holds a run of 8 MiB without a space: limits.IMAPAtomBytes refuses it at
// once (before, go-imap's quadratic atom parsing took minutes, the command
// timed out and the source said only "connection closed").
func TestHostileLiteralFailsTheSource(t *testing.T) {
	for _, tc := range []struct{ name, send, limit string }{
		{"literal", fmt.Sprintf("{%d}", uint64(limits.IMAPLiteralBytes)+1), "IMAPLiteralBytes"},
		{"atom", strings.Repeat("x", limits.IMAPLineBytes), "IMAPAtomBytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			addr, pool := serveTLS(t, func(c net.Conn) { hostileIMAP(c, tc.send) })
			c := &Collector{URL: "imaps://" + addr, Accounts: []Account{{User: "alice", Identity: "alice", Password: "pw"}},
				RootCAs: pool, Timeout: 10 * time.Second}
			src, err := c.Collect(context.Background(), snapshot.SinkFunc(func(*snapshot.Record) error { return nil }))
			if err != nil {
				t.Fatal(err)
			}
			if src.Status != snapshot.StatusError || !strings.Contains(src.Error, tc.limit) {
				t.Errorf("source %s: %q, want an error naming limits.%s", src.Status, src.Error, tc.limit)
			}
		})
	}
}

// TestSilentServerTimesOut: a server that greets without capabilities and
// then never answers CAPABILITY fails the source after --timeout (before,
// go-imap cleared the deadline and the scan hung for ever).
func TestSilentServerTimesOut(t *testing.T) {
	addr, pool := serveTLS(t, func(c net.Conn) {
		_, _ = fmt.Fprint(c, "* OK ready\r\n")
		_, _ = io.Copy(io.Discard, c)
	})
	c := &Collector{URL: "imaps://" + addr, Accounts: []Account{{User: "alice", Identity: "alice", Password: "pw"}},
		RootCAs: pool, Timeout: 500 * time.Millisecond}
	src, err := c.Collect(context.Background(), snapshot.SinkFunc(func(*snapshot.Record) error { return nil }))
	if err != nil {
		t.Fatal(err)
	}
	if src.Status != snapshot.StatusError {
		t.Errorf("source %s %q, want error", src.Status, src.Error)
	}
}

// serveTLS serves TLS on a loopback port with a self-signed certificate
// until the test ends, each connection by handle in its own goroutine; it
// returns the address and the pool that trusts the certificate.
func serveTLS(t *testing.T, handle func(net.Conn)) (string, *x509.CertPool) {
	t.Helper()
	cert, pool := selfSigned(t)
	l, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go handle(c)
		}
	}()
	return l.Addr().String(), pool
}

// hostileIMAP answers like a server until LIST, whose answer announces
// literal and then sends nothing.
func hostileIMAP(c net.Conn, literal string) {
	defer func() { _ = c.Close() }()
	br := bufio.NewReader(c)
	_, _ = fmt.Fprint(c, "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n")
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return
		}
		f := strings.Fields(line)
		if len(f) < 2 {
			return
		}
		tag, cmd := f[0], strings.ToUpper(f[1])
		switch cmd {
		case "CAPABILITY":
			_, _ = fmt.Fprintf(c, "* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n%s OK done\r\n", tag)
		case "AUTHENTICATE":
			_, _ = fmt.Fprint(c, "+ \r\n")
			_, _ = br.ReadString('\n')
			_, _ = fmt.Fprintf(c, "%s OK logged in\r\n", tag)
		case "LOGIN":
			_, _ = fmt.Fprintf(c, "%s OK logged in\r\n", tag)
		case "LIST":
			_, _ = fmt.Fprintf(c, "* LIST () \"/\" %s\r\n", literal)
			time.Sleep(5 * time.Second)
			return
		default:
			_, _ = fmt.Fprintf(c, "%s OK\r\n", tag)
		}
	}
}

func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}
