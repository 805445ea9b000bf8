package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"

	"github.com/olekukonko/tablewriter"

	"github.com/preflight-scan/preflight/baseline"
	"github.com/preflight-scan/preflight/internal/atomicfile"
	"github.com/preflight-scan/preflight/report"
)

// runDiff compares two reports by finding fingerprint. It prints the new
// and resolved findings (a table, or the diff document with --format
// json) and writes diff.json into --out ("" writes no file). With
// --fail-on-new it exits 1 when a new finding is at or above the severity.
func runDiff(args []string, sys IO) error {
	fs := newFlagSet("diff", sys.Stderr)
	out := fs.String("out", ".", "directory receiving diff.json (\"\" for none)")
	format := fs.String("format", "table", "what to print: table or json")
	failOnNew := fs.String("fail-on-new", "", "exit 1 when a new finding is at or above this `SEVERITY`")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usagef("diff takes two reports: OLD.json NEW.json")
	}
	if *format != "table" && *format != "json" {
		return usagef("unknown format %q (want table or json)", *format)
	}
	if *failOnNew != "" && report.SeverityRank(*failOnNew) == 0 {
		return usagef("--fail-on-new %q: want critical, high, medium, low or info", *failOnNew)
	}
	old, err := readReportArg(pos[0])
	if err != nil {
		return err
	}
	cur, err := readReportArg(pos[1])
	if err != nil {
		return err
	}
	d := baseline.NewDiff(old, cur, pos[0], pos[1])
	if *out != "" {
		path := filepath.Join(*out, "diff.json")
		if err := atomicfile.Write(path, func(w io.Writer) error { return writeDiffJSON(d, w) }); err != nil {
			return err
		}
	}
	if *format == "json" {
		if err := writeDiffJSON(d, sys.Stdout); err != nil {
			return err
		}
	} else if err := writeDiffTable(d, sys.Stdout); err != nil {
		return err
	}
	if *failOnNew != "" && baseline.NewAtOrAbove(d.NewFindings, *failOnNew) {
		return &exitError{code: ExitFindings}
	}
	return nil
}

func writeDiffJSON(d *baseline.Diff, w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(d); err != nil {
		return fmt.Errorf("diff: encode: %w", err)
	}
	return nil
}

func writeDiffTable(d *baseline.Diff, w io.Writer) error {
	fmt.Fprintf(w, "Old: %s  %s  %s %d/100\n", d.Baseline.ScanID, d.Baseline.StartedAt.UTC().Format("2006-01-02 15:04 MST"), d.Baseline.Verdict, d.Baseline.Score)
	fmt.Fprintf(w, "New: %s  %s  %s %d/100\n", d.Current.ScanID, d.Current.StartedAt.UTC().Format("2006-01-02 15:04 MST"), d.Current.Verdict, d.Current.Score)
	fmt.Fprintf(w, "%d new, %d existing, %d resolved\n", d.Counts.New, d.Counts.Existing, d.Counts.Resolved)
	if len(d.NewFindings)+len(d.Resolved) == 0 {
		return nil
	}
	t := tablewriter.NewWriter(w)
	t.Header("Change", "Rule", "Severity", "Object", "Message")
	add := func(change string, fs []report.Finding) error {
		for _, f := range fs {
			obj := f.Object.ID
			if f.Object.Name != "" && f.Object.Name != f.Object.ID {
				obj = f.Object.Name + " (" + f.Object.ID + ")"
			}
			label := change
			if f.Suppressed != nil {
				label += " (suppressed)"
			}
			if err := t.Append(label, f.RuleID, f.Severity, report.Clip(obj, 50), report.Clip(f.Message, 70)); err != nil {
				return err
			}
		}
		return nil
	}
	if err := add("new", d.NewFindings); err != nil {
		return err
	}
	if err := add("resolved", d.Resolved); err != nil {
		return err
	}
	return t.Render()
}
