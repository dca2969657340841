package main

// The listen subcommand: a webhook receiver for message routes, like
// `stripe listen`.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/telegent/telegent-onboard/api/validate"
	"github.com/telegent/telegent-onboard/api/webhook"
	"github.com/telegent/telegent-onboard/wizard/listen"
)

func newListenCmd(stdout io.Writer, flags *rootFlags) *cobra.Command {
	var addr, path, authSpec string
	var jsonOut bool
	var keep, maxBody int
	cmd := &cobra.Command{
		Use:   "listen",
		Short: "Receive a message route's webhooks (inbound messages, delivery reports) and show them live",
		Long: `Serve the URL a message route calls: inbound messages (MessageUrl) and
delivery reports (CallbackMessageUrl), by POST or GET. Each call is checked
against --auth (a refused call is answered 401 and still shown), decoded
leniently with its raw body kept, and shown as it arrives: a live list in a
terminal, one JSON object per line with --json or when stdout is not a
terminal. Every call is answered at once.

It binds to loopback unless --addr names another address. Telegent calls
https URLs, so a receiver reachable from Telegent needs TLS in front of it
(a reverse proxy or a tunnel).`,
		Example: `  telegent-onboard listen
  telegent-onboard listen --auth basic:hooks:s3cret --json | jq .
  # behind a TLS proxy:
  telegent-onboard listen --addr 0.0.0.0:8090 --auth bearer:$TOKEN`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if keep < 1 {
				return &exitError{code: exitUsage, err: fmt.Errorf("--keep %d: want 1 or more events", keep)}
			}
			if maxBody < 0 || maxBody > webhook.MaxBody {
				return &exitError{code: exitUsage, err: fmt.Errorf("--max-body %d: want 0 to %d bytes", maxBody, webhook.MaxBody)}
			}
			return runListen(cmd, stdout, flags, addr, path, authSpec, jsonOut, webhook.WithKeep(keep), webhook.WithMaxKeptBody(maxBody))
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&addr, "addr", "127.0.0.1:8090", "address to listen on, HOST:PORT (port 0 picks a free one)")
	fl.StringVar(&path, "path", "/telegent/messages", "the URL path to answer on")
	fl.StringVar(&authSpec, "auth", "none", "authentication the route sends: none, basic:USER:PASS or bearer:TOKEN")
	fl.BoolVar(&jsonOut, "json", false, "print one JSON object per event on stdout instead of the live list")
	fl.IntVar(&keep, "keep", webhook.DefaultKeep, "hold the last N events (older ones are dropped), so memory stays bounded")
	fl.IntVar(&maxBody, "max-body", webhook.DefaultMaxKeptBody, "keep at most BYTES of each body (the cut is marked); refused calls keep none")
	flags.addDebugFlags(cmd, "trace each call received, credentials redacted, to stderr (the live list: to --debug-file)", true)
	return cmd
}

func runListen(cmd *cobra.Command, stdout io.Writer, flags *rootFlags, addr, path, authSpec string, jsonOut bool, limits ...webhook.Option) error {
	stderr := cmd.ErrOrStderr()
	auth, err := webhook.ParseAuth(authSpec)
	if err != nil {
		return &exitError{code: exitUsage, err: fmt.Errorf("--auth: %w", err)}
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" {
		return &exitError{code: exitUsage, err: fmt.Errorf("--addr %q: want HOST:PORT, e.g. 127.0.0.1:8090", addr)}
	}
	if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, "?# ") {
		return &exitError{code: exitUsage, err: fmt.Errorf("--path %q: want an absolute path such as /telegent/messages", path)}
	}
	if !validate.IsLoopbackHost(host) {
		shown := host
		if shown == "" {
			shown = "every interface"
		}
		fmt.Fprintf(stderr, "Warning: listening on %s, not loopback. Telegent calls https URLs only: put TLS in front of this receiver (a reverse proxy or a tunnel) and give Telegent that https URL.\n", shown)
	}
	run, err := webhook.Start(addr, path, auth, limits...)
	if err != nil {
		return err
	}
	defer run.Close()
	fmt.Fprintf(stderr, "Listening on %s\n", run.URL)
	fmt.Fprintf(stderr, "Set the route's MessageUrl and/or CallbackMessageUrl to this URL (behind https), method POST or GET, authentication %s.\n", auth.Describe())

	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	if jsonOut || !isTerminal(stdout) {
		if flags.debugWanted() {
			defer traceWebhooks(run.Receiver, stderr)()
		}
		return streamJSON(ctx, run.Receiver, stdout)
	}
	if flags.debugWanted() {
		// The live list owns the terminal: the trace goes to a file.
		f, tracePath, err := flags.debugFile("")
		if err != nil {
			return &exitError{code: exitUsage, err: err}
		}
		defer f.Close()
		defer fmt.Fprintf(stderr, "The trace of the calls received is in %s\n", tracePath)
		defer traceWebhooks(run.Receiver, f)()
	}
	m := listen.New(run.Receiver, run.URL)
	defer m.Close()
	_, err = tea.NewProgram(m, tea.WithContext(ctx), tea.WithOutput(os.Stderr)).Run()
	if err != nil && (errors.Is(err, tea.ErrProgramKilled) || errors.Is(err, context.Canceled)) && ctx.Err() != nil {
		return nil
	}
	return err
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

// eventLine is one event as a line of --json output.
type eventLine struct {
	Seq         int                 `json:"seq"`
	Time        string              `json:"time"`
	Kind        string              `json:"kind"`
	Method      string              `json:"method"`
	Path        string              `json:"path"`
	Query       string              `json:"query,omitempty"`
	RemoteAddr  string              `json:"remoteAddr"`
	Authorized  bool                `json:"authorized"`
	MessageID   string              `json:"messageId,omitempty"`
	From        string              `json:"from,omitempty"`
	To          string              `json:"to,omitempty"`
	Owner       string              `json:"owner,omitempty"`
	Body        string              `json:"body,omitempty"`
	Status      string              `json:"status,omitempty"`
	Type        string              `json:"type,omitempty"`
	Timestamp   string              `json:"timestamp,omitempty"`
	Segments    int                 `json:"segments,omitempty"`
	Headers     map[string][]string `json:"headers,omitempty"` // Authorization redacted
	Raw         string              `json:"raw"`
	RawBase64   []byte              `json:"rawBase64,omitempty"` // instead of raw when the body is not UTF-8
	Size        int                 `json:"size"`                // bytes received
	Truncated   bool                `json:"truncated,omitempty"` // raw (or a field) was cut at --max-body
	DecodeError string              `json:"decodeError,omitempty"`
}

func toLine(e webhook.Event) eventLine {
	l := eventLine{Seq: e.Seq, Time: e.Time.UTC().Format(time.RFC3339Nano), Kind: e.Kind, Method: e.Method,
		Path: e.Path, Query: e.Query, RemoteAddr: e.RemoteAddr, Authorized: e.Authorized, MessageID: e.MessageID,
		From: e.From, To: e.To, Owner: e.Owner, Body: e.Body, Status: e.Status, Type: e.Type, Timestamp: e.Timestamp,
		Segments: e.Segments, Headers: e.Header, DecodeError: e.DecodeError, Size: e.Size, Truncated: e.Truncated}
	if utf8.Valid(e.Raw) {
		l.Raw = string(e.Raw)
	} else {
		l.RawBase64 = e.Raw
	}
	return l
}

// streamJSON prints every event as a line until ctx ends.
func streamJSON(ctx context.Context, r *webhook.Receiver, stdout io.Writer) error {
	ch, cancel := r.Subscribe()
	defer cancel()
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	last := 0
	for _, e := range r.Events() { // what came before the subscription
		if err := enc.Encode(toLine(e)); err != nil {
			return err
		}
		last = e.Seq
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case e, ok := <-ch:
			if !ok {
				return nil
			}
			if e.Seq <= last {
				continue
			}
			if err := enc.Encode(toLine(e)); err != nil {
				return err
			}
		}
	}
}
