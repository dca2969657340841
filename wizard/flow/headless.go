package flow

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/telegent/telegent-onboard/api"
	"github.com/telegent/telegent-onboard/api/webhook/check"
)

// Headless drives the engine from an answers file, without a user
// interface: it saves, calls, and answers the engine's questions by a fixed
// policy (answer, below). The session file is written at every change of
// state the engine reports, so a run killed at any moment resumes without
// losing or repeating anything.
type Headless struct {
	// Client is the API client; NewClient, when set, makes it from the
	// credentials instead.
	Client      *api.Client
	NewClient   func(api.Credentials) (*api.Client, error)
	Credentials api.Credentials
	Session     *Session
	StatePath   string
	Progress    io.Writer // one line per step; nil discards
	Now         func() time.Time
	Order       OrderSchedule
	// Sandbox: a sandbox that lives only as long as this run; a session
	// file for another sandbox is set aside instead of refused.
	Sandbox bool
	// Warn, when set, receives what is worth knowing but stops nothing.
	Warn io.Writer
	// CheckWebhooks proves the route's webhooks before the route is
	// created (also asked for by the answers file); a failed check stops
	// the run before anything is created. WebhookOptions adjust the
	// checks (tests inject their certificate authority and resolver).
	CheckWebhooks  bool
	WebhookOptions func(*check.Options)
}

func (h *Headless) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

func (h *Headless) line(mark string, step Step, detail string) {
	if h.Progress != nil {
		fmt.Fprintf(h.Progress, "%s %-14s %s\n", mark, stepName(step), detail)
	}
}

func (h *Headless) save(e *Engine, backup, durable bool) error {
	if h.StatePath == "" {
		return nil
	}
	if backup {
		if old, err := Backup(h.StatePath, h.now()); err == nil && h.Warn != nil {
			fmt.Fprintf(h.Warn, "The earlier session is kept as %s; starting over.\n", old)
		}
	}
	if err := e.Session.SaveAs(h.StatePath, h.now(), durable); err != nil {
		return &StepError{Step: e.Session.FirstOpen(), Reason: ReasonFailure, Err: err,
			Hint: "the session file could not be written, so nothing more is sent; fix the path (--state) and run again"}
	}
	return nil
}

// Run authenticates and carries out every step of a in order. Steps done
// (or skipped) in an earlier run are kept once checked; a step left in
// flight or with an unknown outcome is looked up first and adopted when
// found. Errors are *StepError or *AnswersError.
func (h *Headless) Run(ctx context.Context, a *Answers) error {
	s := h.Session
	e := &Engine{Session: s, Client: h.Client, NewClient: h.NewClient, Now: h.Now, Order: h.Order, Sandbox: h.Sandbox}
	if e.NewClient == nil {
		e.NewClient = func(api.Credentials) (*api.Client, error) { return h.Client, nil }
	}
	creds := CredentialsInput{AccountKey: h.Credentials.AccountKey, AccountSecret: h.Credentials.AccountSecret, AccountId: s.AccountID}
	if creds.AccountKey == "" && h.NewClient == nil && h.Client != nil {
		// A ready client holds the credentials itself.
		creds.AccountKey, creds.AccountSecret = "(client)", "(client)"
	}
	step := Credentials
	n := e.Submit(Credentials, creds)
	for {
		if n.Save {
			if err := h.save(e, n.BackupFirst, n.Durable()); err != nil {
				return err
			}
		}
		if ctx.Err() != nil && n.Kind != Fail {
			// Interrupted: what is saved stands; the next run settles it.
			return &StepError{Step: n.Step, Reason: ReasonInterrupted, Err: ctx.Err(),
				Hint: "interrupted; the session is saved: run the same command again to resume"}
		}
		switch n.Kind {
		case Send, Wait:
			if n.Kind == Wait && n.Delay > 0 {
				t := time.NewTimer(n.Delay)
				select {
				case <-ctx.Done():
					t.Stop()
					return &StepError{Step: n.Step, Reason: ReasonInterrupted, Err: ctx.Err()}
				case <-t.C:
				}
			}
			n = e.Settle(n.Call.Run(ctx, e.Client))
		case Open:
			h.line("✓", Credentials, "AccountId "+s.AccountID)
			loaded, err := (*Session)(nil), ErrNoSession
			if h.StatePath != "" {
				loaded, err = LoadSession(h.StatePath)
			}
			n = e.Open(h.StatePath, loaded, err)
			if n.Note != "" && h.Warn != nil {
				fmt.Fprintln(h.Warn, "Note: "+n.Note+".")
				n.Note = ""
			}
		case Ask:
			n = h.answer(e, a, n.Question)
		case Pick:
			switch p := a.Provision; {
			case len(s.Areas) > 0:
				n = e.PickArea(s.Areas[0])
				n.Note = fmt.Sprintf("%s · %s available", s.ID(Availability), plural(s.IDs.ResultsTotal, "number"))
			case p != nil && (p.AreaCode != "" || p.ZipCode != ""):
				n = e.KeepOwnArea()
				n.Note = fmt.Sprintf("%s available; provisioning names its own area", plural(s.IDs.ResultsTotal, "number"))
			default:
				q := s.Inputs.Availability
				return &StepError{Step: Availability, Reason: ReasonRefused,
					Err:  fmt.Errorf("no numbers are available for area code %q, zip %q", q.AreaCode, q.ZipCode),
					Hint: "search another area (Availability.AreaCode or ZipCode), or leave both blank for any"}
			}
		case Input:
			if n.Err != nil {
				return n.Err // refused before sending: the answers file is at fault
			}
			step = n.Step
			n = h.submit(ctx, e, a, step, n.Note)
		case Advance:
			if n.Step >= Credentials && n.Step < NumSteps && n.Step != Credentials {
				h.progress(s, n)
			}
			step = n.Step + 1
			if n.Step == Credentials && n.Note == "resumed" {
				step = MessageRoute
			}
			if step >= NumSteps {
				return nil
			}
			n = e.Enter(step)
		case Back:
			return &StepError{Step: n.Step, Reason: ReasonUnknown, Err: errors.New("stopped: the step needs a person's decision"),
				Hint: "run the wizard (without --non-interactive) to decide"}
		case Fail:
			if n.Err.Reason == ReasonInterrupted {
				n.Err.Hint = "interrupted; the session is saved: run the same command again to resume"
			}
			return n.Err
		case Quit:
			return &StepError{Step: n.Step, Reason: ReasonInterrupted, Err: context.Canceled}
		}
	}
}

// submit gives the engine the answers file's input for step.
func (h *Headless) submit(ctx context.Context, e *Engine, a *Answers, step Step, note string) Next {
	s := e.Session
	switch step {
	case VoiceRoute:
		if a.VoiceRoute == nil {
			return e.Skip(VoiceRoute)
		}
	case Availability:
		if s.Status(Availability) == Done {
			// A search creates nothing: an earlier run's pick stands.
			return Next{Kind: Advance, Step: Availability, Note: "(earlier run)"}
		}
	case Subscriber:
		if id := a.Subscriber.SubscriberId; id != "" && !(s.Status(Subscriber) == Done && s.IDs.SubscriberID == id) {
			req := s.SubscriberRequest(a.Subscriber.SubscriberRequest)
			req.Password = ""
			s.Inputs.Subscriber = &req
			return e.AdoptSubscriber(id)
		}
	}
	_, input := a.request(answerSteps[step-1])
	if step == MessageRoute && (h.CheckWebhooks || a.CheckWebhooks) {
		h.checkWebhooks(ctx, e, input.(api.MessageRouteRequest))
	}
	return e.Submit(step, input)
}

// checkWebhooks runs the checklist on the route's URLs, a line a check.
func (h *Headless) checkWebhooks(ctx context.Context, e *Engine, req api.MessageRouteRequest) {
	targets := WebhookTargets(req, h.Sandbox)
	reports := make([]check.Report, len(targets))
	for i, t := range targets {
		if h.WebhookOptions != nil {
			h.WebhookOptions(&t.Opts)
			targets[i] = t
		}
		reports[i], _ = check.Run(ctx, t.URL, t.Opts, func(r check.Result) {
			if h.Progress == nil {
				return
			}
			fmt.Fprintf(h.Progress, "  %s %s: %s", r.Status.Mark(), t.Label, r.Name)
			if r.Detail != "" {
				fmt.Fprintf(h.Progress, " (%s)", r.Detail)
			}
			fmt.Fprintln(h.Progress)
			if r.Remedy != "" && (r.Status == check.StatusFail || r.Status == check.StatusWarn) {
				fmt.Fprintf(h.Progress, "      %s\n", r.Remedy)
			}
		})
	}
	e.NoteWebhookCheck(req, targets, reports)
}

// answer is a headless run's policy for the engine's questions: resume
// what was started, look up before sending again, keep what exists, buy
// (the answers file is the consent), and stop where only a person can
// decide.
func (h *Headless) answer(e *Engine, a *Answers, q *Question) Next {
	s := e.Session
	switch q.ID {
	case QResume:
		if h.Warn != nil {
			fmt.Fprintf(h.Warn, "Resuming the session in %s\n", h.StatePath)
		}
		// As the wizard does: the steps done stand (what cleanup removed
		// is open again), and the run goes on at the first open one.
		n := e.Answer(q, ChoiceResume)
		for step := MessageRoute; step < s.FirstOpen(); step++ {
			h.progress(s, Next{Step: step, Note: "(earlier run)"})
		}
		return n
	case QUnknownOutcome:
		return e.Answer(q, ChoiceLookup)
	case QCreateAnyway:
		return Next{Kind: Fail, Step: q.Step, Err: &StepError{Step: q.Step, Reason: ReasonRefused,
			Err: fmt.Errorf("the route's webhook failed %s (%s); nothing was created",
				plural(len(e.webhook.failed), "check"), strings.Join(e.webhook.failed, "; ")),
			Hint: "fix the route's MessageUrl, CallbackMessageUrl or their authentication (the lines above say what failed), then run again; `telegent-onboard webhook test URL` repeats the checks"}}
	case QWhichRoute:
		return Next{Kind: Fail, Step: q.Step, Err: &StepError{Step: q.Step, Reason: ReasonUnknown,
			Err:  fmt.Errorf("the answer to the %s request was lost, and several routes could be the one it made", stepName(q.Step)),
			Hint: "another run with the same answers may be running; run the wizard to choose the route this session created, or run the same command again once the others are done"}}
	case QNotFoundYet:
		return Next{Kind: Fail, Step: q.Step, Err: &StepError{Step: q.Step, Reason: ReasonUnknown,
			Err:  fmt.Errorf("the answer to the %s request was lost, and the look-up does not find it yet", stepName(q.Step)),
			Hint: "run the same command again: it looks the resource up first and creates it only if it is still missing"}}
	case QSecondResource:
		h.line("!", q.Step, "the answers differ from what an earlier run created; keeping "+s.ID(q.Step)+" (use another --state to create a new one)")
		return e.Answer(q, ChoiceKeep)
	case QBuy:
		return e.Answer(q, ChoiceBuy)
	case QSubscriberLost, QSubscriberTaken:
		if id := a.Subscriber.SubscriberId; id != "" {
			return e.AdoptSubscriber(id)
		}
		if q.ID == QSubscriberLost && !e.resent {
			return e.Answer(q, ChoiceSend) // a 409 on it proves the first went through
		}
		email := ""
		if in := s.Inputs.Subscriber; in != nil {
			email = in.Email
		}
		return Next{Kind: Fail, Step: Subscriber, Save: true, Err: &StepError{Step: Subscriber, Reason: ReasonUnknown,
			Err:  fmt.Errorf("an earlier attempt to create the subscriber %s probably succeeded, but its answer was lost", email),
			Hint: subscriberHint}}
	}
	return e.Answer(q, q.Choices[q.Default].Value)
}

// progress prints a finished step's line.
func (h *Headless) progress(s *Session, n Next) {
	step := n.Step
	mark, detail := "✓", s.ID(step)
	switch {
	case s.Status(step) == Skipped:
		mark, detail = "–", "skipped"
		if step == Subscriber {
			detail = "skipped: no subscriber is assigned"
		}
	case step == Provision:
		detail = fmt.Sprintf("%s · %s · order %s %s", s.IDs.PhoneNumber, s.IDs.PhoneNumberID, s.IDs.OrderID, s.IDs.OrderStatus)
	case step == Availability && n.Note != "" && n.Note != "(earlier run)":
		detail = n.Note
	}
	switch {
	case n.Note == "adopted after a lost answer" || n.Note == "adopted from an earlier run" || len(n.Note) > 8 && n.Note[len(n.Note)-8:] == " adopted":
		mark = "↻"
		detail += " " + n.Note
	case n.Note == "(earlier run)" || n.Note == s.ID(step)+" (already created)":
		detail += " (earlier run)"
	}
	h.line(mark, step, detail)
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// ReasonOf is why a run stopped, for the exit status: a *StepError's
// Reason, usage for bad answers, failure otherwise.
func ReasonOf(err error) (Reason, bool) {
	if err == nil {
		return 0, false
	}
	var se *StepError
	if errors.As(err, &se) {
		return se.Reason, true
	}
	var ae *AnswersError
	if errors.As(err, &ae) {
		return ReasonUsage, true
	}
	if isCanceled(err) {
		return ReasonInterrupted, true
	}
	return reasonOf(err), true
}
