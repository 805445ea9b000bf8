package cli

import (
	"os"
	"testing"

	"github.com/preflight-scan/preflight/internal/dialer"
)

// TestMain confines every scan the tests run to loopback: a test that
// forgets --resolver fails instead of querying the machine's resolver.
func TestMain(m *testing.M) {
	os.Setenv(dialer.LoopbackEnv, "1")
	os.Exit(m.Run())
}
