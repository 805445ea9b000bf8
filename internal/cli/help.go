package cli

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// commandOrder is the order of the commands in help: the pipeline's,
// then the helpers.
const commandOrder = "scan evaluate report diff rules schema version completion help"

// helpWidth is the width help is wrapped to. It is fixed, not the
// terminal's, so that help and docs/ are the same everywhere.
const helpWidth = 80

// otherFlags is the section of the flags that belong to no group.
const otherFlags = "Flags"

// writeUsage is the usage function of every command: the usage line, the
// subcommands, and the flags in their sections (flagGroups order, each
// flag in the order of its table).
func writeUsage(c *cobra.Command) error {
	var b strings.Builder
	b.WriteString("Usage:\n")
	if c.HasAvailableSubCommands() {
		fmt.Fprintf(&b, "  %s COMMAND [flags]\n", c.CommandPath())
	} else {
		fmt.Fprintf(&b, "  %s\n", c.UseLine())
	}
	if c.HasExample() {
		fmt.Fprintf(&b, "\nExamples:\n%s\n", strings.TrimRight(c.Example, "\n"))
	}
	if subs := subcommands(c); len(subs) > 0 {
		b.WriteString("\nCommands:\n")
		width := 0
		for _, s := range subs {
			width = max(width, len(s.Name()))
		}
		for _, s := range subs {
			fmt.Fprintf(&b, "  %-*s  %s\n", width, s.Name(), s.Short)
		}
	}
	for _, sec := range flagSections(c.Flags()) {
		fmt.Fprintf(&b, "\n%s:\n", sec.title)
		writeFlagLines(&b, sec.flags, sectionsWidth(c.Flags()))
	}
	if c.HasAvailableSubCommands() {
		fmt.Fprintf(&b, "\nRun \"%s COMMAND --help\" for a command's flags.\n", c.CommandPath())
	}
	_, err := io.WriteString(c.OutOrStderr(), b.String())
	return err
}

// subcommands returns the commands help lists, in commandOrder.
func subcommands(c *cobra.Command) []*cobra.Command {
	var subs []*cobra.Command
	for _, s := range c.Commands() {
		if s.IsAvailableCommand() || s.Name() == "help" {
			subs = append(subs, s)
		}
	}
	order := strings.Fields(commandOrder)
	rank := func(s *cobra.Command) int {
		if i := slices.Index(order, s.Name()); i >= 0 {
			return i
		}
		return len(order)
	}
	slices.SortStableFunc(subs, func(a, b *cobra.Command) int { return rank(a) - rank(b) })
	return subs
}

// flagSection is one titled group of flags in help.
type flagSection struct {
	title string
	flags []*pflag.Flag
}

// flagSections groups the visible flags of fs by their group annotation,
// in flagGroups order; flags of no group come last, under "Flags".
func flagSections(fs *pflag.FlagSet) []flagSection {
	byGroup := map[string][]*pflag.Flag{}
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		g := otherFlags
		if v := f.Annotations[groupAnnotation]; len(v) > 0 {
			g = v[0]
		}
		byGroup[g] = append(byGroup[g], f)
	})
	var out []flagSection
	for _, g := range append(flagGroups(), otherFlags) {
		if len(byGroup[g]) > 0 {
			out = append(out, flagSection{title: g, flags: byGroup[g]})
		}
	}
	return out
}

// maxFlagColumn caps the flag column; a longer flag has its description
// on the next line.
const maxFlagColumn = 36

// sectionsWidth returns the width of the flag column, the same for every
// section of a command.
func sectionsWidth(fs *pflag.FlagSet) int {
	w := 0
	fs.VisitAll(func(f *pflag.Flag) {
		if n := len(flagColumn(f)); !f.Hidden && n <= maxFlagColumn {
			w = max(w, n)
		}
	})
	return w
}

// flagColumn returns "  -h, --help" or "      --name VALUE".
func flagColumn(f *pflag.Flag) string {
	varname, _ := pflag.UnquoteUsage(f)
	col := "      --" + f.Name
	if f.Shorthand != "" {
		col = "  -" + f.Shorthand + ", --" + f.Name
	}
	if varname != "" {
		col += " " + varname
	}
	return col
}

// flagDescription returns the flag's usage text and its default.
func flagDescription(f *pflag.Flag) string {
	_, usage := pflag.UnquoteUsage(f)
	if d := defaultText(f); d != "" {
		usage += " (default " + d + ")"
	}
	return usage
}

// defaultText returns the flag's default as help shows it, or "" for a
// zero default.
func defaultText(f *pflag.Flag) string {
	switch f.DefValue {
	case "", "0", "0s", "false", "[]":
		return ""
	}
	if f.Value.Type() == "string" {
		return fmt.Sprintf("%q", f.DefValue)
	}
	return f.DefValue
}

// writeFlagLines writes one flag a line, descriptions wrapped to
// helpWidth in a column after width.
func writeFlagLines(b *strings.Builder, flags []*pflag.Flag, width int) {
	indent := strings.Repeat(" ", width+2)
	for _, f := range flags {
		col := flagColumn(f)
		lines := wrap(flagDescription(f), helpWidth-width-2)
		if len(col) > width {
			b.WriteString(col + "\n" + indent)
		} else {
			b.WriteString(col + strings.Repeat(" ", width-len(col)+2))
		}
		b.WriteString(strings.Join(lines, "\n"+indent) + "\n")
	}
}

// wrap breaks text into lines of at most width bytes at spaces (a longer
// word stands alone).
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(text) {
		switch {
		case line == "":
			line = w
		case len(line)+1+len(w) <= width:
			line += " " + w
		default:
			lines = append(lines, line)
			line = w
		}
	}
	return append(lines, line)
}
