package cli

import (
	"os"
	"testing"

	"github.com/preflight-scan/preflight/internal/dialer"
)

// TestMain confines every scan the tests run to loopback: a test that
// forgets --resolver fails instead of querying the machine's resolver.
func TestMain(m *testing.M) {
	if err := os.Setenv(dialer.LoopbackEnv, "1"); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}

// writeFile writes a test input readable by its owner only.
func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
