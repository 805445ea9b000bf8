package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"
	"github.com/spf13/cobra"

	"github.com/preflight-scan/preflight/history"
	"github.com/preflight-scan/preflight/internal/atomicfile"
	"github.com/preflight-scan/preflight/report"
	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/rules"
)

func newReportCommand(sys IO) *cobra.Command {
	var formats listFlag
	var out, hist string
	cmd := &cobra.Command{
		Use:   "report [REPORT.json]",
		Short: "render a saved report.json again",
		Long: `Render a report.json written by scan or evaluate again, in other formats:
files into --out, tables to stdout.

With --history DIR (the directory of a nightly run), the report also shows
the trend over the reports kept there; without REPORT.json it renders the
latest of them, so the nightly view needs no new scan.`,
		Example: `  preflight report report/report.json --format pdf --out report/
  preflight report --history /var/lib/preflight/history --format html --out /var/www/preflight/`,
		Args: cobra.ArbitraryArgs,
		RunE: func(_ *cobra.Command, args []string) error {
			return runReport(args, formats, out, hist, sys)
		},
	}
	cmd.Flags().Var(&formats, "format", "`FORMATS`: pdf, html, csv, table, jsonl or json (comma-separated or repeated; default table)")
	cmd.Flags().StringVar(&out, "out", ".", "output `DIR`")
	cmd.Flags().StringVar(&hist, "history", "", "history `DIR` of a nightly run: show the trend over its reports (without REPORT.json: render the latest)")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]string{"pdf", "html", "csv", "table", "jsonl", "json"}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.MarkFlagDirname("out")
	_ = cmd.MarkFlagDirname("history")
	return cmd
}

func runReport(pos []string, formats listFlag, out, hist string, sys IO) error {
	if len(pos) > 1 || (len(pos) == 0 && hist == "") {
		return usagef("report takes one REPORT.json, or --history DIR")
	}
	if len(formats) == 0 {
		formats = listFlag{"table"}
	}
	fl, err := parseFormats(formats)
	if err != nil {
		return err
	}
	var rep *model.Report
	if len(pos) == 1 {
		if rep, err = report.ReadFile(pos[0]); err != nil {
			return err
		}
	}
	if hist != "" {
		if rep, err = withHistory(rep, hist, sys); err != nil {
			return err
		}
	}
	var set atomicfile.Set
	defer set.Abort()
	if err := writeOutputs(context.Background(), &set, rep, fl, out, sys, nil); err != nil {
		return err
	}
	return set.Commit()
}

// withHistory gives rep the trend of the reports kept in dir that ran
// before it; a nil rep is the latest of them.
func withHistory(rep *model.Report, dir string, sys IO) (*model.Report, error) {
	st := &history.Store{Dir: dir}
	entries, skipped, err := st.Load()
	if err != nil {
		return nil, usagef("--history: %v", err)
	}
	for _, s := range skipped {
		notef(sys.Stderr, "warning: history: skipping %v", s.Err)
	}
	if rep == nil {
		if len(entries) == 0 {
			return nil, usagef("--history %s: no report-*.json in it to render", dir)
		}
		rep = entries[len(entries)-1].Report
		entries = entries[:len(entries)-1]
	}
	var earlier []history.Entry
	for _, e := range entries {
		if e.Report.Scan.ID != rep.Scan.ID && e.Report.Scan.StartedAt.Before(rep.Scan.StartedAt) {
			earlier = append(earlier, e)
		}
	}
	rep.History = history.Points(earlier)
	return rep, nil
}

func newRulesCommand(sys IO) *cobra.Command {
	var profile, format string
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "list the rule catalogue",
		Long: `List the rule catalogue: each rule's ID, severity, category and title, and
under which profile it applies (with --profile, the source of its figures).`,
		Args: noArgs,
		RunE: func(_ *cobra.Command, _ []string) error {
			return runRules(profile, format, sys)
		},
	}
	cmd.Flags().StringVar(&profile, "profile", "", "show the parameters of this `PROFILE` only")
	cmd.Flags().StringVar(&format, "format", "table", "output `FORMAT`: table or json")
	_ = cmd.RegisterFlagCompletionFunc("profile", cobra.FixedCompletions(rules.Profiles(), cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]string{"table", "json"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func runRules(profile, format string, sys IO) error {
	if profile != "" && !rules.ValidProfile(profile) {
		return usagef("unknown profile %q (want one of %s)", profile, strings.Join(rules.Profiles(), ", "))
	}
	rs, err := rules.Load()
	if err != nil {
		return err
	}
	switch format {
	case "json":
		type out struct {
			*rules.Rule
			Tests any `json:"tests,omitempty"`
		}
		var list []out
		for _, r := range rs {
			cp := *r
			if profile != "" {
				cp.Profiles = map[string]*rules.Profile{profile: r.Profiles[profile]}
			}
			list = append(list, out{Rule: &cp})
		}
		enc := json.NewEncoder(sys.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(list)
	case "table":
		t := tablewriter.NewTable(sys.Stdout, tablewriter.WithHeaderAutoFormat(tw.Off))
		profiles := rules.Profiles()
		if profile != "" {
			profiles = []string{profile}
		}
		header := []any{"ID", "Severity", "Category", "Title"}
		for _, p := range profiles {
			header = append(header, p)
		}
		t.Header(header...)
		for _, r := range rs {
			row := []any{r.ID, r.Severity, r.Category, r.Title}
			for _, p := range profiles {
				switch pr := r.Profiles[p]; {
				case pr == nil:
					row = append(row, "n/a")
				case profile == "":
					row = append(row, "applies")
				default:
					row = append(row, pr.Source)
				}
			}
			if err := t.Append(row...); err != nil {
				return err
			}
		}
		return t.Render()
	}
	return usagef("unknown format %q (want table or json)", format)
}

func newSchemaCommand(sys IO) *cobra.Command {
	return &cobra.Command{
		Use:   "schema",
		Short: "print the report's JSON Schema",
		Long:  "Print the JSON Schema of report.json, for the tools that read it.",
		Args:  noArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := sys.Stdout.Write(report.Schema())
			return err
		},
	}
}

// noArgs refuses positional arguments with a usage error.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("%s takes no arguments", cmd.Name())
	}
	return nil
}

// readReportArg reads a report named on the command line as a usage error
// when it cannot be read.
func readReportArg(path string) (*model.Report, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, usagef("%v", err)
	}
	rep, err := report.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return rep, nil
}
