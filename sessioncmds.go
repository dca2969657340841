package main

// The export and cleanup subcommands: both read the session file the wizard
// writes.

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/telegent/telegent-onboard/api"
	"github.com/telegent/telegent-onboard/wizard/flow"
)

// loadSessionFile reads --state, or the default session file for the base
// URL (--base-url, else $TELEGENT_BASE_URL, else the real API) and
// $TELEGENT_ACCOUNT_ID. A missing file is a usage error that says where it
// looked.
func loadSessionFile(flags *rootFlags, baseURL string) (*flow.Session, string, error) {
	path, hint := flags.statePath, "run the wizard first, or check --state"
	if path == "" {
		if baseURL == "" {
			baseURL = os.Getenv(envBaseURL)
		}
		u, err := api.ParseBaseURL(baseURL)
		if err != nil {
			return nil, "", &exitError{code: exitUsage, err: err}
		}
		accountID := os.Getenv(envAccountID)
		if path, err = flags.sessionPath(u.String(), accountID); err != nil {
			return nil, "", &exitError{code: exitUsage, err: err}
		}
		hint = fmt.Sprintf("the default file is per base URL (%s, from --base-url or $%s) and AccountId (%q, from $%s): set them as the wizard had them, or pass --state FILE",
			u, envBaseURL, accountID, envAccountID)
	}
	s, err := flow.LoadSession(path)
	switch {
	case errors.Is(err, flow.ErrNoSession):
		return nil, path, &exitError{code: exitUsage, err: fmt.Errorf("no session file at %s; %s", path, hint)}
	case err != nil:
		return nil, path, &exitError{code: exitUsage, err: err}
	}
	return s, path, nil
}

func newExportCmd(stdout io.Writer, flags *rootFlags) *cobra.Command {
	var format, baseURL string
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write the session as a curl script, JSON, an env file or a Markdown note",
		Long: `Write the onboarding session to stdout, without any secret:

  curl      a bash script of curl calls that replays the session: it takes
            TELEGENT_BASE_URL and TELEGENT_ACCOUNT_ID from the environment
            (the session's as defaults), the credentials from
            TELEGENT_ACCOUNT_KEY and TELEGENT_ACCOUNT_SECRET, and every
            password from its own variable (it names the ones it needs and
            stops when one is missing)
  json      the IDs, steps and checks as JSON, the shape --json prints
  env       the IDs as shell-quoted TELEGENT_* variables
  markdown  a hand-off note for a ticket: steps, IDs, checkmarks, what
            remains`,
		Example: `  telegent-onboard export --format curl --state session.json > replay.sh
  TELEGENT_ACCOUNT_ID=AID-… telegent-onboard export --format markdown`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !isExportFormat(format) {
				return &exitError{code: exitUsage, err: fmt.Errorf("--format %q: choose %s", format, strings.Join(flow.ExportFormats, ", "))}
			}
			if flags.debugWanted() {
				// Nothing to trace, but say so: a support ticket should not
				// wait for a trace that never comes.
				fmt.Fprintln(cmd.ErrOrStderr(), "debug: export reads the session file and makes no API requests, so there is no HTTP trace.")
			}
			s, _, err := loadSessionFile(flags, baseURL)
			if err != nil {
				return err
			}
			data, err := flow.Export(s, format)
			if err != nil {
				return err
			}
			_, err = stdout.Write(data)
			return err
		},
	}
	cmd.Flags().StringVar(&format, "format", "markdown", "the output: curl, json, env or markdown")
	flags.addStateFlag(cmd)
	cmd.Flags().StringVar(&baseURL, "base-url", "", "the API the session ran against, to find its default file (default $"+envBaseURL+", else "+api.DefaultBaseURL+")")
	return cmd
}

func isExportFormat(f string) bool {
	for _, ok := range flow.ExportFormats {
		if f == ok {
			return true
		}
	}
	return false
}

// cleanupStdinIsTerminal tells whether confirmations can be asked; tests
// replace it.
var cleanupStdinIsTerminal = func(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

func newCleanupCmd(stdout io.Writer, flags *rootFlags) *cobra.Command {
	var (
		baseURL      string
		yes          bool
		cancelNumber bool
	)
	cmd := &cobra.Command{
		Use:   "cleanup",
		Short: "Delete the routes a session created (and, on request, cancel its number)",
		Long: `List what the session created and, after a confirmation, delete the voice
route and the message route. The number is cancelled (numbers/status
"cancel") only with --cancel-number, after its own confirmation. The API
refuses to delete a route a live number still uses, so without
--cancel-number the routes of a provisioned number stay. The subscriber
cannot be deleted through the documented API. What was removed is recorded
in the session file, so a second run does not try again.

Credentials come from TELEGENT_ACCOUNT_KEY and TELEGENT_ACCOUNT_SECRET; the
API is the one the session ran against. Without a terminal, pass --yes.`,
		Example: `  telegent-onboard cleanup --state session.json
  telegent-onboard cleanup --state session.json --cancel-number --yes`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, path, err := loadSessionFile(flags, baseURL)
			if err != nil {
				return err
			}
			return runCleanup(cmd, stdout, flags, s, path, yes, cancelNumber)
		},
	}
	f := cmd.Flags()
	f.BoolVarP(&yes, "yes", "y", false, "do not ask for confirmation (also confirms --cancel-number)")
	f.BoolVar(&cancelNumber, "cancel-number", false, "also cancel the purchased number (numbers/status cancel), which frees its routes")
	f.StringVar(&baseURL, "base-url", "", "the API the session ran against, to find its default file (default $"+envBaseURL+", else "+api.DefaultBaseURL+")")
	flags.addStateFlag(cmd)
	flags.addDebugFlags(cmd, "write the HTTP trace, secrets redacted, to stderr", false)
	return cmd
}

func runCleanup(cmd *cobra.Command, stdout io.Writer, flags *rootFlags, s *flow.Session, path string, yes, cancelNumber bool) error {
	errw := cmd.ErrOrStderr()
	fmt.Fprintf(stdout, "Session: AccountId %s at %s\n  (%s)\n", s.AccountID, s.BaseURL, path)
	plan := flow.CleanupPlan(s)
	var routes []flow.CleanupItem
	var number *flow.CleanupItem
	if len(plan) == 0 {
		fmt.Fprintln(stdout, "The session created nothing to clean up.")
	} else {
		fmt.Fprintln(stdout, "It created:")
	}
	for i, it := range plan {
		fmt.Fprintf(stdout, "  - %s\n", it)
		if it.Removed || !it.Deletable {
			continue
		}
		if it.Kind == flow.ResNumber {
			number = &plan[i]
		} else {
			routes = append(routes, it)
		}
	}
	if len(routes) == 0 && (number == nil || !cancelNumber) {
		fmt.Fprintln(stdout, "Nothing to delete.")
		if number != nil {
			fmt.Fprintf(stdout, "Number %s remains active; cancel it with --cancel-number.\n", number.ID)
		}
		return nil
	}

	creds := api.Credentials{AccountKey: os.Getenv(envAccountKey), AccountSecret: os.Getenv(envAccountSecret)}
	if creds.AccountKey == "" || creds.AccountSecret == "" {
		return &exitError{code: exitUsage, err: fmt.Errorf("cleanup calls the API: set %s and %s", envAccountKey, envAccountSecret)}
	}
	in := cmd.InOrStdin()
	if !yes && !cleanupStdinIsTerminal(in) {
		return &exitError{code: exitUsage, err: errors.New("cleanup deletes for good, so it asks first, and there is no terminal to ask in: run it in a terminal, or pass --yes")}
	}
	if !yes {
		answers := bufio.NewReader(in)
		if len(routes) > 0 {
			var names []string
			for _, r := range routes {
				names = append(names, r.Kind+" "+r.ID)
			}
			if !confirm(answers, errw, "Delete the "+strings.Join(names, " and the ")+"? This cannot be undone.") {
				fmt.Fprintln(stdout, "Nothing was changed.")
				return nil
			}
		}
		if cancelNumber && number != nil &&
			!confirm(answers, errw, fmt.Sprintf("Cancel number %s (%s)? It stops working at once; POST /numbers/reactivate undoes it.", number.ID, number.Label)) {
			cancelNumber = false
			fmt.Fprintf(stdout, "The number stays.\n")
			if len(routes) == 0 {
				fmt.Fprintln(stdout, "Nothing was changed.")
				return nil
			}
		}
	}

	c, err := api.New(s.BaseURL, creds, flags.traceOptions(cmd.ErrOrStderr())...)
	if err != nil {
		return &exitError{code: exitUsage, err: fmt.Errorf("the session's base URL: %w", err)}
	}
	before := len(s.Cleanup)
	rep, cleanErr := flow.Cleanup(cmd.Context(), c, s, cancelNumber)
	var saveErr error
	if len(s.Cleanup) != before {
		if saveErr = s.Save(path, time.Now()); saveErr != nil {
			saveErr = fmt.Errorf("could not record the cleanup in %s: %w", path, saveErr)
		}
	}
	if len(rep.Done) > 0 {
		fmt.Fprintln(stdout, "Done:")
		for _, d := range rep.Done {
			fmt.Fprintf(stdout, "  ✓ %s\n", d)
		}
	}
	if len(rep.Remains) > 0 {
		fmt.Fprintln(stdout, "Remains:")
		for _, r := range rep.Remains {
			fmt.Fprintf(stdout, "  • %s\n", r)
		}
	}
	return errors.Join(cleanErr, saveErr)
}

// confirm asks a y/N question on w and reads the answer; anything but y or
// yes (or the end of input) is no.
func confirm(r *bufio.Reader, w io.Writer, question string) bool {
	fmt.Fprintf(w, "%s [y/N] ", question)
	line, err := r.ReadString('\n')
	if err != nil && line == "" {
		fmt.Fprintln(w)
		return false
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return true
	}
	return false
}
