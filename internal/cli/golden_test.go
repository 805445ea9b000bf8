package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/preflight-scan/preflight/internal/golden"
	"github.com/preflight-scan/preflight/report"
)

// normalise blanks what may differ between two runs over the same inputs:
// the scan id and durations (times are fixed by the test clock).
func normalise(b []byte) []byte {
	b = regexp.MustCompile(`"id": "[0-9a-f]{32}"`).ReplaceAll(b, []byte(`"id": "SCAN-ID"`))
	b = regexp.MustCompile(`"duration_ms": [0-9]+`).ReplaceAll(b, []byte(`"duration_ms": 0`))
	return b
}

// TestSampleGolden scans the bundled sample organisation and compares the
// report with the golden file; run with -update to accept a change. Every
// golden report must also match the published schema.
func TestSampleGolden(t *testing.T) {
	for _, profile := range []string{"exchange-online", "office365-2011", "bpos-2010"} {
		t.Run(profile, func(t *testing.T) {
			var runs [2][]byte
			for i := range runs {
				out := t.TempDir()
				code, _, stderr := runCLI(t, nil, "scan", "--sample", "--profile", profile, "--cutover-date", "2026-12-12",
					"--bandwidth-mbps", "20", "--out", out, "--format", "json", "--quiet")
				if code != ExitOK {
					t.Fatalf("exit %d: %s", code, stderr)
				}
				b, err := os.ReadFile(filepath.Join(out, "report.json"))
				if err != nil {
					t.Fatal(err)
				}
				runs[i] = normalise(b)
			}
			if d := golden.Diff("first scan", "second scan", runs[0], runs[1], golden.MaxDiffLines); d != "" {
				t.Fatalf("two scans of the same inputs gave different reports:\n%s", d)
			}
			golden.Check(t, filepath.Join("..", "..", "testdata", "golden", "sample-"+profile+".json"), runs[0])
		})
	}
}

// TestGoldenReportsMatchSchema validates every golden report in testdata.
func TestGoldenReportsMatchSchema(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "golden", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden reports in testdata/golden (%v): run TestSampleGolden with -update", err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := report.Validate(b); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}
