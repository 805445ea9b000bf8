package cli

import (
	"github.com/preflight-scan/preflight"
	"github.com/preflight-scan/preflight/snapshot"
)

// sampleDirectoryFile is the sample organisation's directory export inside
// preflight.Sample(); cmd/gen-sample writes it.
const sampleDirectoryFile = "directory.ldif"

// sampleCollectors returns the collectors of the bundled sample
// organisation: its directory export and its mailbox and client exports.
func sampleCollectors(env *runEnv) ([]snapshot.Collector, error) {
	fsys := preflight.Sample()
	cs := []snapshot.Collector{sampleDirectoryCollector(env, fsys, sampleDirectoryFile)}
	more, err := sampleMailboxCollectors(env, fsys)
	if err != nil {
		return nil, err
	}
	return append(cs, more...), nil
}
