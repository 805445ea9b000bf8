package engine

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/preflight-scan/preflight/checks"
	"github.com/preflight-scan/preflight/internal/golden"
	"github.com/preflight-scan/preflight/rules"
)

// TestDirectoryMessagesGolden renders every finding of the directory rules'
// and CLI-001's own test cases (message, severity, evidence keys) and
// compares them with testdata/directory_messages.golden, so a change in
// what a consultant reads is a reviewed change. Run with -update to accept.
func TestDirectoryMessagesGolden(t *testing.T) {
	rs, err := rules.Load()
	if err != nil {
		t.Fatal(err)
	}
	reg := checks.Default()
	var b strings.Builder
	for _, r := range rs {
		if !strings.HasPrefix(r.ID, "DIR-") && r.ID != "CLI-001" {
			continue
		}
		for _, tc := range r.Tests {
			c, fs, err := runCase(r, tc, reg)
			if err != nil {
				t.Fatalf("%s/%s: %v", r.ID, tc.Name, err)
			}
			profile := tc.Profile
			if profile == "" {
				profile = rules.DefaultProfile
			}
			fmt.Fprintf(&b, "## %s [%s] %s -> %s\n", r.ID, profile, tc.Name, c.Status)
			if c.Error != "" {
				fmt.Fprintf(&b, "   error: %s\n", c.Error)
			}
			for _, f := range fs {
				keys := make([]string, 0, len(f.Evidence))
				for k := range f.Evidence {
					keys = append(keys, k)
				}
				sort.Strings(keys)
				fmt.Fprintf(&b, "   %s %s %s: %s\n   evidence: %s\n", f.Severity, f.Object.Kind, f.Object.ID, f.Message, strings.Join(keys, ","))
			}
		}
	}
	golden.Check(t, filepath.Join("testdata", "directory_messages.golden"), []byte(b.String()))
}
