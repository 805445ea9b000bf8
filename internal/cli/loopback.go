package cli

import (
	"os"

	"github.com/preflight-scan/preflight/internal/dialer"
)

// netDialer returns the dialer every network source of the run connects
// through. Its loopback guard (dialer.LoopbackEnv) is on when the
// variable is set in the process environment or in the run's: the test
// suite and CI set it, so that no test can reach a host off the machine
// by accident, whatever IO the test builds.
func (e *runEnv) netDialer() *dialer.Dialer {
	return dialer.New(func(k string) string {
		if v := os.Getenv(k); v != "" {
			return v
		}
		if e != nil && e.io.Getenv != nil {
			return e.io.Getenv(k)
		}
		return ""
	})
}
