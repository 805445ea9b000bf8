package cli

import (
	"os"
	"runtime/debug"
)

// memoryBackstop is the floor of the soft memory limit a scan sets
// (docs/architecture.md, "Memory"): the garbage collector otherwise lets
// the heap grow to twice the live data, about 470 MiB at a million
// directory objects where 230 MiB are live.
const memoryBackstop = 320 << 20

// setMemoryBackstop sets the Go runtime's soft memory limit for a scan of
// LDIF files of ldifBytes bytes in all, unless GOMEMLIMIT is set: 320 MiB
// or 3/8 of the input size, whichever is larger. It is a backstop, not a
// cap: what the rules keep grows with the directory (about 200 bytes per
// object), so the limit grows with the input and a scan whose live data
// needs more than the limit still gets it (the runtime then collects more
// often, at most about half the CPU). It returns a function that puts back
// the limit there was.
func setMemoryBackstop(getenv func(string) string, ldifBytes int64) (restore func()) {
	if getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	prev := debug.SetMemoryLimit(max(int64(memoryBackstop), ldifBytes/8*3))
	return func() { debug.SetMemoryLimit(prev) }
}

// ldifBytes sums the sizes of the LDIF files of a scan (0 for any that
// cannot be read: the collector reports those).
func ldifBytes(o *directoryOptions) int64 {
	var n int64
	for _, p := range ldifPaths(o.LDIF) {
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			n += st.Size()
		}
	}
	return n
}
