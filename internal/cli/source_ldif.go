package cli

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/preflight-scan/preflight/collect/ldif"
	"github.com/preflight-scan/preflight/snapshot"
)

// ldifCollectors returns one collector per --ldif file. Every file must
// exist and be a regular file before any collection starts; otherwise the
// error is a usage error naming the path.
func ldifCollectors(o *directoryOptions, env *runEnv) ([]snapshot.Collector, error) {
	var cs []snapshot.Collector
	for _, path := range ldifPaths(o.LDIF) {
		st, err := os.Stat(path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil, usagef("--ldif %s: no such file", path)
		case err != nil:
			return nil, usagef("--ldif %s: %v", path, err)
		case st.IsDir():
			return nil, usagef("--ldif %s: is a directory, want an LDIF file", path)
		}
		cs = append(cs, ldif.NewCollector(path, func() (io.ReadCloser, error) { return os.Open(path) }, env.progress))
	}
	return cs, nil
}

// ldifPaths expands the --ldif values: each may be a comma-separated list,
// unless the value names an existing file as it stands.
func ldifPaths(values []string) []string {
	var out []string
	for _, v := range values {
		if _, err := os.Stat(v); err == nil || !strings.Contains(v, ",") {
			out = append(out, v)
			continue
		}
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// sampleDirectoryCollector reads the sample organisation's directory
// export from fsys.
func sampleDirectoryCollector(env *runEnv, fsys fs.FS, file string) snapshot.Collector {
	return ldif.NewCollector("sample:"+file, func() (io.ReadCloser, error) { return fsys.Open(file) }, env.progress)
}
