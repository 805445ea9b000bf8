package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

const exitCodesText = `Exit codes: 0 done, nothing at or above --fail-on; 1 findings at or above
--fail-on (or new ones at or above --fail-on-new); 2 usage or configuration
error (nothing written); 3 scan incomplete (a source failed: the report says
which and why); 4 internal error.`

const completionLong = `Print a script that completes preflight's commands, flags and flag values
in the shell. To load it in the current shell:

  bash:        source <(preflight completion bash)
  zsh:         source <(preflight completion zsh)
  fish:        preflight completion fish | source
  PowerShell:  preflight completion powershell | Out-String | Invoke-Expression

To keep it, add that line to the shell's startup file (~/.bashrc, ~/.zshrc,
~/.config/fish/config.fish, or $PROFILE in PowerShell). Each shell's own
help says more.`

// execute builds the command tree and runs args through it.
func execute(ctx context.Context, args []string, sys IO) error {
	if args == nil {
		args = []string{} // cobra reads os.Args when given none
	}
	root := newRootCommand(sys)
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") && !isCommand(root, args[0]) {
		return usagef("unknown command %q%s (see preflight --help)", args[0], suggestion(root, args[0]))
	}
	root.SetArgs(singleDashLongFlags(root, args))
	return root.ExecuteContext(ctx)
}

// isCommand reports whether name is a subcommand of root, or one of the
// hidden commands cobra adds when it runs (the completion scripts call
// them).
func isCommand(root *cobra.Command, name string) bool {
	if name == cobra.ShellCompRequestCmd || name == cobra.ShellCompNoDescRequestCmd {
		return true
	}
	c, _, err := root.Find([]string{name})
	return err == nil && c != root
}

// newRootCommand returns the preflight command and its subcommands,
// writing to sys. Errors are returned, not printed: Main prints them and
// maps them to exit codes.
func newRootCommand(sys IO) *cobra.Command {
	var version bool
	root := &cobra.Command{
		Use:   "preflight",
		Short: "migration readiness scanner for Microsoft 365",
		Long: `preflight: migration readiness scanner for Microsoft 365.

It reads the directory, mailbox and client exports, DNS and the network as
seen from this host, holds them against the rule catalogue, and writes
reports: JSON for machines, PDF for the customer, CSV and tables.

` + exitCodesText,
		Args:          cobra.ArbitraryArgs,
		SilenceErrors: true,
		SilenceUsage:  true,
		RunE: func(cmd *cobra.Command, args []string) error {
			switch {
			case version:
				return printVersion(sys)
			case len(args) == 0:
				// The usage is a courtesy before the error; the error
				// and its exit code are what count.
				_, _ = io.WriteString(sys.Stderr, cmd.UsageString())
				return usagef("no command given")
			}
			return usagef("unknown command %q%s (see preflight --help)", args[0], suggestion(cmd, args[0]))
		},
	}
	root.SuggestionsMinimumDistance = 2
	root.Flags().BoolVar(&version, "version", false, "print the version")
	root.SetIn(sys.Stdin)
	root.SetOut(sys.Stdout)
	root.SetErr(sys.Stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usagef("%v (see %s --help)", err, c.CommandPath())
	})
	root.SetUsageFunc(writeUsage)
	root.AddCommand(
		newScanCommand(sys, false),
		newScanCommand(sys, true),
		newReportCommand(sys),
		newDiffCommand(sys),
		newRulesCommand(sys),
		newSchemaCommand(sys),
		newVersionCommand(sys),
	)
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	tuneHelpers(root)
	// Defined now rather than when cobra runs, so that -help is known to
	// singleDashLongFlags.
	for _, c := range root.Commands() {
		c.InitDefaultHelpFlag()
	}
	root.InitDefaultHelpFlag()
	return root
}

// tuneHelpers words cobra's help and completion commands like the others,
// and makes completion refuse an unknown shell (exit 2) instead of
// printing its help.
func tuneHelpers(root *cobra.Command) {
	for _, c := range root.Commands() {
		if c.Name() == "help" {
			c.Short = "help about any command"
		}
		if c.Name() != "completion" {
			continue
		}
		c.Short = "print a shell completion script: bash, zsh, fish or powershell"
		c.Long = completionLong
		for _, sh := range c.Commands() {
			sh.Short = "print the completion script for " + sh.Name()
		}
		c.Args = cobra.ArbitraryArgs
		c.RunE = func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("completion needs a shell: bash, zsh, fish or powershell")
			}
			return usagef("completion: unknown shell %q (want bash, zsh, fish or powershell)", args[0])
		}
	}
}

// suggestion returns ` (did you mean "scan"?)` for a mistyped command.
func suggestion(root *cobra.Command, typed string) string {
	s := root.SuggestionsFor(typed)
	if len(s) == 0 {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", s[0])
}

func printVersion(sys IO) error {
	_, err := fmt.Fprintf(sys.Stdout, "preflight %s\n", Version)
	return err
}

func newVersionCommand(sys IO) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "print the version",
		Args:  noArgs,
		RunE:  func(*cobra.Command, []string) error { return printVersion(sys) },
	}
}

// singleDashLongFlags keeps the spelling of the flag package preflight
// used before cobra working: a long flag with one dash (-ldif FILE,
// -out=DIR, -help, -version) is rewritten to two. Only names that are
// long flags of the command given (or of preflight itself, before the
// command) are rewritten, never a flag's value nor anything after "--".
func singleDashLongFlags(root *cobra.Command, args []string) []string {
	out := make([]string, 0, len(args))
	flags := root.Flags()
	cmdSeen := false
	takesValue := false
	for i, a := range args {
		switch {
		case takesValue:
			takesValue = false
		case a == "--":
			return append(out, args[i:]...)
		case !strings.HasPrefix(a, "-"):
			if !cmdSeen {
				cmdSeen = true
				if c, _, err := root.Find([]string{a}); err == nil && c != root {
					flags = c.Flags()
				}
			}
		default:
			a, takesValue = normaliseFlag(flags, a)
		}
		out = append(out, a)
	}
	return out
}

// normaliseFlag rewrites -name[=value] to --name[=value] when name is a
// long flag of fs, and reports whether the next argument is its value.
func normaliseFlag(fs *pflag.FlagSet, arg string) (string, bool) {
	name, _, hasValue := strings.Cut(strings.TrimLeft(arg, "-"), "=")
	f := fs.Lookup(name)
	if f == nil {
		if len(arg) == 2 { // a shorthand, -h
			f = fs.ShorthandLookup(arg[1:])
		}
		if f == nil {
			return arg, false
		}
	}
	if !strings.HasPrefix(arg, "--") && len(name) > 1 {
		arg = "-" + arg
	}
	return arg, !hasValue && f.NoOptDefVal == ""
}
