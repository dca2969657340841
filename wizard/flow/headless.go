package flow

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/telegent/telegent-onboard/api"
)

// Exit codes of a headless run (and of the command for any error). Scripts
// branch on them; they never change meaning.
const (
	ExitOK             = 0 // every step done (or skipped)
	ExitFailure        = 1 // anything else: network, server error, order not done in time, a failed order, interrupted
	ExitUsage          = 2 // bad flags or a bad answers file: nothing was sent
	ExitAuth           = 3 // credentials or token refused (401/403)
	ExitRateLimit      = 4 // 429 after the client's retries
	ExitRefused        = 5 // the API refused a request (400, 404, 409 …): fix the answers and run again
	ExitUnknownOutcome = 6 // a create's answer was lost and the lookup could not settle it; the message says how to finish
)

// RunError is a headless run stopped at a step.
type RunError struct {
	Step Step
	Err  error
	Code int    // one of the Exit constants
	Hint string // what to do, when the API error's Remedy does not say it
}

func (e *RunError) Error() string {
	var b strings.Builder
	b.WriteString(stepName(e.Step))
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	var ae *api.Error
	if e.Hint != "" {
		b.WriteString("\n  What to do: " + e.Hint)
	} else if errors.As(e.Err, &ae) && ae.Remedy != "" {
		b.WriteString("\n  What to do: " + ae.Remedy)
	}
	return b.String()
}

func (e *RunError) Unwrap() error { return e.Err }

// ExitCode is the process exit status for an error of a headless run: a
// *RunError's Code, ExitUsage for an *AnswersError, the API error's kind
// otherwise, ExitOK for nil.
func ExitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var re *RunError
	if errors.As(err, &re) && re.Code != 0 {
		return re.Code
	}
	var ae *AnswersError
	if errors.As(err, &ae) {
		return ExitUsage
	}
	return codeFor(err)
}

// codeFor sorts an API error by what the user does next.
func codeFor(err error) int {
	var e *api.Error
	if !errors.As(err, &e) {
		return ExitFailure
	}
	switch e.Kind {
	case api.KindAuth, api.KindScope:
		return ExitAuth
	case api.KindRateLimit:
		return ExitRateLimit
	case api.KindOutcomeUnknown:
		return ExitUnknownOutcome
	case api.KindBadRequest, api.KindNotFound, api.KindConflict, api.KindNoMessageRoute,
		api.KindNumberClaimed, api.KindEmailTaken, api.KindAccountID, api.KindRefused:
		return ExitRefused
	}
	return ExitFailure
}

// stepName is how progress lines and errors name a step.
func stepName(s Step) string {
	switch s {
	case TestMessage:
		return "test SMS"
	}
	if s >= 0 && s < NumSteps {
		return strings.ToLower(s.Title())
	}
	return "step " + strconv.Itoa(int(s))
}

// Headless runs every step without a user interface, saving the session to
// StatePath before each request and after each answer, so that a run killed
// at any moment resumes without losing or repeating anything.
type Headless struct {
	Client    *api.Client
	Session   *Session
	StatePath string
	Progress  io.Writer        // one line per step; nil discards
	Now       func() time.Time // nil: time.Now
	// OrderPollInterval and OrderTimeout bound following a pending order
	// (defaults 2s and 5 minutes).
	OrderPollInterval, OrderTimeout time.Duration

	orderLine *[2]string // provision's progress line, printed with the order's status
}

func (h *Headless) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

func (h *Headless) save() error {
	if h.StatePath == "" {
		return nil
	}
	if err := h.Session.Save(h.StatePath, h.now()); err != nil {
		return &RunError{Step: h.Session.FirstOpen(), Err: err, Code: ExitFailure,
			Hint: "the session file could not be written, so nothing more is sent; fix the path (--state) and run again"}
	}
	return nil
}

func (h *Headless) line(mark string, step Step, detail string) {
	if step == Provision && h.orderLine == nil {
		// Provision's line waits for the order's outcome: one line a step.
		h.orderLine = &[2]string{mark, detail}
		return
	}
	if h.Progress != nil {
		fmt.Fprintf(h.Progress, "%s %-14s %s\n", mark, stepName(step), detail)
	}
}

// Run authenticates and carries out every step of a in order. Steps done
// (or skipped) in an earlier run are kept; a step left in flight or with an
// unknown outcome is looked up first and adopted when found. Errors are
// *RunError (see ExitCode).
func (h *Headless) Run(ctx context.Context, a *Answers) error {
	s := h.Session
	if err := h.Client.Authenticate(ctx); err != nil {
		s.RecordCredentials(s.AccountID, err, h.now())
		_ = h.save()
		return &RunError{Step: Credentials, Err: err, Code: codeFor(err)}
	}
	s.RecordCredentials(s.AccountID, nil, h.now())
	if err := h.save(); err != nil {
		return err
	}
	h.line("✓", Credentials, "AccountId "+s.AccountID)

	steps := []func(context.Context, *Answers) error{h.messageRoute, h.voiceRoute, h.availability, h.subscriber, h.provision, h.message}
	for _, run := range steps {
		if err := run(ctx, a); err != nil {
			return err
		}
	}
	return nil
}

// create runs one create with the state file written around it: in flight
// before the request, the outcome after. A lost answer is looked up at
// once and adopted when found.
func (h *Headless) create(ctx context.Context, step Step, call func() error) error {
	s := h.Session
	s.MarkInFlight(step, h.now())
	if err := h.save(); err != nil {
		return err
	}
	callErr := call()
	if err := h.save(); err != nil {
		return err
	}
	if callErr == nil {
		h.line("✓", step, s.ID(step))
		return nil
	}
	if !errors.Is(callErr, api.ErrOutcomeUnknown) {
		return &RunError{Step: step, Err: callErr, Code: codeFor(callErr)}
	}
	if step == Subscriber {
		return &RunError{Step: step, Err: callErr, Code: ExitUnknownOutcome} // subscriber() settles it
	}
	adopted, err := Reconcile(ctx, h.Client, s, step, h.now())
	if err != nil {
		return &RunError{Step: step, Err: fmt.Errorf("%w; looking it up failed too: %v", callErr, err), Code: ExitUnknownOutcome,
			Hint: "run the same command again: it looks the resource up before creating anything"}
	}
	if !adopted {
		return &RunError{Step: step, Err: callErr, Code: ExitUnknownOutcome,
			Hint: "the answer was lost and the resource is not listed yet; run the same command again: it looks it up first and creates it only if it is still missing"}
	}
	if err := h.save(); err != nil {
		return err
	}
	h.line("↻", step, s.ID(step)+" adopted after a lost answer")
	return nil
}

// resume settles a step an earlier run left open. done reports that the
// step needs nothing more.
func (h *Headless) resume(ctx context.Context, step Step) (done bool, err error) {
	s := h.Session
	switch s.Status(step) {
	case Done:
		h.line("✓", step, s.ID(step)+" (earlier run)")
		return true, nil
	case Skipped:
		return false, nil
	case InFlight, Unknown:
	default:
		return false, nil
	}
	adopted, err := Reconcile(ctx, h.Client, s, step, h.now())
	switch {
	case errors.Is(err, ErrSubscriberUnknown), errors.Is(err, ErrNothingToMatch):
		return false, nil // the caller creates again; a 409 tells
	case err != nil:
		return false, &RunError{Step: step, Err: fmt.Errorf("an earlier run's request may have created it, and looking it up failed: %w", err),
			Code: ExitUnknownOutcome, Hint: "run the same command again once the API answers: nothing is created until the lookup settles it"}
	case adopted:
		if err := h.save(); err != nil {
			return false, err
		}
		h.line("↻", step, s.ID(step)+" adopted from an earlier run")
		return true, nil
	}
	return false, nil
}

func (h *Headless) messageRoute(ctx context.Context, a *Answers) error {
	s := h.Session
	if done, err := h.resume(ctx, MessageRoute); done || err != nil {
		return err
	}
	req := s.MessageRouteRequest(*a.MessageRoute)
	s.Inputs.MessageRoute = &req
	return h.create(ctx, MessageRoute, func() error {
		resp, err := h.Client.CreateMessageRoute(ctx, req)
		s.RecordMessageRoute(req, resp, err, h.now())
		return err
	})
}

func (h *Headless) voiceRoute(ctx context.Context, a *Answers) error {
	s := h.Session
	if a.VoiceRoute == nil {
		// Settle an earlier attempt first, so its CRID is not forgotten.
		if s.NeedsReconcile(VoiceRoute) {
			if _, err := h.resume(ctx, VoiceRoute); err != nil {
				return err
			}
		}
		if s.Status(VoiceRoute) != Skipped {
			s.SkipVoiceRoute(h.now())
			if err := h.save(); err != nil {
				return err
			}
		}
		h.line("–", VoiceRoute, "skipped")
		return nil
	}
	if done, err := h.resume(ctx, VoiceRoute); done || err != nil {
		return err
	}
	req := s.VoiceRouteRequest(*a.VoiceRoute)
	s.Inputs.VoiceRoute = &req
	return h.create(ctx, VoiceRoute, func() error {
		resp, err := h.Client.CreateVoiceRoute(ctx, req)
		s.RecordVoiceRoute(req, resp, err, h.now())
		return err
	})
}

func (h *Headless) availability(ctx context.Context, a *Answers) error {
	s := h.Session
	if s.Status(Availability) == Done {
		h.line("✓", Availability, s.ID(Availability)+" (earlier run)")
		return nil
	}
	req := *a.Availability
	resp, err := h.Client.SearchAvailability(ctx, req)
	s.RecordAvailability(req, resp, err, h.now())
	if err != nil {
		_ = h.save()
		return &RunError{Step: Availability, Err: err, Code: codeFor(err)}
	}
	p := a.Provision
	switch {
	case len(s.Areas) > 0:
		s.PickArea(s.Areas[0], h.now())
	case p != nil && (p.AreaCode != "" || p.ZipCode != ""):
		s.mark(Availability, Done, nil, h.now()) // provisioning names its own area
	default:
		_ = h.save()
		return &RunError{Step: Availability, Err: fmt.Errorf("no numbers are available for area code %q, zip %q", req.AreaCode, req.ZipCode),
			Code: ExitRefused, Hint: "search another area (Availability.AreaCode or ZipCode), or leave both blank for any"}
	}
	if err := h.save(); err != nil {
		return err
	}
	detail := fmt.Sprintf("%d available", s.IDs.ResultsTotal)
	if s.IDs.PickedArea != nil {
		detail = s.ID(Availability) + " · " + detail
	}
	h.line("✓", Availability, detail)
	return nil
}

func (h *Headless) subscriber(ctx context.Context, a *Answers) error {
	s := h.Session
	if id := a.Subscriber.SubscriberId; id != "" && !(s.Status(Subscriber) == Done && s.IDs.SubscriberID == id) {
		req := s.SubscriberRequest(a.Subscriber.SubscriberRequest)
		req.Password = ""
		s.Inputs.Subscriber = &req
		if err := AdoptSubscriber(ctx, h.Client, s, id, h.now()); err != nil {
			return &RunError{Step: Subscriber, Err: fmt.Errorf("Subscriber.SubscriberId %s: %w", id, err), Code: codeFor(err)}
		}
		if err := h.save(); err != nil {
			return err
		}
		h.line("↻", Subscriber, id+" adopted (Subscriber.SubscriberId)")
		return nil
	}
	wasOpen := s.NeedsReconcile(Subscriber)
	if done, err := h.resume(ctx, Subscriber); done || err != nil {
		return err
	}
	req := s.SubscriberRequest(a.Subscriber.SubscriberRequest)
	s.Inputs.Subscriber = &req
	create := func() error {
		return h.create(ctx, Subscriber, func() error {
			resp, err := h.Client.CreateSubscriber(ctx, req)
			s.RecordSubscriber(req, resp, err, h.now())
			return err
		})
	}
	err := create()
	if errors.Is(err, api.ErrOutcomeUnknown) && ctx.Err() != nil {
		// Interrupted: keep the unknown outcome for the next run to settle,
		// rather than overwrite it with a resend that cannot go out.
		return err
	}
	if errors.Is(err, api.ErrOutcomeUnknown) {
		// No lookup by email: send it again; a 409 says the first went through.
		wasOpen = true
		if err = create(); errors.Is(err, api.ErrOutcomeUnknown) {
			return h.subscriberUnknown(err)
		}
	}
	var ae *api.Error
	if wasOpen && errors.As(err, &ae) && ae.Kind == api.KindEmailTaken {
		// The earlier attempt went through: its answer is what was lost.
		s.mark(Subscriber, Unknown, err, h.now())
		if serr := h.save(); serr != nil {
			return serr
		}
		return h.subscriberUnknown(err)
	}
	return err
}

// subscriberUnknown stops a run whose subscriber may exist: only its ID
// would tell, and only the user can get it.
func (h *Headless) subscriberUnknown(cause error) error {
	email := ""
	if in := h.Session.Inputs.Subscriber; in != nil {
		email = in.Email
	}
	return &RunError{Step: Subscriber, Code: ExitUnknownOutcome,
		Err: fmt.Errorf("an earlier attempt to create the subscriber %s probably succeeded, but its answer was lost (%v)", email, cause),
		Hint: "the API cannot look a subscriber up by email: find its SubscriberId (TSUID-…) in the Telegent portal, " +
			"put it in the answers file as Subscriber.SubscriberId, and run the same command again; " +
			"or use another Subscriber.Email to create a new subscriber"}
}

func (h *Headless) provision(ctx context.Context, a *Answers) error {
	s := h.Session
	done, err := h.resume(ctx, Provision)
	if err != nil {
		return err
	}
	if !done {
		req := s.ProvisionRequest(*a.Provision)
		s.Inputs.Provision = &req
		if err := h.create(ctx, Provision, func() error {
			resp, err := h.Client.ProvisionNumber(ctx, req)
			s.RecordProvision(req, resp, err, h.now())
			return err
		}); err != nil {
			return err
		}
	}
	return h.followOrder(ctx)
}

// followOrder polls a pending order until it completes, fails or times out.
func (h *Headless) followOrder(ctx context.Context) error {
	s := h.Session
	interval, timeout := h.OrderPollInterval, h.OrderTimeout
	if interval <= 0 {
		interval = 2 * time.Second
	}
	if timeout <= 0 {
		timeout = 5 * time.Minute
	}
	deadline := time.Now().Add(timeout)
	for s.OrderPhase() == api.OrderInProgress {
		if s.IDs.OrderID == "" {
			break
		}
		if time.Now().After(deadline) {
			return &RunError{Step: Provision, Code: ExitFailure,
				Err:  fmt.Errorf("order %s is still %s after %v", s.IDs.OrderID, s.IDs.OrderStatus, timeout),
				Hint: "the number is bought and saved in the session; run the same command again later to follow the order and send the test SMS"}
		}
		t := time.NewTimer(interval)
		select {
		case <-ctx.Done():
			t.Stop()
			return &RunError{Step: Provision, Err: ctx.Err(), Code: ExitFailure}
		case <-t.C:
		}
		o, err := h.Client.GetOrder(ctx, s.IDs.OrderID)
		s.RecordOrder(o, err, h.now())
		if err != nil {
			_ = h.save()
			return &RunError{Step: Provision, Err: err, Code: codeFor(err)}
		}
		if err := h.save(); err != nil {
			return err
		}
	}
	if s.OrderPhase() == api.OrderFailed {
		return &RunError{Step: Provision, Code: ExitRefused,
			Err:  fmt.Errorf("order %s ended %s: %s", s.IDs.OrderID, s.IDs.OrderStatus, s.Steps[Provision].Error),
			Hint: "the number " + s.IDs.PhoneNumber + " was not activated; contact your Telegent representative with the OrderId"}
	}
	mark, detail := "✓", s.ID(Provision)
	if l := h.orderLine; l != nil {
		mark, detail = l[0], l[1]
	}
	h.orderLine = &[2]string{} // print, not defer
	h.line(mark, Provision, fmt.Sprintf("%s · %s · order %s %s", detail, s.IDs.PhoneNumberID, s.IDs.OrderID, s.IDs.OrderStatus))
	return nil
}

func (h *Headless) message(ctx context.Context, a *Answers) error {
	s := h.Session
	if done, err := h.resume(ctx, TestMessage); done || err != nil {
		return err
	}
	req := s.MessageRequest(*a.Message)
	s.Inputs.Message = &req
	return h.create(ctx, TestMessage, func() error {
		resp, err := h.Client.SendMessage(ctx, req)
		s.RecordMessage(req, resp, err, h.now())
		return err
	})
}

// RunSummary is what a headless run reports with --json: every ID under
// the API's own names, each step's status, and no secret.
type RunSummary struct {
	BaseURL        string            `json:"BaseURL"`
	AccountId      string            `json:"AccountId"`
	MessageRouteId string            `json:"MessageRouteId"`
	VoiceRouteId   string            `json:"VoiceRouteId"`
	AreaCode       string            `json:"AreaCode,omitempty"`
	ZipCode        string            `json:"ZipCode,omitempty"`
	SubscriberId   string            `json:"SubscriberId"`
	PhoneNumber    string            `json:"PhoneNumber"`
	PhoneNumberId  string            `json:"PhoneNumberId"`
	OrderId        string            `json:"OrderId"`
	OrderStatus    string            `json:"OrderStatus"`
	QRCode         string            `json:"QRCode,omitempty"`
	ActivationCode string            `json:"ActivationCode,omitempty"`
	MessageId      string            `json:"MessageId"`
	Recipients     []api.Recipient   `json:"Recipients"`
	Steps          map[string]Status `json:"Steps"`
}

// stepKeys name the steps in a summary, as an answers file does.
var stepKeys = [NumSteps]string{"Credentials", "MessageRoute", "VoiceRoute", "Availability", "Subscriber", "Provision", "Message"}

// Summary is the session's IDs and statuses for --json.
func Summary(s *Session) RunSummary {
	out := RunSummary{
		BaseURL: s.BaseURL, AccountId: s.AccountID,
		MessageRouteId: s.IDs.MessageRouteID, VoiceRouteId: s.IDs.VoiceRouteID,
		SubscriberId: s.IDs.SubscriberID, PhoneNumber: s.IDs.PhoneNumber, PhoneNumberId: s.IDs.PhoneNumberID,
		OrderId: s.IDs.OrderID, OrderStatus: s.IDs.OrderStatus, QRCode: s.IDs.QRCode,
		ActivationCode: api.ActivationCode(s.IDs.QRCode), MessageId: s.IDs.MessageID,
		Recipients: append([]api.Recipient{}, s.IDs.Recipients...), Steps: map[string]Status{},
	}
	if a := s.IDs.PickedArea; a != nil {
		out.AreaCode, out.ZipCode = strconv.Itoa(int(a.AreaCode)), string(a.Zipcode)
	}
	for i, k := range stepKeys {
		out.Steps[k] = s.Steps[i].Status
	}
	return out
}
