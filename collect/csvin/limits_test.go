package csvin

import (
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/preflight-scan/preflight/internal/limits"
	"github.com/preflight-scan/preflight/snapshot"
)

// TestHeaderLineLimit: a header line just over limits.CSVHeaderBytes is
// refused naming the limit, and the message stays short (before, a 50 MB
// header cost 500 MB and was echoed whole).
func TestHeaderLineLimit(t *testing.T) {
	at := strings.Repeat("a", limits.CSVHeaderBytes-2) + ",b\r\n1,2\r\n"
	if _, err := Open("at.csv", strings.NewReader(at), false); err != nil {
		t.Fatalf("header at the limit: %v", err)
	}
	over := strings.Repeat("a", limits.CSVHeaderBytes-1) + ",b\r\n1,2\r\n"
	_, err := Open("over.csv", strings.NewReader(over), false)
	if !errors.Is(err, snapshot.ErrBadInput) || !strings.Contains(err.Error(), "CSVHeaderBytes") {
		t.Fatalf("header over the limit: %v", err)
	}
	if len(err.Error()) > 300 {
		t.Errorf("message of %d bytes", len(err.Error()))
	}
}

// TestRecordLimit: a row over the limit is refused naming the limit,
// even in lenient mode.
func TestRecordLimit(t *testing.T) {
	const limit = 1000
	body := "a,b\n1,2\n" + strings.Repeat("x", 10*limit) + ",2\n"
	for _, lenient := range []bool{false, true} {
		tb, err := open("r.csv", strings.NewReader(body), Options{Lenient: lenient}, limits.CSVHeaderBytes, limit)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tb.Next(); err != nil {
			t.Fatalf("first row: %v", err)
		}
		_, err = tb.Next()
		if err == nil || errors.Is(err, io.EOF) || !strings.Contains(err.Error(), "CSVRecordBytes") {
			t.Errorf("lenient %v: row over the limit: %v", lenient, err)
		}
	}
}

// TestHeaderEchoIsNeutralised: a header carrying a terminal escape
// sequence (OSC 0, retitling the terminal) is echoed escaped, clipped.
func TestHeaderEchoIsNeutralised(t *testing.T) {
	hdr := "\x1b]0;owned\x07Name," + strings.Repeat("Z", 5000) + "\n1,2\n"
	tb, err := Open("e.csv", strings.NewReader(hdr), false)
	if err != nil {
		t.Fatal(err)
	}
	_, err = tb.Require("Identity")
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	if strings.ContainsAny(msg, "\x1b\x07") || len(msg) > 600 {
		t.Errorf("message (%d bytes) holds raw controls or is unclipped: %q", len(msg), msg[:min(len(msg), 200)])
	}
}

// TestFieldsLimit: a header of limits.CSVFields columns is read; one
// column more is refused naming the limit.
func TestFieldsLimit(t *testing.T) {
	header := func(n int) string {
		cols := make([]string, n)
		for i := range cols {
			cols[i] = "c" + strconv.Itoa(i)
		}
		return strings.Join(cols, ",") + "\n"
	}
	if _, err := Open("at.csv", strings.NewReader(header(limits.CSVFields)), false); err != nil {
		t.Fatalf("header at the limit: %v", err)
	}
	_, err := Open("over.csv", strings.NewReader(header(limits.CSVFields+1)), false)
	if !errors.Is(err, snapshot.ErrBadInput) || !strings.Contains(err.Error(), "limits.CSVFields") {
		t.Errorf("header over the limit: %v", err)
	}
}
