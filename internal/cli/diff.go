package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/olekukonko/tablewriter"
	"github.com/spf13/cobra"

	"github.com/preflight-scan/preflight/baseline"
	"github.com/preflight-scan/preflight/internal/atomicfile"
	"github.com/preflight-scan/preflight/internal/clip"
	"github.com/preflight-scan/preflight/report"
	"github.com/preflight-scan/preflight/report/model"
)

func newDiffCommand(sys IO) *cobra.Command {
	var o diffOptions
	cmd := &cobra.Command{
		Use:   "diff OLD.json NEW.json",
		Short: "compare two reports: new and resolved findings",
		Long: `Compare two reports by finding fingerprint: print the new and resolved
findings and write diff.json into --out. With --fail-on-new, exit 1 when a
new finding is at or above the severity.`,
		Args: cobra.ArbitraryArgs,
		RunE: func(_ *cobra.Command, args []string) error { return runDiff(args, o, sys) },
	}
	cmd.Flags().StringVar(&o.out, "out", ".", "`DIR` receiving diff.json (\"\" for none)")
	cmd.Flags().StringVar(&o.format, "format", "table", "`FORMAT` to print: table or json")
	cmd.Flags().StringVar(&o.failOnNew, "fail-on-new", "", "exit 1 when a new finding is at or above this `SEVERITY`")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]string{"table", "json"}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("fail-on-new", cobra.FixedCompletions([]string{"critical", "high", "medium", "low", "info"}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.MarkFlagDirname("out")
	return cmd
}

// diffOptions are the flags of diff.
type diffOptions struct {
	out, format, failOnNew string
}

// runDiff compares two reports by finding fingerprint. It prints the new
// and resolved findings (a table, or the diff document with --format
// json) and writes diff.json into --out ("" writes no file). With
// --fail-on-new it exits 1 when a new finding is at or above the severity.
func runDiff(pos []string, o diffOptions, sys IO) error {
	if len(pos) != 2 {
		return usagef("diff takes two reports: OLD.json NEW.json")
	}
	if o.format != "table" && o.format != "json" {
		return usagef("unknown format %q (want table or json)", o.format)
	}
	if o.failOnNew != "" && !model.Severity(o.failOnNew).Valid() {
		return usagef("--fail-on-new %q: want critical, high, medium, low or info", o.failOnNew)
	}
	if o.out != "" {
		if fi, err := os.Stat(o.out); err != nil || !fi.IsDir() {
			return usagef("--out %s: no such directory", clip.Quote(o.out))
		}
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
	if o.out != "" {
		path := filepath.Join(o.out, "diff.json")
		if err := atomicfile.Write(path, func(w io.Writer) error { return writeDiffJSON(d, w) }); err != nil {
			return err
		}
	}
	if o.format == "json" {
		if err := writeDiffJSON(d, sys.Stdout); err != nil {
			return err
		}
	} else if err := writeDiffTable(d, sys.Stdout); err != nil {
		return err
	}
	if o.failOnNew != "" && baseline.NewAtOrAbove(d.NewFindings, model.Severity(o.failOnNew)) {
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
	if _, err := fmt.Fprintf(w, "Old: %s  %s  %s %d/100\nNew: %s  %s  %s %d/100\n%d new, %d existing, %d resolved\n",
		d.Baseline.ScanID, d.Baseline.StartedAt.UTC().Format("2006-01-02 15:04 MST"), d.Baseline.Verdict, d.Baseline.Score,
		d.Current.ScanID, d.Current.StartedAt.UTC().Format("2006-01-02 15:04 MST"), d.Current.Verdict, d.Current.Score,
		d.Counts.New, d.Counts.Existing, d.Counts.Resolved); err != nil {
		return err
	}
	if len(d.NewFindings)+len(d.Resolved) == 0 {
		return nil
	}
	t := tablewriter.NewWriter(w)
	t.Header("Change", "Rule", "Severity", "Object", "Message")
	add := func(change string, fs []model.Finding) error {
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
