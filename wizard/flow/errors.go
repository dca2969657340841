package flow

import (
	"errors"
	"slices"
	"strings"

	"github.com/telegent/telegent-onboard/api"
)

// Reason sorts a stopped step by what happens next. The command decides
// the exit status from it (main's exit code table); the wizard decides
// which choices its error panel offers.
type Reason int

const (
	ReasonFailure     Reason = iota // network, server, an order that did not complete in time
	ReasonUsage                     // bad input: nothing was sent
	ReasonAuth                      // credentials or token refused
	ReasonRateLimit                 // 429 after the client's retries
	ReasonRefused                   // the API refused the request: fix the input
	ReasonUnknown                   // a create's outcome could not be settled
	ReasonInterrupted               // ctrl+c or a signal
)

// StepError is a step that stopped, with what to do about it.
type StepError struct {
	Step   Step
	Reason Reason
	Err    error
	// Hint is what to do, when the API error's Remedy does not say it (or
	// says it for another case).
	Hint string
	// Field is the field the error names, for a form to focus.
	Field string
	// SearchAgain: the quickest way on is a new availability search (the
	// area is sold out, or the number was claimed).
	SearchAgain bool
	retry       *Call
}

func (e *StepError) Error() string {
	var b strings.Builder
	b.WriteString(stepName(e.Step))
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	if r := e.Remedy(); r != "" {
		b.WriteString("\n  What to do: " + r)
	}
	return b.String()
}

func (e *StepError) Unwrap() error { return e.Err }

// Remedy is what a customer does about it.
func (e *StepError) Remedy() string {
	if e.Hint != "" {
		return e.Hint
	}
	var ae *api.Error
	if errors.As(e.Err, &ae) {
		return ae.Remedy
	}
	return ""
}

// CanRetry reports whether the failed call can simply be made again.
func (e *StepError) CanRetry() bool { return e.retry != nil }

// stepName is how progress lines and errors name a step.
func stepName(s Step) string {
	switch s {
	case TestMessage:
		return "test SMS"
	}
	if s >= 0 && s < NumSteps {
		return strings.ToLower(s.Title())
	}
	return "step " + itoa(int(s))
}

// StepName is how progress lines name a step.
func StepName(s Step) string { return stepName(s) }

// reasonOf sorts an API error.
func reasonOf(err error) Reason {
	if isCanceled(err) && !errors.Is(err, api.ErrOutcomeUnknown) {
		return ReasonInterrupted
	}
	var e *api.Error
	if !errors.As(err, &e) {
		return ReasonFailure
	}
	switch e.Kind {
	case api.KindAuth, api.KindScope:
		return ReasonAuth
	case api.KindRateLimit:
		return ReasonRateLimit
	case api.KindOutcomeUnknown:
		return ReasonUnknown
	case api.KindBadRequest, api.KindNotFound, api.KindConflict, api.KindNoMessageRoute,
		api.KindNumberClaimed, api.KindEmailTaken, api.KindAccountID, api.KindRefused:
		return ReasonRefused
	}
	if e.Status == 413 || e.Status == 422 || e.Status == 405 {
		return ReasonRefused
	}
	return ReasonFailure
}

func (e *Engine) fail(step Step, reason Reason, err error, hint string, retry *Call) Next {
	se := &StepError{Step: step, Reason: reason, Err: err, Hint: hint, retry: retry}
	se.Field = fieldIn(step, err)
	return Next{Kind: Fail, Step: step, Err: se, Save: true}
}

// refused is a call the API answered with an error: the remedy for the
// case, and the field it names.
func (e *Engine) refused(step Step, err error, retry *Call) Next {
	n := e.fail(step, reasonOf(err), err, "", retry)
	var ae *api.Error
	if step == Provision && errors.As(err, &ae) &&
		(ae.Kind == api.KindNumberClaimed || ae.Kind == api.KindNotFound && strings.Contains(strings.ToLower(ae.Message), "available")) {
		// Sold out, or claimed by someone else: not an ID to check.
		n.Err.Hint = api.RemedyNumberClaimed
		if ae.Kind == api.KindNotFound {
			n.Err.Hint = "No number is left where you picked, or it was claimed by another user: check availability again and select a different area."
		}
		n.Err.SearchAgain = true
	}
	return n
}

// fieldIn is the first of step's field names that err's message mentions.
func fieldIn(step Step, err error) string {
	if err == nil {
		return ""
	}
	msg := err.Error()
	var ae *api.Error
	if errors.As(err, &ae) {
		msg = ae.Message
	}
	var names []string
	for name := range rules[step] {
		names = append(names, name)
	}
	// Longer names first: CallbackMessageUrl before MessageUrl.
	slices.SortFunc(names, func(a, b string) int { return len(b) - len(a) })
	for _, n := range names {
		if strings.Contains(msg, n) {
			return n
		}
	}
	return ""
}
