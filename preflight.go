// Package preflight holds the bundled sample organisation: a small,
// realistic directory export with mailbox and client-software exports,
// embedded in the binary so that "preflight scan --sample" runs the whole
// pipeline with no server and no file.
package preflight

import (
	"embed"
	"io/fs"
)

//go:embed testdata/sample
var sample embed.FS

// Sample returns the sample organisation's files, rooted at
// testdata/sample.
func Sample() fs.FS {
	sub, err := fs.Sub(sample, "testdata/sample")
	if err != nil {
		panic(err) // the embedded tree always has this directory
	}
	return sub
}
