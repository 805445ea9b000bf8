// Package cli implements the preflight command line: flag parsing, the
// scan pipeline (collect, snapshot, evaluate, render), and exit codes.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/preflight-scan/preflight/progress"
	"github.com/preflight-scan/preflight/rules"
	"github.com/preflight-scan/preflight/snapshot"
)

// Exit codes, the contract with scripts.
const (
	ExitOK         = 0 // done, nothing at or above --fail-on
	ExitFindings   = 1 // findings at or above --fail-on
	ExitUsage      = 2 // usage or configuration error, nothing written
	ExitIncomplete = 3 // a source failed; the report says which and why
	ExitInternal   = 4 // internal error
)

// Version is the program version, set at build time with
// -ldflags "-X github.com/preflight-scan/preflight/internal/cli.Version=...".
var Version = "0.1.0-dev"

// IO is the process environment the command line runs in.
type IO struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
	Now    func() time.Time
}

// runEnv is what collectors get from the command line.
type runEnv struct {
	io       IO
	progress *progress.Reporter
	lenient  bool
	timeout  time.Duration
	now      time.Time
	// profile and overrides are the scan's rule profile and the
	// configuration's parameter overrides, for collectors that take
	// their tables from rules.
	profile   string
	overrides map[string]map[string]any
	// rules is the rule catalogue, loaded once per run.
	rules []*rules.Rule
}

// usageError is an error that exits 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// exitError carries an exit code with an optional message.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// Main runs the command line and returns the exit code.
func Main(ctx context.Context, args []string, sys IO) int {
	err := run(ctx, args, sys)
	return exitCode(err, sys.Stderr)
}

func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return ExitOK
	}
	var ue *usageError
	var ee *exitError
	switch {
	case errors.Is(err, flag.ErrHelp):
		return ExitOK
	case errors.As(err, &ue), errors.Is(err, snapshot.ErrBadInput):
		fmt.Fprintf(stderr, "preflight: %v\n", err)
		return ExitUsage
	case errors.As(err, &ee):
		if ee.msg != "" {
			fmt.Fprintf(stderr, "preflight: %s\n", ee.msg)
		}
		return ee.code
	}
	fmt.Fprintf(stderr, "preflight: internal error: %v\n", err)
	return ExitInternal
}

const usageText = `preflight: migration readiness scanner for Microsoft 365

Usage:
  preflight scan      [flags]            collect, evaluate and report
  preflight evaluate  SNAPSHOT [flags]   evaluate a saved snapshot again
  preflight report    REPORT.json --format pdf|csv|table|jsonl [--out DIR]
  preflight diff      OLD.json NEW.json
  preflight rules     [--profile P] [--format table|json]
  preflight schema    print the report's JSON Schema
  preflight version

Run "preflight scan -h" for the scan flags.
Exit codes: 0 done; 1 findings at or above --fail-on; 2 usage error;
3 scan incomplete (a source failed); 4 internal error.
`

func run(ctx context.Context, args []string, sys IO) error {
	if len(args) == 0 {
		fmt.Fprint(sys.Stderr, usageText)
		return usagef("no command given")
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "scan":
		return runScan(ctx, rest, sys, false)
	case "evaluate":
		return runScan(ctx, rest, sys, true)
	case "report":
		return runReport(rest, sys)
	case "diff":
		return runDiff(rest, sys)
	case "rules":
		return runRules(rest, sys)
	case "schema":
		return runSchema(rest, sys)
	case "version", "--version", "-version":
		fmt.Fprintf(sys.Stdout, "preflight %s\n", Version)
		return nil
	case "help", "-h", "--help", "-help":
		fmt.Fprint(sys.Stdout, usageText)
		return nil
	}
	fmt.Fprint(sys.Stderr, usageText)
	return usagef("unknown command %q", cmd)
}

// listFlag is a repeatable string flag; each value may also be a
// comma-separated list.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

// Set appends one value.
func (l *listFlag) Set(v string) error {
	*l = append(*l, v)
	return nil
}

// newFlagSet returns a flag set that reports errors instead of exiting.
func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("preflight "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parseFlags parses args, allowing flags after positional arguments, and
// returns the positional arguments.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usagef("%v", err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}
