// Command telegent-onboard takes a first-time Telegent customer from nothing
// to a working line: a terminal wizard over the quickstart's seven steps, and
// an in-memory sandbox of the API to run it against.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/telegent/telegent-onboard/api"
	"github.com/telegent/telegent-onboard/api/sandbox"
	"github.com/telegent/telegent-onboard/api/validate"
	"github.com/telegent/telegent-onboard/api/webhook/check"
	"github.com/telegent/telegent-onboard/wizard"
	"github.com/telegent/telegent-onboard/wizard/accessible"
	"github.com/telegent/telegent-onboard/wizard/flow"
)

func main() {
	api.Version = currentBuild().Token()
	ctx, stop := signalContext()
	err := execute(ctx, newRootCmd(os.Stdout, os.Stderr)) // cli.go: fang prints the error
	stop()
	os.Exit(exitCode(err))
}

// signalError is the cause of a context ended by SIGINT or SIGTERM.
type signalError struct{ sig syscall.Signal }

func (e *signalError) Error() string { return "interrupted by " + e.sig.String() }

// signalContext ends at the first SIGINT or SIGTERM with a *signalError
// cause, so a command can save and exit 128+signal. The handler is then
// removed: a second ctrl+c kills the process the usual way.
func signalContext() (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(context.Background())
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-ch:
			signal.Stop(ch)
			sig, _ := s.(syscall.Signal)
			cancel(&signalError{sig: sig})
		case <-done:
		}
	}()
	return ctx, func() { signal.Stop(ch); close(done); cancel(nil) }
}

// interrupted returns the exit status for a context ended by a signal
// (130 for SIGINT, 143 for SIGTERM), or 0.
func interrupted(ctx context.Context) (int, error) {
	var se *signalError
	if ctx != nil && errors.As(context.Cause(ctx), &se) {
		return 128 + int(se.sig), se
	}
	return 0, nil
}

// Environment variables the wizard reads.
const (
	envBaseURL       = "TELEGENT_BASE_URL"
	envAccountKey    = "TELEGENT_ACCOUNT_KEY"
	envAccountSecret = "TELEGENT_ACCOUNT_SECRET"
	envAccountID     = "TELEGENT_ACCOUNT_ID"
)

// rootFlags are the flags several commands share, each registered only on
// the commands where it does something (addStateFlag, addDebugFlags), so
// help never offers a flag that is silently ignored.
type rootFlags struct {
	statePath string // --state: the session file; default under the user's config directory
	debug     bool   // --debug (or TELEGENT_DEBUG=1): the redacted HTTP trace
	debugPath string // --debug-file: where the full-screen wizard writes it
}

// sessionPath is --state, or the default file for this API and account.
func (f *rootFlags) sessionPath(baseURL, accountID string) (string, error) {
	if f.statePath != "" {
		return f.statePath, nil
	}
	return flow.DefaultStatePath(baseURL, accountID)
}

// addStateFlag gives cmd --state: the commands that read or write a
// session file.
func (f *rootFlags) addStateFlag(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.statePath, "state", "", "the session file (default: one per base URL and AccountId under the user's config directory)")
}

// addDebugFlags gives cmd --debug, described as it works there, and
// --debug-file where a full screen owns the terminal and the trace goes to
// a file instead of stderr.
func (f *rootFlags) addDebugFlags(cmd *cobra.Command, usage string, withFile bool) {
	cmd.Flags().BoolVar(&f.debug, "debug", false, usage+"; also "+envDebug+"=1")
	if withFile {
		cmd.Flags().StringVar(&f.debugPath, "debug-file", "", "the trace file of the full screen, with --debug (default: telegent-onboard-debug.log beside the session file)")
	}
}

func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	var useSandbox bool
	var baseURL string
	flags := &rootFlags{}
	hl := &headlessFlags{}
	ui := &uiFlags{}
	root := &cobra.Command{
		Use:   "telegent-onboard",
		Short: "Set up a Telegent line step by step, or run a Telegent sandbox",
		Long: `A terminal wizard over the Telegent quickstart: credentials, message route,
voice route, availability, subscriber, provisioning and a test SMS, with
every ID carried forward. Try it with no account: telegent-onboard --sandbox`,
		Example: `  telegent-onboard --sandbox
  TELEGENT_ACCOUNT_KEY=DID-… TELEGENT_ACCOUNT_ID=AID-… telegent-onboard
  # headless, credentials from TELEGENT_ACCOUNT_KEY, _SECRET and _ID:
  telegent-onboard --non-interactive --answers answers.yaml --json`,
		Version:       strings.TrimSuffix(currentBuild().String(), "\n"),
		Args:          noArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if hl.wanted() {
				return runHeadless(cmd, stdout, flags, hl, useSandbox, baseURL)
			}
			if hl.json || hl.accountKey != "" || hl.checkWebhooks {
				return usageErr("--json, --account-key and --check-webhooks go with --non-interactive --answers FILE")
			}
			return runWizard(cmd, stdout, useSandbox, baseURL, flags, ui)
		},
	}
	flags.addStateFlag(root)
	flags.addDebugFlags(root, "write the HTTP trace, secrets redacted, to stderr (the full-screen wizard: to --debug-file)", true)
	root.Flags().BoolVar(&useSandbox, "sandbox", false, "run against an in-process sandbox with demo credentials")
	root.Flags().StringVar(&baseURL, "base-url", "", "the API's base URL (default $"+envBaseURL+", else "+api.DefaultBaseURL+")")
	root.Flags().BoolVar(&ui.accessible, "accessible", false, "plain prompts, no animation, readable by screen readers (also ACCESSIBLE=1)")
	root.Flags().BoolVar(&ui.presenter, "presenter", false, "for live demos: mask AccountKey, AccountId, emails and phone numbers on screen (not in files)")
	hl.register(root)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetVersionTemplate("{{.Version}}\n") // the whole text of `version`, not cobra's "telegent-onboard version …"
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		// "exprt --format json" fails on the root's flags before noArgs
		// sees "exprt": a word before the bad flag on a command that takes
		// none is the mistake to report, with its suggestion.
		if args := c.Flags().Args(); len(args) > 0 && c.Args != nil && c.Args(c, args) != nil {
			return c.Args(c, args)
		}
		return &exitError{code: exitUsage, err: fmt.Errorf("%w (see %s --help)", err, c.CommandPath())}
	})
	root.SuggestionsMinimumDistance = 2 // "did you mean" for a typo of up to two letters (cli.go)
	root.SetHelpCommand(newHelpCmd())
	root.AddGroup(&cobra.Group{ID: topicGroup, Title: "help topics"})
	root.AddCommand(newSandboxCmd(stdout))
	root.AddCommand(newExportCmd(stdout, flags), newCleanupCmd(stdout, flags)) // sessioncmds.go
	root.AddCommand(newListenCmd(stdout, flags))                               // listen.go
	root.AddCommand(newWebhookCmd(stdout))                                     // webhookcmd.go
	root.AddCommand(newVersionCmd(currentBuild))                               // version.go
	root.AddCommand(
		newTopicCmd("environment", "The environment variables it reads", environmentTopic()),
		newTopicCmd("exit-codes", "What each exit status means, for scripts", exitCodesTopic()),
	)
	return root
}

// uiFlags shape the interactive wizard.
type uiFlags struct {
	accessible bool
	presenter  bool
}

// accessibleMode is --accessible, TERM=dumb, or ACCESSIBLE set to anything
// but "", "0" or "false" (the convention huh and gum follow).
func (u *uiFlags) accessibleMode() bool {
	if u.accessible {
		return true
	}
	if os.Getenv("TERM") == "dumb" {
		return true // a terminal that cannot redraw: plain prompts work, a full screen does not
	}
	v := strings.ToLower(strings.TrimSpace(os.Getenv("ACCESSIBLE")))
	return v != "" && v != "0" && v != "false"
}

func runWizard(cmd *cobra.Command, stdout io.Writer, useSandbox bool, baseURL string, flags *rootFlags, ui *uiFlags) error {
	if !useSandbox {
		if baseURL == "" {
			baseURL = os.Getenv(envBaseURL)
		}
		u, err := api.ParseBaseURL(baseURL)
		if err != nil {
			return &exitError{code: exitUsage, err: err}
		}
		baseURL = u.String()
	}
	if !term.IsTerminal(os.Stdin.Fd()) || !term.IsTerminal(os.Stderr.Fd()) {
		return &exitError{code: exitUsage, err: errors.New("the wizard needs an interactive terminal; run it in one, or run headless: telegent-onboard --non-interactive --answers FILE [--json] (see --help), or use 'telegent-onboard sandbox' to serve the API for scripts")}
	}
	opts := wizard.Options{
		Credentials: api.Credentials{AccountKey: os.Getenv(envAccountKey), AccountSecret: os.Getenv(envAccountSecret)},
		AccountID:   os.Getenv(envAccountID),
		StatePath:   flags.statePath,
		Presenter:   ui.presenter,
	}
	var stopSandbox func()
	if useSandbox {
		var mu sync.Mutex
		var running *sandbox.Running
		opts.Sandbox = true
		opts.Credentials = api.Credentials{AccountKey: sandbox.DemoAccountKey, AccountSecret: sandbox.DemoAccountSecret}
		opts.AccountID = sandbox.DemoAccountID
		opts.StartSandbox = func() (string, error) {
			r, err := sandbox.Start("127.0.0.1:0", sandbox.Options{OrderDelay: 1500 * time.Millisecond})
			if err != nil {
				return "", err
			}
			mu.Lock()
			running = r
			mu.Unlock()
			return r.URL, nil
		}
		stopSandbox = func() {
			mu.Lock()
			defer mu.Unlock()
			if running != nil {
				running.Close()
			}
		}
	} else {
		opts.BaseURL = baseURL
	}
	var debugPath string
	if flags.debugWanted() {
		statePath := flags.statePath
		if statePath == "" && !useSandbox {
			statePath, _ = flags.sessionPath(baseURL, opts.AccountID)
		}
		f, path, err := flags.debugFile(statePath)
		if err != nil {
			return &exitError{code: exitUsage, err: err}
		}
		defer f.Close()
		debugPath = path
		opts.ClientOptions = append(opts.ClientOptions, api.WithTrace(f))
	}
	if path := os.Getenv(envWebhookCAFile); path != "" {
		roots, err := readRoots(path)
		if err != nil {
			return usageErr("$%s: %v", envWebhookCAFile, err)
		}
		opts.WebhookOptions = func(o *check.Options) { o.RootCAs = roots }
	}
	if ui.accessibleMode() {
		// Plain prompts print a wait as a line, as a headless run does.
		waits := api.WithWaitObserver(func(w api.Wait) {
			if left := int(math.Ceil(time.Until(w.Until).Seconds())); worthSaying(w, left) {
				fmt.Fprintln(os.Stderr, w.Describe(left))
			}
		})
		sess, err := accessible.Run(cmd.Context(), accessible.Options{BaseURL: opts.BaseURL, Sandbox: opts.Sandbox,
			StartSandbox: opts.StartSandbox, Credentials: opts.Credentials, AccountID: opts.AccountID, StatePath: opts.StatePath,
			DemoSuffix: opts.DemoSuffix, ClientOptions: append(opts.ClientOptions, waits)}, os.Stdin, os.Stderr)
		if stopSandbox != nil {
			stopSandbox()
		}
		if sess != nil && sess.Status(flow.Credentials) == flow.Done {
			fmt.Fprint(stdout, flow.PlainSummary(sess))
		}
		if debugPath != "" {
			fmt.Fprintf(os.Stderr, "The HTTP trace (secrets redacted) is in %s\n", debugPath)
		}
		return err
	}
	m := wizard.New(opts)
	_, err := tea.NewProgram(m, tea.WithContext(cmd.Context()), tea.WithOutput(os.Stderr)).Run()
	m.Close()
	if stopSandbox != nil {
		stopSandbox()
	}
	if sess := m.Session(); sess.Status(flow.Credentials) == flow.Done {
		fmt.Fprint(stdout, m.Summary())
	}
	if debugPath != "" {
		fmt.Fprintf(os.Stderr, "The HTTP trace (secrets redacted) is in %s\n", debugPath)
	}
	switch {
	case m.Interrupted(), errors.Is(err, tea.ErrInterrupted), errors.Is(err, tea.ErrProgramKilled) && cmd.Context().Err() != nil:
		return errInterrupted
	case err != nil && !errors.Is(err, tea.ErrProgramKilled):
		return err
	}
	return nil
}

func newSandboxCmd(stdout io.Writer) *cobra.Command {
	var (
		addr string
		opts sandbox.Options
	)
	cmd := &cobra.Command{
		Use:   "sandbox",
		Short: "Serve an in-memory Telegent API with demo credentials",
		Long: `Serve an in-memory Telegent API that enforces the documented rules, for
demos, scripts and tests. Nothing leaves this machine; state is lost when it
stops.`,
		Example: `  telegent-onboard sandbox --addr 127.0.0.1:8089
  telegent-onboard sandbox --fault-rate 0.2 --latency 50ms --seed 7`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkSandboxOptions(addr, opts); err != nil {
				return &exitError{code: exitUsage, err: err}
			}
			run, err := sandbox.Start(addr, opts)
			if err != nil {
				return err
			}
			defer run.Close()
			host, _, _ := net.SplitHostPort(run.Addr)
			if !validate.IsLoopbackHost(host) {
				fmt.Fprintln(cmd.ErrOrStderr(), "Warning: the sandbox is reachable from other machines; it has demo credentials only.")
			}
			fmt.Fprintf(stdout, `Telegent sandbox is running.

  Base URL       %s
  AccountKey     %s
  AccountSecret  %s
  AccountId      %s
  Resources      %s

Try: curl -s %s/oauth2/tokens -H 'Content-Type: application/json' \
       -d '{"AccountKey":"%s","AccountSecret":"%s"}'
Press Ctrl+C to stop.
`, run.URL, sandbox.DemoAccountKey, sandbox.DemoAccountSecret, sandbox.DemoAccountID,
				"http://"+run.Addr+"/_sandbox/resources", run.URL, sandbox.DemoAccountKey, sandbox.DemoAccountSecret)
			<-cmd.Context().Done()
			fmt.Fprintln(stdout, "Sandbox stopped.")
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&addr, "addr", "127.0.0.1:8089", "address to listen on (port 0 picks a free one)")
	f.IntVar(&opts.RateLimit, "rate-limit", 50, "requests per minute per token before 429 (negative: no limit)")
	f.Float64Var(&opts.FaultRate, "fault-rate", 0, "fraction of requests answered 500, 503 or 429 (0 to 1)")
	f.DurationVar(&opts.Latency, "latency", 0, "delay added before each request is handled")
	f.Float64Var(&opts.LoseResponses, "lose-responses", 0, "fraction of creates carried out and then answered by closing the connection (0 to 1)")
	f.Int64Var(&opts.Seed, "seed", 1, "seed for faults, lost responses and random availability (same seed, same run)")
	f.DurationVar(&opts.OrderDelay, "order-delay", 2*time.Second, "how long a new order stays Pending (0 completes it at once)")
	f.DurationVar(&opts.TokenTTL, "token-ttl", time.Hour, "how long a token is valid")
	f.BoolVar(&opts.RequireAPIEndpoint, "require-api-endpoint", false, "refuse token requests without ApiEndpoint, like the stricter servers")
	return cmd
}

func checkSandboxOptions(addr string, o sandbox.Options) error {
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return fmt.Errorf("--addr %q must be host:port, like 127.0.0.1:8089", addr)
	}
	for name, v := range map[string]float64{"--fault-rate": o.FaultRate, "--lose-responses": o.LoseResponses} {
		if v < 0 || v > 1 {
			return fmt.Errorf("%s must be between 0 and 1, got %g", name, v)
		}
	}
	if o.Latency < 0 || o.OrderDelay < 0 {
		return errors.New("--latency and --order-delay cannot be negative")
	}
	if o.TokenTTL <= 0 {
		return errors.New("--token-ttl must be positive")
	}
	return nil
}
