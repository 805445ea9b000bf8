package cli

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/preflight-scan/preflight/report"
)

var update = flag.Bool("update", false, "rewrite the golden reports under testdata/golden")

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
			if !bytes.Equal(runs[0], runs[1]) {
				t.Fatal("two scans of the same inputs gave different reports")
			}
			golden := filepath.Join("..", "..", "testdata", "golden", "sample-"+profile+".json")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, runs[0], 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/cli -run TestSampleGolden -update)", err)
			}
			if !bytes.Equal(runs[0], want) {
				t.Errorf("report differs from %s; if the change is intended, run with -update and review the diff", golden)
			}
		})
	}
}

// TestGoldenReportsMatchSchema validates every golden report in testdata.
func TestGoldenReportsMatchSchema(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "golden", "*.json"))
	if len(files) == 0 {
		t.Skip("no golden reports yet")
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
