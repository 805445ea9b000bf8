// Package cli implements the preflight command line: the commands and
// their flags (spf13/cobra), the scan pipeline (collect, snapshot,
// evaluate, render), and exit codes.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/pflag"

	"github.com/preflight-scan/preflight/collect/csvin"
	"github.com/preflight-scan/preflight/engine"
	"github.com/preflight-scan/preflight/internal/clip"
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
	// Signals, when set, receives SIGINT and SIGTERM: the first stops
	// the collection (the report says interrupted), a second one, or a
	// SIGTERM during evaluation and rendering, aborts the run with
	// nothing written.
	Signals <-chan os.Signal
}

// runEnv is what collectors get from the command line.
type runEnv struct {
	io       IO
	progress *progress.Reporter
	lenient  bool
	// csvEncoding decodes the CSV exports without a byte-order mark.
	csvEncoding csvin.Encoding
	timeout     time.Duration
	now         time.Time
	// params resolves rule parameters under the scan's profile and
	// overrides, for the engine and the collectors that take their tables
	// from rules (see resolver).
	params *engine.Resolver
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
	ctx, stop := watchSignals(ctx, sys.Signals)
	defer stop()
	err := execute(ctx, args, sys)
	return exitCode(err, sys.Stderr)
}

func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return ExitOK
	}
	var ue *usageError
	var ee *exitError
	switch {
	case errors.Is(err, pflag.ErrHelp):
		return ExitOK
	case errors.As(err, &ue), errors.Is(err, snapshot.ErrBadInput):
		printError(stderr, err.Error())
		return ExitUsage
	case errors.As(err, &ee):
		if ee.msg != "" {
			printError(stderr, ee.msg)
		}
		return ee.code
	}
	printError(stderr, "internal error: "+err.Error())
	return ExitInternal
}

// printError prints one error as one line: whatever input the message
// echoes, its control characters and escape sequences are shown escaped
// and its length is bounded (see package clip).
// A failed write to stderr has nowhere left to be reported, and the exit
// code says what happened anyway.
func printError(stderr io.Writer, msg string) {
	_, _ = fmt.Fprintf(stderr, "preflight: %s\n", clip.Line(msg))
}

// notef prints a diagnostic line ("preflight: " and the message) on
// stderr. Like printError it discards a failed write: a warning must not
// turn into a failed scan.
func notef(stderr io.Writer, format string, args ...any) {
	_, _ = fmt.Fprintf(stderr, "preflight: "+format+"\n", args...)
}
