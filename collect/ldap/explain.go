package ldap

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	ber "github.com/go-asn1-ber/asn1-ber"
	goldap "github.com/go-ldap/ldap/v3"
)

// How a failed scan is explained in one line: network, TLS, bind and LDAP
// result errors, and referrals.

// explain turns an error into the one-line reason a Source carries.
func (s *scan) explain(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return s.interrupted()
	}
	var ce *connectError
	var te *tlsError
	var be *bindError
	switch {
	case errors.As(err, &te), errors.As(err, &be):
		return err
	case errors.As(err, &ce):
		return errors.New("connect to " + ce.addr + ": " + netReason(ce.err))
	}
	var le *goldap.Error
	if errors.As(err, &le) && le.ResultCode < goldap.ErrorNetwork {
		return errors.New(describeLDAP(err)) // the server answered with an error
	}
	cause := err
	if le != nil {
		cause = le.Err
	}
	for errors.Unwrap(cause) != nil {
		cause = errors.Unwrap(cause)
	}
	if strings.Contains(cause.Error(), "timed out") || errors.Is(cause, os.ErrDeadlineExceeded) {
		return fmt.Errorf("no answer within %s after %d objects", s.c.cfg.Timeout, s.objects)
	}
	// Anything else after the bind is the connection going away: the
	// library reports a read failure, a closed channel or a reset.
	return fmt.Errorf("connection lost after %d objects: %s", s.objects, oneLine(cause.Error()))
}

// netReason shortens a dial error to its cause: "connection refused",
// "timed out", "no such host".
func netReason(err error) string {
	var ne interface{ Timeout() bool }
	if errors.As(err, &ne) && ne.Timeout() {
		return "timed out"
	}
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 && strings.HasPrefix(msg, "dial ") {
		return msg[i+2:]
	}
	return msg
}

// describeLDAP renders an error whose cause is an LDAP result as the
// context the layers added, then "result name (LDAP result N) (server:
// diagnostic)", in place of the library's "LDAP Result Code N ..." text.
func describeLDAP(err error) string {
	var le *goldap.Error
	if !errors.As(err, &le) {
		return oneLine(err.Error())
	}
	var nice string
	if le.ResultCode == goldap.ErrorNetwork {
		nice = "network error: " + le.Err.Error()
	} else {
		name := strings.ToLower(goldap.LDAPResultCodeMap[le.ResultCode])
		if name == "" {
			name = "error"
		}
		nice = fmt.Sprintf("%s (LDAP result %d)%s", name, le.ResultCode, diagnostic(le))
	}
	return oneLine(strings.Replace(err.Error(), le.Error(), nice, 1))
}

// diagnostic is the server's diagnostic message as ": text", or "".
func diagnostic(le *goldap.Error) string {
	if le.Err == nil {
		return ""
	}
	d := strings.TrimSpace(le.Err.Error())
	if d == "" {
		return ""
	}
	return " (server: " + oneLine(d) + ")"
}

func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\r", " ")
	s = strings.ReplaceAll(s, "\n", " ")
	s = strings.TrimRight(s, "\x00 ")
	return s
}

// referralsOf returns the referral URLs of an LDAP referral result
// (result code 10).
func referralsOf(err error) []string {
	var le *goldap.Error
	if !errors.As(err, &le) || le.ResultCode != goldap.LDAPResultReferral || le.Packet == nil {
		return nil
	}
	if len(le.Packet.Children) < 2 {
		return []string{"(no URL)"}
	}
	var out []string
	for _, child := range le.Packet.Children[1].Children {
		if child.ClassType == ber.ClassContext && child.Tag == 3 { // [3] Referral
			for _, u := range child.Children {
				if v, ok := u.Value.(string); ok && v != "" {
					out = append(out, v)
				} else if u.Data != nil && u.Data.Len() > 0 {
					out = append(out, u.Data.String())
				}
			}
		}
	}
	if len(out) == 0 {
		return []string{"(no URL)"}
	}
	return out
}
