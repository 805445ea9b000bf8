package cli

import (
	"os"
	"testing"
)

// TestMain confines every scan the tests run to loopback: a test that
// forgets --resolver fails instead of querying the machine's resolver.
func TestMain(m *testing.M) {
	os.Setenv(loopbackEnv, "1")
	os.Exit(m.Run())
}
