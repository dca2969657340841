package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/telegent/telegent-onboard/api"
	"github.com/telegent/telegent-onboard/api/sandbox"
	"github.com/telegent/telegent-onboard/api/webhook/check"
	"github.com/telegent/telegent-onboard/wizard/flow"
)

// headlessFlags are the flags of a run without the terminal UI.
type headlessFlags struct {
	nonInteractive bool
	answers        string
	json           bool
	accountKey     string
	checkWebhooks  bool
}

func (f *headlessFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.BoolVar(&f.nonInteractive, "non-interactive", false, "run every step without the terminal UI, from --answers FILE")
	fl.StringVar(&f.answers, "answers", "", "answers file (JSON or YAML): the quickstart's request bodies keyed by step")
	fl.BoolVar(&f.json, "json", false, "with --non-interactive: print the summary (every ID) as JSON on stdout")
	fl.StringVar(&f.accountKey, "account-key", "", "the AccountKey for --non-interactive (default $"+envAccountKey+")")
	fl.BoolVar(&f.checkWebhooks, "check-webhooks", false, "with --non-interactive: prove the route's webhook URLs first; a failed check stops the run (exit 5)")
}

// wanted reports whether the command line asks for a headless run.
func (f *headlessFlags) wanted() bool { return f.nonInteractive || f.answers != "" }

func usageErr(format string, args ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, args...)}
}

// runHeadless runs the onboarding from an answers file: progress on stderr,
// the summary on stdout, the session in the same state file the wizard uses.
func runHeadless(cmd *cobra.Command, stdout io.Writer, rf *rootFlags, hf *headlessFlags, useSandbox bool, baseURL string) error {
	stderr := cmd.ErrOrStderr()
	if hf.answers == "" {
		return usageErr("--non-interactive needs --answers FILE: the request bodies keyed by step (MessageRoute, VoiceRoute, Availability, Subscriber, Provision, Message)")
	}
	answers, err := flow.LoadAnswers(hf.answers)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	if err := answers.Validate(hf.answers); err != nil {
		return &exitError{code: exitUsage, err: err}
	}

	creds := api.Credentials{AccountKey: hf.accountKey, AccountSecret: os.Getenv(envAccountSecret)}
	if creds.AccountKey == "" {
		creds.AccountKey = os.Getenv(envAccountKey)
	}
	accountID := os.Getenv(envAccountID)
	if useSandbox {
		run, err := sandbox.Start("127.0.0.1:0", sandbox.Options{OrderDelay: 1500 * time.Millisecond})
		if err != nil {
			return err
		}
		defer run.Close()
		baseURL = run.URL
		creds = api.Credentials{AccountKey: sandbox.DemoAccountKey, AccountSecret: sandbox.DemoAccountSecret}
		accountID = sandbox.DemoAccountID
	} else {
		if baseURL == "" {
			baseURL = os.Getenv(envBaseURL)
		}
		u, err := api.ParseBaseURL(baseURL)
		if err != nil {
			return usageErr("%w", err)
		}
		baseURL = u.String()
		var missing []string
		if creds.AccountKey == "" {
			missing = append(missing, envAccountKey+" (or --account-key)")
		}
		if creds.AccountSecret == "" {
			missing = append(missing, envAccountSecret)
		}
		if accountID == "" {
			missing = append(missing, envAccountID)
		}
		if len(missing) > 0 {
			return usageErr("--non-interactive takes credentials from the environment only; set %v", missing)
		}
	}

	statePath, err := flow.SessionPath(rf.statePath, useSandbox, baseURL, accountID)
	if err != nil {
		return usageErr("%w", err)
	}
	sess := flow.NewSession(baseURL, accountID, time.Now())
	// A wait for the rate limit or a Retry-After is one line on stderr, so a
	// log shows why the run paused.
	waits := api.WithWaitObserver(func(w api.Wait) {
		if left := int(math.Ceil(time.Until(w.Until).Seconds())); worthSaying(w, left) {
			fmt.Fprintln(stderr, w.Describe(left))
		}
	})
	client, err := api.New(baseURL, creds, append(rf.traceOptions(stderr), waits)...)
	if err != nil {
		return usageErr("%w", err)
	}
	h := &flow.Headless{Client: client, Credentials: creds, Session: sess, StatePath: statePath,
		Progress: stderr, Warn: stderr, Sandbox: useSandbox, CheckWebhooks: hf.checkWebhooks}
	if path := os.Getenv(envWebhookCAFile); path != "" {
		roots, err := readRoots(path)
		if err != nil {
			return usageErr("$%s: %v", envWebhookCAFile, err)
		}
		h.WebhookOptions = func(o *check.Options) { o.RootCAs = roots }
	}
	runErr := h.Run(cmd.Context(), answers)
	if hf.json {
		// The same bytes as `export --format json` of this session: one
		// documented shape (README, "JSON output").
		data, err := flow.ExportJSON(sess)
		if err != nil {
			return err
		}
		if _, err := stdout.Write(data); err != nil {
			return err
		}
	} else if runErr == nil {
		fmt.Fprint(stdout, flow.PlainSummary(sess))
	}
	if code, sig := interrupted(cmd.Context()); code != 0 {
		// The run saved as it went (every create is recorded in flight
		// before it is sent): the next run resumes and looks up whatever
		// the interrupted request may have done.
		where := "a --sandbox run saves only with --state"
		if statePath != "" {
			where = "the session is saved in " + statePath + ": run the same command again to resume"
		}
		return &exitError{code: code, err: fmt.Errorf("%v: stopped; %s", sig, where)}
	}
	if runErr != nil {
		where := "The session is not saved (a --sandbox run saves only with --state)."
		if statePath != "" {
			where = "The session is saved in " + statePath + ": run the same command again to resume."
		}
		return fmt.Errorf("%w\n  %s", runErr, where)
	}
	return nil
}

// worthSaying: a wait the server asked for (a Retry-After, a retry after
// an error) is always said; the client's own pacing only when it is long
// enough to look like a hang (a second's pause between requests is how the
// pace is kept, and would fill the log).
func worthSaying(w api.Wait, seconds int) bool {
	return w.Reason != api.WaitRateLimit || seconds >= 3
}
