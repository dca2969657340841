package main

// The webhook subcommands: `webhook test URL` proves a message route's URL
// before Telegent depends on it, `webhook send URL` sends it one synthetic
// event, like `stripe trigger`. The engine is api/webhook/check, shared with
// the wizard and headless runs; this file is only flags and printing, and
// uses nothing else in main but exitError and exitUsage, so it moves as
// one piece.

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/telegent/telegent-onboard/api/validate"
	"github.com/telegent/telegent-onboard/api/webhook"
	"github.com/telegent/telegent-onboard/api/webhook/check"
)

const (
	// envWebhookAuth is --auth's default, so a secret need not be typed
	// where shell history and `ps` keep it.
	envWebhookAuth = "TELEGENT_WEBHOOK_AUTH"
	// envWebhookCAFile names a PEM file of root certificates trusted besides
	// the system's: for tests and private CAs. Verification stays on.
	envWebhookCAFile = "TELEGENT_WEBHOOK_CA_FILE"
)

// Bounds on what the flags accept: generous for real use, small enough that
// a pasted file or a runaway script is refused rather than sent.
const (
	maxFlagAuth     = 4096
	maxFlagBody     = 1600 // characters: ten SMS segments
	maxFlagID       = 100
	maxFlagStatus   = 40
	maxTimeout      = 2 * time.Minute
	maxCAFile       = 1 << 20
	shownAnswerBody = 4 << 10 // of an answer's body, printed by send
)

func newWebhookCmd(stdout io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "webhook",
		Short: "Test a message route's webhook URL, or send it a test event",
		Long: `Check the URL a message route will call before Telegent depends on it
(webhook test), or send it one inbound message or delivery report while you
develop the receiving end (webhook send). Test events carry "Test": true and
a TMID-TEST-… message ID, so your code can tell them apart.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return &exitError{code: exitUsage, err: fmt.Errorf("unknown command %q for %s: use test or send", truncate(args[0], 40), cmd.CommandPath())}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newWebhookTestCmd(stdout), newWebhookSendCmd(stdout))
	return cmd
}

// webhookFlags are the flags test and send share.
type webhookFlags struct {
	method, auth string
	timeout      time.Duration
}

func (f *webhookFlags) register(cmd *cobra.Command) {
	auth := os.Getenv(envWebhookAuth)
	if auth == "" {
		auth = "none"
	}
	fl := cmd.Flags()
	fl.StringVar(&f.method, "method", "POST", "the HTTP method, as the route's MessageUrlMethod: POST or GET (GET sends the fields as query parameters)")
	fl.StringVar(&f.auth, "auth", auth, "authentication the route sends: none, basic:USER:PASS or bearer:TOKEN (default $"+envWebhookAuth+", else none)")
	fl.DurationVar(&f.timeout, "timeout", check.DefaultTimeout, "how long each step may take: the lookup, the connection, each answer")
	// The default may hold a secret from the environment: never show it in
	// --help.
	fl.Lookup("auth").DefValue = ""
}

// options checks the shared flags and the environment, and makes the
// engine's options.
func (f *webhookFlags) options(rawURL string) (check.Options, error) {
	var o check.Options
	if len(f.auth) > maxFlagAuth {
		return o, webhookUsage("--auth is longer than %d characters", maxFlagAuth)
	}
	auth, err := webhook.ParseAuth(f.auth)
	if err != nil {
		return o, webhookUsage("--auth: %v", err)
	}
	method := strings.ToUpper(f.method)
	if method != http.MethodPost && method != http.MethodGet {
		return o, webhookUsage("--method %q: use POST or GET", truncate(f.method, 20))
	}
	if f.timeout <= 0 || f.timeout > maxTimeout {
		return o, webhookUsage("--timeout %v: give a duration above 0 and at most %v, like 5s", f.timeout, maxTimeout)
	}
	if len(rawURL) > check.MaxURL {
		return o, webhookUsage("the URL is longer than %d characters", check.MaxURL)
	}
	o = check.Options{Method: method, Auth: auth, Timeout: f.timeout}
	if path := os.Getenv(envWebhookCAFile); path != "" {
		pool, err := readRoots(path)
		if err != nil {
			return o, webhookUsage("$%s: %v", envWebhookCAFile, err)
		}
		o.RootCAs = pool
	}
	return o, nil
}

// readRoots is the system's roots plus the PEM certificates in path.
func readRoots(path string) (*x509.CertPool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	pem, err := io.ReadAll(io.LimitReader(f, maxCAFile+1))
	if err != nil {
		return nil, err
	}
	if len(pem) > maxCAFile {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, maxCAFile)
	}
	pool, err := check.SystemRootsWith(pem)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return pool, nil
}

func newWebhookTestCmd(stdout io.Writer) *cobra.Command {
	var wf webhookFlags
	var kind string
	var jsonOut, sandboxMode bool
	cmd := &cobra.Command{
		Use:   "test URL",
		Short: "Check a webhook URL: https, DNS, TCP, TLS, test events answered, wrong credentials refused",
		Long: `Run the checklist Telegent's calls depend on, printing each check as it runs
with ✓, ! (a warning) or ✗ and what to do about it:

  1. the URL is https (http only to loopback hosts, for local testing);
  2. the host resolves, to a public address (Telegent calls from the
     internet);
  3. TCP connects within the timeout;
  4. TLS: the chain verifies, the name matches, TLS 1.2 or newer, and the
     certificate is not expired (nor expiring within 14 days: a warning);
  5. a test event of each kind is answered 2xx within the timeout (redirects
     are reported, not followed: Telegent does not follow them);
  6. the same event with wrong credentials is refused with 401 or 403.

Exit status: 0 when no check failed (warnings allowed), 1 when one did, 2
for bad usage. The checks run from this machine: a firewall that lets it
through may still block Telegent.`,
		Example: `  telegent-onboard webhook test https://hooks.example.com/telegent \
    --auth basic:hooks:s3cret
  TELEGENT_WEBHOOK_AUTH=bearer:$TOKEN telegent-onboard webhook test \
    https://hooks.example.com/sms --method GET --json
  # a 'listen' receiver:
  telegent-onboard webhook test http://127.0.0.1:8090/telegent/messages \
    --sandbox`,
		Args: exactlyOneURL,
		RunE: func(cmd *cobra.Command, args []string) error {
			o, err := wf.options(args[0])
			if err != nil {
				return err
			}
			if o.Kinds, err = check.ParseKinds(kind); err != nil || len(kind) > 40 {
				return webhookUsage("--kind %q: use inbound, delivery-report or both", truncate(kind, 40))
			}
			o.Sandbox = sandboxMode
			return runWebhookTest(cmdContext(cmd), stdout, args[0], o, jsonOut)
		},
	}
	wf.register(cmd)
	cmd.Flags().StringVar(&kind, "kind", "both", "events to send: inbound, delivery-report or both")
	cmd.Flags().BoolVar(&jsonOut, "json", false, "print the checklist as one JSON object on stdout (see the README for its shape)")
	cmd.Flags().BoolVar(&sandboxMode, "sandbox", false, "the URL is for the built-in sandbox: loopback is expected rather than a public address")
	return cmd
}

func runWebhookTest(ctx context.Context, stdout io.Writer, rawURL string, o check.Options, jsonOut bool) error {
	var onResult func(check.Result)
	if !jsonOut {
		kinds := make([]string, len(o.Kinds))
		for i, k := range o.Kinds {
			kinds[i] = string(k)
		}
		fmt.Fprintf(stdout, "Testing %s\n  %s · auth %s · %s · timeout %v\n\n", check.DisplayURL(rawURL),
			o.Method, check.MaskAuth(o.Auth), strings.Join(kinds, ", "), o.Timeout)
		onResult = func(r check.Result) { printResult(stdout, r) }
	}
	rep, err := check.Run(ctx, rawURL, o, onResult)
	if err != nil {
		return webhookUsage("%v", err)
	}
	if jsonOut {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(stdout, "\n%d passed, %d %s, %d failed, %d skipped.\n", rep.Passed, rep.Warnings, plural(rep.Warnings, "warning"), rep.Failed, rep.Skipped)
	}
	if !rep.OK {
		return &exitError{code: 1, err: fmt.Errorf("%d %s failed: Telegent's calls to this URL would fail or be unsafe", rep.Failed, plural(rep.Failed, "check"))}
	}
	return nil
}

func printResult(w io.Writer, r check.Result) {
	line := r.Status.Mark() + " " + r.Name
	if r.Detail != "" {
		line += ": " + r.Detail
	}
	fmt.Fprintln(w, line)
	if r.Remedy != "" && (r.Status == check.StatusFail || r.Status == check.StatusWarn) {
		fmt.Fprintln(w, "    → "+r.Remedy)
	}
	if r.Status == check.StatusFail && r.HTTP != nil && r.HTTP.Body != "" {
		body, _, _ := strings.Cut(strings.TrimSpace(r.HTTP.Body), "\n")
		fmt.Fprintln(w, "    answer: "+truncate(body, 160))
	}
}

func newWebhookSendCmd(stdout io.Writer) *cobra.Command {
	var wf webhookFlags
	var kind, from, to, body, messageID, status string
	cmd := &cobra.Command{
		Use:   "send URL",
		Short: "Send one test inbound message or delivery report to a URL and show the answer",
		Long: `Send one event of the kind Telegent sends a message route, with the method
and authentication given, and print what was sent and the answer (status,
time, body), for developing the receiving end. Unset fields get test values;
the event carries "Test": true and, unless --message-id says otherwise, a
TMID-TEST-… ID. Redirects are shown, not followed. Exit status 0 for a 2xx
answer, 1 otherwise, 2 for bad usage.`,
		Example: `  telegent-onboard webhook send https://hooks.example.com/telegent \
    --kind inbound --body 'STOP' --auth basic:hooks:s3cret
  telegent-onboard webhook send http://127.0.0.1:8090/telegent/messages \
    --kind delivery-report --status Failed --method GET`,
		Args: exactlyOneURL,
		RunE: func(cmd *cobra.Command, args []string) error {
			o, err := wf.options(args[0])
			if err != nil {
				return err
			}
			ev, err := sendEvent(cmd, kind, from, to, body, messageID, status)
			if err != nil {
				return err
			}
			return runWebhookSend(cmdContext(cmd), stdout, args[0], ev, o)
		},
	}
	wf.register(cmd)
	fl := cmd.Flags()
	fl.StringVar(&kind, "kind", "", "the event: inbound or delivery-report (required)")
	fl.StringVar(&from, "from", "", "From, E.164 (default: "+check.DefaultPeer+" for inbound, "+check.DefaultNumber+" for a delivery report)")
	fl.StringVar(&to, "to", "", "To, E.164 (default: "+check.DefaultNumber+" for inbound, "+check.DefaultPeer+" for a delivery report)")
	fl.StringVar(&body, "body", "", "inbound only: the message text (default: a test sentence)")
	fl.StringVar(&messageID, "message-id", "", "the message ID (default: TMID-TEST- and random characters)")
	fl.StringVar(&status, "status", "", "delivery report only: Delivered, Failed, … (default Delivered)")
	return cmd
}

// sendEvent builds the event from send's flags, checking each.
func sendEvent(cmd *cobra.Command, kind, from, to, body, messageID, status string) (check.Event, error) {
	var ev check.Event
	switch strings.ToLower(kind) {
	case string(check.KindInbound):
		ev = check.NewEvent(check.KindInbound, time.Now())
		if cmd.Flags().Changed("status") {
			return ev, webhookUsage("--status goes with --kind delivery-report")
		}
	case string(check.KindDeliveryReport):
		ev = check.NewEvent(check.KindDeliveryReport, time.Now())
		if cmd.Flags().Changed("body") {
			return ev, webhookUsage("--body goes with --kind inbound")
		}
	case "":
		return ev, webhookUsage("--kind is required: inbound or delivery-report")
	default:
		return ev, webhookUsage("--kind %q: use inbound or delivery-report", truncate(kind, 40))
	}
	for name, v := range map[string]string{"--from": from, "--to": to} {
		if v == "" {
			continue
		}
		if err := validate.E164(v); err != nil {
			return ev, webhookUsage("%s %q %v", name, truncate(v, 40), err)
		}
	}
	if from != "" {
		ev.From = from
	}
	if to != "" {
		ev.To = to
		ev.Owner = to // inbound: the Telegent number that received it
	}
	if cmd.Flags().Changed("body") {
		if n := utf8.RuneCountInString(body); n > maxFlagBody || !utf8.ValidString(body) {
			return ev, webhookUsage("--body must be valid text of at most %d characters (ten SMS segments); got %d", maxFlagBody, n)
		}
		ev.Body = body
	}
	if messageID != "" {
		if len(messageID) > maxFlagID || strings.IndexFunc(messageID, func(r rune) bool {
			return !(r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("-_.:", r)))
		}) >= 0 {
			return ev, webhookUsage("--message-id must be at most %d letters, digits and - _ . :, like TMID-TEST-1", maxFlagID)
		}
		ev.MessageID = messageID
	}
	if status != "" {
		if len(status) > maxFlagStatus || strings.IndexFunc(status, func(r rune) bool {
			return !(r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == ' ' || r == '-' || r == '_'))
		}) >= 0 {
			return ev, webhookUsage("--status must be a word of at most %d letters, like Delivered or Failed", maxFlagStatus)
		}
		ev.Status = status
	}
	return ev, nil
}

func runWebhookSend(ctx context.Context, stdout io.Writer, rawURL string, ev check.Event, o check.Options) error {
	if err := check.ValidateURL(rawURL); err != nil {
		return webhookUsage("%v", err)
	}
	// What is sent goes out first, so a slow endpoint leaves it on screen
	// while the answer is awaited.
	fmt.Fprintf(stdout, "%s %s (auth %s)\n", o.Method, check.DisplayURL(rawURL), check.MaskAuth(o.Auth))
	if o.Method == http.MethodGet {
		fmt.Fprintf(stdout, "Sending %s %s as query parameters: %s\n", ev.Kind, ev.MessageID, check.Printable(ev.Query().Encode(), 4*maxFlagBody))
	} else {
		fmt.Fprintf(stdout, "Sending %s %s:\n%s\n", ev.Kind, ev.MessageID, check.Printable(string(ev.JSON()), 4*maxFlagBody))
	}
	ans, err := check.Send(ctx, rawURL, ev, o)
	if ans.StatusCode == 0 {
		if err == nil {
			err = errors.New("no answer")
		}
		return fmt.Errorf("no answer from the endpoint: %v", check.Printable(err.Error(), 300))
	}
	fmt.Fprintf(stdout, "\n← %s in %v", ans.Status, ans.Elapsed.Round(time.Millisecond))
	if ans.ContentType != "" {
		fmt.Fprintf(stdout, " (%s)", ans.ContentType)
	}
	fmt.Fprintln(stdout)
	if ans.Location != "" {
		fmt.Fprintf(stdout, "Location: %s (not followed: Telegent does not follow redirects)\n", ans.Location)
	}
	if len(ans.Body) > 0 {
		shown := check.Printable(string(ans.Body), shownAnswerBody)
		fmt.Fprintln(stdout, strings.TrimRight(shown, "\n"))
		if len(ans.Body) > shownAnswerBody || ans.Truncated {
			fmt.Fprintf(stdout, "(the answer is longer: %d bytes read, the first %d shown)\n", len(ans.Body), min(len(ans.Body), shownAnswerBody))
		}
	}
	switch {
	case err != nil:
		return fmt.Errorf("the answer broke off: %v", check.Printable(err.Error(), 300))
	case ans.StatusCode < 200 || ans.StatusCode > 299:
		return fmt.Errorf("the endpoint answered %s; Telegent needs 2xx", ans.Status)
	}
	return nil
}

// exactlyOneURL is cobra.ExactArgs(1) with the usage exit status.
func exactlyOneURL(cmd *cobra.Command, args []string) error {
	if len(args) != 1 {
		return webhookUsage("%s takes one URL, like https://hooks.example.com/telegent (got %d arguments)", cmd.CommandPath(), len(args))
	}
	return nil
}

// webhookUsage is a usage error: exit status 2.
func webhookUsage(format string, args ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, args...)}
}

func cmdContext(cmd *cobra.Command) context.Context {
	if ctx := cmd.Context(); ctx != nil {
		return ctx
	}
	return context.Background()
}

func truncate(s string, n int) string {
	return check.Printable(s, n)
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
