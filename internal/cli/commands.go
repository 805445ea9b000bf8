package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/preflight-scan/preflight/report"
	"github.com/preflight-scan/preflight/rules"
)

func runReport(args []string, sys IO) error {
	fs := newFlagSet("report", sys.Stderr)
	var formats listFlag
	fs.Var(&formats, "format", "pdf, csv, table, jsonl or json (comma-separated)")
	out := fs.String("out", ".", "output directory")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("report takes one REPORT.json")
	}
	if len(formats) == 0 {
		formats = listFlag{"table"}
	}
	fl, err := parseFormats(formats)
	if err != nil {
		return err
	}
	rep, err := report.ReadFile(pos[0])
	if err != nil {
		return err
	}
	return writeOutputs(rep, fl, *out, sys)
}

func runRules(args []string, sys IO) error {
	fs := newFlagSet("rules", sys.Stderr)
	profile := fs.String("profile", "", "show the parameters of this profile only")
	format := fs.String("format", "table", "table or json")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *profile != "" && !rules.ValidProfile(*profile) {
		return usagef("unknown profile %q (want one of %s)", *profile, strings.Join(rules.Profiles(), ", "))
	}
	rs, err := rules.Load()
	if err != nil {
		return err
	}
	switch *format {
	case "json":
		type out struct {
			*rules.Rule
			Tests any `json:"tests,omitempty"`
		}
		var list []out
		for _, r := range rs {
			cp := *r
			if *profile != "" {
				cp.Profiles = map[string]*rules.Profile{*profile: r.Profiles[*profile]}
			}
			list = append(list, out{Rule: &cp})
		}
		enc := json.NewEncoder(sys.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(list)
	case "table":
		t := tablewriter.NewTable(sys.Stdout, tablewriter.WithHeaderAutoFormat(tw.Off))
		profiles := rules.Profiles()
		if *profile != "" {
			profiles = []string{*profile}
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
				case *profile == "":
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
	return usagef("unknown format %q (want table or json)", *format)
}

func runSchema(args []string, sys IO) error {
	if len(args) > 0 {
		return usagef("schema takes no arguments")
	}
	_, err := sys.Stdout.Write(report.Schema())
	return err
}

// readReportArg reads a report named on the command line as a usage error
// when it cannot be read.
func readReportArg(path string) (*report.Report, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, usagef("%v", err)
	}
	rep, err := report.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return rep, nil
}
