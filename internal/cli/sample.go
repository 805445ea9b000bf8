package cli

import (
	"github.com/preflight-scan/preflight/snapshot"
)

// sampleCollectors returns the collectors of the bundled sample
// organisation: its directory export and its mailbox and client exports.
func sampleCollectors(env *runEnv) ([]snapshot.Collector, error) {
	return nil, usagef("--sample: the sample organisation is not bundled yet")
}
