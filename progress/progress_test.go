package progress

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestReporterRateLimitsAndReportsRate(t *testing.T) {
	var buf bytes.Buffer
	r := New(&buf)
	clock := time.Unix(1000, 0)
	r.now = func() time.Time { return clock }
	r.Update("ldap", 0, 0) // starts the clock; prints the first line
	for i := 1; i <= 10; i++ {
		clock = clock.Add(100 * time.Millisecond)
		r.Update("ldap", int64(i*1000), int64(i))
	}
	r.Done("ldap", 10000, 10, "ok")
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("want the first line, one line a second and the final line, got:\n%s", buf.String())
	}
	if !strings.Contains(lines[2], "10000 objects, 10 pages, 10000 objects/s, ok in 1s") {
		t.Errorf("final line %q", lines[2])
	}
}

func TestNilReporterIsSilent(_ *testing.T) {
	var r *Reporter
	r.Update("x", 1, 1)
	r.Done("x", 1, 1, "ok")
	r.Printf("x")
}
