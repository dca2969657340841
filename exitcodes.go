package main

import (
	"errors"

	"github.com/telegent/telegent-onboard/wizard/accessible"
	"github.com/telegent/telegent-onboard/wizard/flow"
)

// Exit codes: decided here, and only here, from the typed errors the
// commands and the onboarding engine return. Scripts branch on them; they
// never change meaning (the README's table).
const (
	exitOK             = 0   // every step done (or skipped)
	exitFailure        = 1   // anything else: network, server error, an order not done in time, a failed order
	exitUsage          = 2   // bad flags or a bad answers file: nothing was sent
	exitAuth           = 3   // credentials or token refused (401/403)
	exitRateLimit      = 4   // 429 after the client's retries
	exitRefused        = 5   // the API refused a request (400, 404, 409 …): fix the answers and run again
	exitUnknownOutcome = 6   // a create's answer was lost and the look-up could not settle it
	exitInterrupted    = 130 // ctrl+c or SIGINT, after saving
	exitTerminated     = 143 // SIGTERM, after saving (128+signal: see interrupted in main.go)
)

// exitCodeTable is what each status means, as `help exit-codes` prints it
// and the README's table says it (a test holds the two together).
var exitCodeTable = []struct {
	code    int
	meaning string
}{
	{exitOK, "Every step done (or skipped)."},
	{exitFailure, "Anything else: network, server error, an order not done in time or failed."},
	{exitUsage, "Usage: bad flags, an unknown command or a bad answers file. Nothing was sent."},
	{exitAuth, "Authentication: credentials or token refused."},
	{exitRateLimit, "Rate limit: still 429 after the client's retries."},
	{exitRefused, "API refusal (400, 404, 409 …): the message names the step and the remedy."},
	{exitUnknownOutcome, "Unknown outcome: a create's answer was lost and the lookup could not settle it; the message says how to finish."},
	{exitInterrupted, "Interrupted by ctrl+c or SIGINT, after saving the session: run the same command to resume."},
	{exitTerminated, "Stopped by SIGTERM, after saving the session: run the same command to resume."},
}

// exitError carries a specific exit status up to main.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

var reasonCodes = map[flow.Reason]int{
	flow.ReasonFailure:     exitFailure,
	flow.ReasonUsage:       exitUsage,
	flow.ReasonAuth:        exitAuth,
	flow.ReasonRateLimit:   exitRateLimit,
	flow.ReasonRefused:     exitRefused,
	flow.ReasonUnknown:     exitUnknownOutcome,
	flow.ReasonInterrupted: exitInterrupted,
}

// exitCode is the process status for err.
func exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	if errors.Is(err, accessible.ErrInterrupted) || errors.Is(err, errInterrupted) {
		return exitInterrupted
	}
	if r, ok := flow.ReasonOf(err); ok {
		return reasonCodes[r]
	}
	return exitFailure
}

// errInterrupted ends a command the person stopped (ctrl+c in the wizard).
var errInterrupted = errors.New("interrupted")
