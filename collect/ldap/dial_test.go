package ldap

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	ber "github.com/go-asn1-ber/asn1-ber"
	goldap "github.com/go-ldap/ldap/v3"

	"github.com/preflight-scan/preflight/snapshot"
)

// testPKI is a CA and a server certificate for 127.0.0.1 and localhost.
type testPKI struct {
	caPEM  []byte
	pool   *x509.CertPool
	server tls.Certificate
}

func newTestPKI(t *testing.T) *testPKI {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "dc"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, KeyUsage: x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	p := &testPKI{caPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}), pool: x509.NewCertPool()}
	p.pool.AddCert(ca)
	p.server = tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
	return p
}

// serve accepts one connection on loopback and runs handle on it; the
// returned function waits for handle and returns what it recorded.
func serve(t *testing.T, handle func(c net.Conn, rec *bytes.Buffer)) (Endpoint, func() []byte) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	var wg sync.WaitGroup
	var rec bytes.Buffer
	wg.Add(1)
	go func() {
		defer wg.Done()
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer func() { _ = c.Close() }()
		_ = c.SetDeadline(time.Now().Add(5 * time.Second))
		handle(c, &rec)
	}()
	port := ln.Addr().(*net.TCPAddr).Port
	return Endpoint{Host: "127.0.0.1", Port: port}, func() []byte { wg.Wait(); return rec.Bytes() }
}

// extendedResponse is an LDAP ExtendedResponse with the given result.
func extendedResponse(id int64, code int64, diag string) []byte {
	pkt := ber.Encode(ber.ClassUniversal, ber.TypeConstructed, ber.TagSequence, nil, "LDAP Response")
	pkt.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagInteger, id, "MessageID"))
	op := ber.Encode(ber.ClassApplication, ber.TypeConstructed, goldap.ApplicationExtendedResponse, nil, "Extended Response")
	op.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagEnumerated, code, "resultCode"))
	op.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, "", "matchedDN"))
	op.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, diag, "diagnosticMessage"))
	pkt.AppendChild(op)
	return pkt.Bytes()
}

func TestDialLDAPSVerifiesCertificate(t *testing.T) {
	pki := newTestPKI(t)
	other := newTestPKI(t)
	tlsServer := func(c net.Conn, _ *bytes.Buffer) {
		tc := tls.Server(c, &tls.Config{Certificates: []tls.Certificate{pki.server}})
		_ = tc.Handshake()
		_, _ = io.Copy(io.Discard, tc)
	}
	cases := []struct {
		name  string
		host  string
		roots *x509.CertPool
		want  string // "" = success
	}{
		{"trusted CA, IP SAN", "127.0.0.1", pki.pool, ""},
		{"trusted CA, DNS SAN", "localhost", pki.pool, ""},
		{"unknown CA", "127.0.0.1", other.pool, "certificate verify failed: x509: certificate signed by unknown authority"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ep, wait := serve(t, tlsServer)
			ep.Scheme, ep.Security, ep.Host = "ldaps", LDAPS, tc.host
			conn, err := netDialer(nil, tc.roots, 5*time.Second)(context.Background(), ep)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("dial: %v", err)
				}
				_ = conn.Close()
			} else if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
			wait()
		})
	}
}

func TestStartTLSUpgradesBeforeBind(t *testing.T) {
	pki := newTestPKI(t)
	ep, wait := serve(t, func(c net.Conn, rec *bytes.Buffer) {
		p, err := ber.ReadPacket(c)
		if err != nil || len(p.Children) < 2 || len(p.Children[1].Children) == 0 ||
			p.Children[1].Children[0].Data.String() != startTLSOID {
			rec.WriteString("no StartTLS request")
			return
		}
		_, _ = c.Write(extendedResponse(1, 0, ""))
		tc := tls.Server(c, &tls.Config{Certificates: []tls.Certificate{pki.server}})
		if err := tc.Handshake(); err != nil {
			rec.WriteString("handshake: " + err.Error())
			return
		}
		rec.WriteString("tls ok")
	})
	ep.Scheme, ep.Security = "ldap", StartTLS
	conn, err := netDialer(nil, pki.pool, 5*time.Second)(context.Background(), ep)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	_ = conn.Close()
	if got := string(wait()); got != "tls ok" {
		t.Errorf("server saw %q", got)
	}
}

// TestStartTLSRefusedNeverSendsPassword: a server without StartTLS makes
// the source fail before the bind; the password never crosses the wire.
func TestStartTLSRefusedNeverSendsPassword(t *testing.T) {
	ep, wait := serve(t, func(c net.Conn, rec *bytes.Buffer) {
		if _, err := ber.ReadPacket(c); err != nil {
			return
		}
		_, _ = c.Write(extendedResponse(1, goldap.LDAPResultProtocolError, "unsupported extended operation"))
		_, _ = io.Copy(rec, c) // anything the client sends after the refusal
	})
	u, _ := ParseURL("ldap://127.0.0.1:"+strconv.Itoa(ep.Port), false)
	c, err := New(Config{Endpoint: u, BindUser: "scanner@corp.example", Password: NewSecret("pa55-w0rd-XYZ"), Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	src, err := c.Collect(context.Background(), snapshot.SinkFunc(func(*snapshot.Record) error { return nil }))
	if err != nil {
		t.Fatal(err)
	}
	if src.Status != snapshot.StatusError || !strings.Contains(src.Error, "StartTLS refused by server") {
		t.Errorf("source = %s %q, want StartTLS refused", src.Status, src.Error)
	}
	if after := wait(); bytes.Contains(after, []byte("pa55-w0rd-XYZ")) || len(after) > 0 {
		t.Errorf("client sent %d bytes after the StartTLS refusal (password included: %v)", len(after), bytes.Contains(after, []byte("pa55")))
	}
}

func TestDialRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	if err := ln.Close(); err != nil { // nothing listens there now
		t.Fatal(err)
	}
	ep := Endpoint{Scheme: "ldaps", Host: "127.0.0.1", Port: port, Security: LDAPS}
	c := &Collector{cfg: Config{Endpoint: ep, Timeout: time.Second}, dial: netDialer(nil, nil, time.Second)}
	s := &scan{c: c, seen: map[string]bool{}}
	_, err = s.connect(context.Background(), ep)
	if got := s.explain(context.Background(), err).Error(); got != "connect to 127.0.0.1:"+strconv.Itoa(port)+": connection refused" {
		t.Errorf("refused: %q", got)
	}

}

func TestHandshakeTimeout(t *testing.T) {
	// The server reads the ClientHello and never answers, until the dial
	// has returned (or, should the dialer have no handshake deadline, 30 s
	// later, when it hangs up: the dial then fails with EOF, not a timeout).
	answered := make(chan struct{})
	ep, wait := serve(t, func(c net.Conn, _ *bytes.Buffer) {
		buf := make([]byte, 1024)
		_, _ = c.Read(buf)
		select {
		case <-answered:
		case <-time.After(30 * time.Second):
		}
	})
	ep.Scheme, ep.Security = "ldaps", LDAPS
	_, err := netDialer(nil, nil, 300*time.Millisecond)(context.Background(), ep)
	close(answered)
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Errorf("err = %v, want the handshake deadline to expire (a timeout)", err)
	}
	wait()
}

func TestLoadCAFile(t *testing.T) {
	dir := t.TempDir()
	pki := newTestPKI(t)
	good := filepath.Join(dir, "ca.pem")
	junk := filepath.Join(dir, "junk.pem")
	if err := os.WriteFile(good, pki.caPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(junk, []byte("not a certificate\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadCAFile(good); err != nil {
		t.Errorf("good CA: %v", err)
	}
	if _, err := LoadCAFile(junk); err == nil || !strings.Contains(err.Error(), "no PEM certificate found") {
		t.Errorf("junk CA: %v", err)
	}
	if _, err := LoadCAFile(filepath.Join(dir, "missing.pem")); err == nil || !strings.Contains(err.Error(), "missing.pem: no such file or directory") {
		t.Errorf("missing CA: %v", err)
	}
}
