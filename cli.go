package main

// The command line's conventions, shared by every command: fang's styled
// help, errors and --version over the cobra tree; usage errors that exit 2
// and suggest the command meant; and the help topics (environment,
// exit-codes). Exit codes stay main's: fang only prints.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"charm.land/fang/v2"
	"github.com/spf13/cobra"

	"github.com/telegent/telegent-onboard/api"
	"github.com/telegent/telegent-onboard/wizard/accessible"
)

// execute runs root the way main does: through fang, which styles help and
// errors and adds `man` and `completion`, with this program's version and
// error printer. It returns the command's error untouched, so exitCode
// still decides the status.
func execute(ctx context.Context, root *cobra.Command) error {
	// An error fang sees costs a query of the terminal's background colour
	// for the error's styles, before the error handler runs: up to 2 s
	// each (lipgloss's timeout) on a terminal that does not answer. The
	// wizard's ctrl+c prints nothing, so it goes around fang and exits at
	// once.
	var quiet error
	if run := root.RunE; run != nil {
		root.RunE = func(cmd *cobra.Command, args []string) error {
			err := run(cmd, args)
			if silent(err) {
				quiet = err
				return nil
			}
			return err
		}
	}
	err := fang.Execute(ctx, root,
		fang.WithVersion(root.Version), // ours: fang's own would say "unknown (built from source)"
		fang.WithErrorHandler(errorPrinter(root.ErrOrStderr())),
	)
	if err == nil {
		err = quiet
	}
	return err
}

// silent reports whether err ends the program without a message: ctrl+c
// (or ctrl+d) in the wizard or at an accessible prompt, after which the
// summary says where it stopped.
func silent(err error) bool {
	return exitCode(err) == exitInterrupted && (errors.Is(err, errInterrupted) || errors.Is(err, accessible.ErrInterrupted))
}

// errorPrinter prints a failed command's error. In a terminal it is fang's
// ERROR badge; otherwise one plain "Error: …" line, which is what logs and
// scripts grep. The message is printed as written: fang's default would
// capitalise its first word ("--Format") and wrap it, breaking file paths.
func errorPrinter(stderr io.Writer) fang.ErrorHandler {
	return func(w io.Writer, styles fang.Styles, err error) {
		if silent(err) {
			return // execute keeps these from fang; this is in case one gets through
		}
		if !isTerminal(stderr) {
			fmt.Fprintln(w, "Error:", err)
			return
		}
		fmt.Fprintln(w, styles.ErrorHeader.String())
		fmt.Fprintln(w, styles.ErrorText.UnsetTransform().UnsetWidth().Render(err.Error()))
		fmt.Fprintln(w)
	}
}

// noArgs is cobra.NoArgs with the usage exit status and a suggestion: a
// word where none is expected is a mistyped subcommand more often than not.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return unknownCommand(cmd, args[0])
	}
	return nil
}

// unknownCommand is the usage error for a word cmd does not know, with
// cobra's suggestions (edit distance SuggestionsMinimumDistance, or a
// prefix).
func unknownCommand(cmd *cobra.Command, word string) error {
	msg := fmt.Sprintf("unknown command %q for %q", truncate(word, 40), cmd.CommandPath())
	if s := cmd.SuggestionsFor(word); len(s) > 0 {
		msg += "; did you mean " + strings.Join(quoteAll(s), " or ") + "?"
	}
	return usageErr("%s (see %s --help)", msg, cmd.CommandPath())
}

func quoteAll(words []string) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = fmt.Sprintf("%q", w)
	}
	return out
}

// newHelpCmd replaces cobra's help command, which exits 0 with "Unknown
// help topic" for a typo: here that is a usage error with a suggestion,
// like any other unknown command.
func newHelpCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "help [command | topic]",
		Short: "Help about any command, or a topic: environment, exit-codes",
		Long: `Help about any command, or one of the topics:

  environment   the environment variables telegent-onboard reads
  exit-codes    what each exit status means, for scripts`,
		ValidArgsFunction: func(c *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
			target, _, err := c.Root().Find(args)
			if err != nil {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var names []cobra.Completion
			for _, sub := range target.Commands() {
				if sub.IsAvailableCommand() {
					names = append(names, cobra.CompletionWithDesc(sub.Name(), sub.Short))
				}
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(c *cobra.Command, args []string) error {
			target, rest, err := c.Root().Find(args)
			if err != nil {
				return usageErr("%w", err)
			}
			if len(rest) > 0 {
				return unknownCommand(target, rest[0])
			}
			target.InitDefaultHelpFlag()
			target.InitDefaultVersionFlag()
			return target.Help()
		},
	}
}

// topicGroup lists the help topics apart from the commands in --help.
const topicGroup = "topics"

// newTopicCmd is a help topic: `help NAME` (or `NAME`) prints text as
// written, without fang's usage block, which a topic has no use for.
func newTopicCmd(name, short, text string) *cobra.Command {
	print := func(c *cobra.Command) error {
		_, err := io.WriteString(c.OutOrStdout(), text)
		return err
	}
	c := &cobra.Command{
		Use:     name,
		Short:   short,
		Long:    text,
		GroupID: topicGroup,
		Args:    noArgs,
		RunE:    func(c *cobra.Command, _ []string) error { return print(c) },
	}
	c.SetHelpFunc(func(c *cobra.Command, _ []string) { _ = print(c) })
	return c
}

// environmentTopic is `help environment`: every variable the program reads
// (TestHelpEnvironmentNamesEveryVariable checks the code reads no other).
func environmentTopic() string {
	var b strings.Builder
	b.WriteString(`Environment variables telegent-onboard reads

Credentials and the API (the wizard, --non-interactive, export, cleanup):
`)
	for _, v := range [][2]string{
		{envBaseURL, "the API root, as --base-url (default " + api.DefaultBaseURL + "); also finds the default session file for export and cleanup"},
		{envAccountKey, "the AccountKey: prefills the wizard; --non-interactive and cleanup take it from here (or --account-key)"},
		{envAccountSecret, "the AccountSecret: prefills the wizard (masked); --non-interactive and cleanup read it only from here"},
		{envAccountID, "the AccountId: prefills the wizard; --non-interactive needs it; export and cleanup find the default session file by it"},
	} {
		b.WriteString(row(v[0], v[1]))
	}
	b.WriteString("\nWebhooks (webhook test, webhook send):\n")
	for _, v := range [][2]string{
		{envWebhookAuth, "the default of --auth (none, basic:USER:PASS or bearer:TOKEN), so a secret stays out of shell history"},
		{envWebhookCAFile, "a PEM file of root certificates trusted besides the system's (private CAs, tests); verification stays on"},
	} {
		b.WriteString(row(v[0], v[1]))
	}
	b.WriteString(`
Output and terminal:
`)
	for _, v := range [][2]string{
		{envDebug + "=1", "as --debug: the redacted HTTP trace (stderr, or the wizard's --debug-file); 0 or false: off"},
		{"ACCESSIBLE=1", "as --accessible: plain prompts for screen readers; 0 or false: off"},
		{"TERM=dumb", "a terminal that cannot redraw: plain prompts instead of the full-screen wizard"},
		{"NO_COLOR", "any value: no colours, in the wizard and in help (bold and reverse still show the selection)"},
		{"HOME, XDG_CONFIG_HOME", "where the session files and the debug trace go: the user's config directory, telegent-onboard/"},
	} {
		b.WriteString(row(v[0], v[1]))
	}
	b.WriteString(`
The script written by 'export --format curl' reads TELEGENT_BASE_URL,
TELEGENT_ACCOUNT_ID, TELEGENT_ACCOUNT_KEY and TELEGENT_ACCOUNT_SECRET, and
the secrets a session never keeps: TELEGENT_MESSAGE_PASSWORD_TOKEN,
TELEGENT_CALLBACK_MESSAGE_PASSWORD_TOKEN, TELEGENT_VOICE_PASSWORD_TOKEN,
TELEGENT_SUBSCRIBER_PASSWORD; TELEGENT_SUBSCRIBER_EMAIL, TELEGENT_ICCID and
TELEGENT_ORDER_TIMEOUT (seconds, default 600) override the session's values.
`)
	return b.String()
}

// exitCodesTopic is `help exit-codes`, from the same table as exitCode
// (TestExitCodesTopicMatchesReadme checks the README says the same).
func exitCodesTopic() string {
	var b strings.Builder
	b.WriteString("Exit codes: the same for every command and never changed, so scripts can\nbranch on them.\n\n")
	for _, row := range exitCodeTable {
		b.WriteString(hanging(fmt.Sprintf("  %3d  ", row.code), row.meaning))
	}
	b.WriteString("\n'webhook test' and 'webhook send' use 0, 1 and 2 only: 1 when a check\nfailed or the answer was not 2xx.\n")
	return b.String()
}

// topicWidth is the widest line of a help topic: an 80-column terminal
// shows it without wrapping mid-word.
const topicWidth = 80

// row is a topic's table row: the name in a column, the text wrapped
// beside it.
func row(name, text string) string {
	return hanging(fmt.Sprintf("  %-26s ", name), text)
}

// hanging prints text after prefix, wrapped at topicWidth with the
// continuation lines indented to the prefix's width.
func hanging(prefix, text string) string {
	var b strings.Builder
	indent := strings.Repeat(" ", len([]rune(prefix)))
	line := prefix
	for i, word := range strings.Fields(text) {
		if i > 0 && len([]rune(line))+1+len([]rune(word)) > topicWidth {
			b.WriteString(line + "\n")
			line = indent + word
			continue
		}
		if i > 0 {
			line += " "
		}
		line += word
	}
	b.WriteString(line + "\n")
	return b.String()
}
