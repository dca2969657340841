package flow

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/telegent/telegent-onboard/api"
)

// The engine: each step as a transaction, written once for every driver.
//
//	begin  (pure)  Submit sets the step's input, marks it in flight and says
//	               the session must be saved before anything is sent;
//	send   (I/O)   Call.Run makes the one API call;
//	settle (pure)  Settle records the outcome and says what happens next.
//
// A driver (the full-screen wizard, the accessible prompts, a headless run)
// only saves, calls and asks: it takes a Next, does what its Kind says, and
// hands the result back (Settle, Answer, Submit, Pick). Every rule about
// what a step does, when it is safe to send again, and what to ask lives
// here.

// NextKind is what a driver does next.
type NextKind int

const (
	// Input: the step needs its input (a form, the answers file). Invalid
	// holds the fields a refused submission broke.
	Input NextKind = iota
	// Send: save the session when Save says so, then make Call and Settle
	// its result.
	Send
	// Ask: put Question to the person (or the driver's policy) and Answer.
	Ask
	// Pick: choose the area the number comes from, among Session.Areas.
	Pick
	// Wait: wait Delay, then make Call (following an order).
	Wait
	// Advance: Step is finished; go on to the step after it.
	Advance
	// Back: go to the step before Step.
	Back
	// Fail: Err says what went wrong and what to do.
	Fail
	// Open: credentials accepted; load the saved session (if any) for
	// this API and account and hand it to Open.
	Open
	// Quit: the person chose to stop.
	Quit
)

// Next is the engine's word to a driver.
type Next struct {
	Kind     NextKind
	Step     Step
	Call     *Call
	Question *Question
	Delay    time.Duration
	Err      *StepError
	Invalid  []*FieldError
	// Save: the session changed; write it before doing anything else.
	Save bool
	// BackupFirst: move the old session file aside before saving (a
	// session started over).
	BackupFirst bool
	// Note says what just happened, for a progress line.
	Note string
}

// Engine runs one onboarding session.
type Engine struct {
	Session *Session
	Client  *api.Client
	// NewClient makes the API client for the credentials a person gave;
	// the driver knows the base URL and its observers.
	NewClient func(api.Credentials) (*api.Client, error)
	Defaults  Defaults
	// Sandbox runs buy nothing: no purchase is confirmed first.
	Sandbox bool
	Order   OrderSchedule
	Now     func() time.Time

	lost    [NumSteps]bool       // a create's answer was lost during this run
	before  [NumSteps]StepRecord // a step's record before its create went in flight
	resent  bool                 // the subscriber was sent again after a lost answer
	pending *pendingCreate       // a create that waits for a question's answer
	order   struct {
		since time.Time
		tries int
	}
	old     *Session     // a saved session offered for resuming
	webhook webhookCheck // the last checklist run for the route's webhooks
}

type pendingCreate struct {
	step  Step
	input any
	// confirmed: the second-resource question was answered (the purchase
	// question may still follow).
	confirmed bool
}

func (e *Engine) now() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}

// Enter is what a step needs when a driver arrives at it: its input,
// usually; a look-up first when its last request's answer was lost; the
// order followed first when the number is still being provisioned.
func (e *Engine) Enter(step Step) Next {
	s := e.Session
	if step >= NumSteps {
		return Next{Kind: Advance, Step: NumSteps}
	}
	if step > Credentials && e.Client != nil && s.NeedsReconcile(step) {
		return Next{Kind: Ask, Step: step, Question: unknownQuestion(step)}
	}
	if (step == Provision || step == TestMessage) && s.IDs.OrderID != "" && s.Status(Provision) == Done &&
		s.OrderPhase() == api.OrderInProgress {
		return e.followOrder()
	}
	return Next{Kind: Input, Step: step}
}

// Draft is the request a step's form starts from: what was sent last, or
// the defaults, with what earlier steps produced filled in.
func (e *Engine) Draft(step Step) any {
	s, d := e.Session, e.Defaults
	switch step {
	case MessageRoute:
		if p := s.Inputs.MessageRoute; p != nil {
			return *p
		}
		return d.MessageRoute
	case VoiceRoute:
		if p := s.Inputs.VoiceRoute; p != nil {
			return *p
		}
		return d.VoiceRoute
	case Availability:
		if p := s.Inputs.Availability; p != nil {
			return *p
		}
		return d.Availability
	case Subscriber:
		r := d.Subscriber
		if p := s.Inputs.Subscriber; p != nil {
			r = *p
		}
		if r.AccountId == "" {
			r.AccountId = s.AccountID
		}
		return r
	case Provision:
		r := d.Provision
		if p := s.Inputs.Provision; p != nil {
			r = *p
		} else if s.VoiceReady() {
			// A voice route was set up for this number.
			r.VoiceEnabled, r.ProductType = true, "Sms+Data+Voice"
		}
		if a := s.IDs.PickedArea; a != nil && r.AreaCode == "" && r.ZipCode == "" {
			r.AreaCode, r.ZipCode = itoa(int(a.AreaCode)), string(a.Zipcode)
		}
		r.VoiceEnabled = r.VoiceEnabled && s.VoiceReady()
		return r
	case TestMessage:
		r := d.Message
		if p := s.Inputs.Message; p != nil {
			r = *p
		}
		if r.From == "" {
			r.From = s.IDs.PhoneNumber
		}
		return r
	}
	return nil
}

// CredentialsInput is step 1's input.
type CredentialsInput struct {
	AccountKey, AccountSecret, AccountId string
}

// Submit begins step's transaction with input (a request type of the api
// package, CredentialsInput for step 1): checks it, and says what to send,
// or what to ask first.
func (e *Engine) Submit(step Step, input any) Next {
	s := e.Session
	if step == Credentials {
		in, _ := input.(CredentialsInput)
		in.AccountKey, in.AccountId = strings.TrimSpace(in.AccountKey), strings.TrimSpace(in.AccountId)
		var bad []*FieldError
		for _, f := range []struct{ name, v string }{{"AccountKey", in.AccountKey}, {"AccountSecret", in.AccountSecret}, {"AccountId", in.AccountId}} {
			if fe := checkValue(Credentials, f.name, f.name, f.v); fe != nil {
				bad = append(bad, fe)
			}
		}
		if len(bad) > 0 {
			return e.invalid(step, bad)
		}
		return Next{Kind: Send, Step: step, Call: &Call{Step: step, Kind: CallAuth, Label: "Authenticating with Telegent…",
			creds: api.Credentials{AccountKey: in.AccountKey, AccountSecret: in.AccountSecret}, id: in.AccountId, newClient: e.NewClient}}
	}
	req := s.shape(step, input)
	if bad := ValidateRequest(step, req, s); len(bad) > 0 {
		return e.invalid(step, bad)
	}
	switch step {
	case Availability:
		r := req.(api.AvailabilityRequest)
		if s.Status(Availability) == Done && s.Inputs.Availability != nil && reflect.DeepEqual(*s.Inputs.Availability, r) && len(s.Areas) == 0 {
			return Next{Kind: Advance, Step: step, Note: s.ID(Availability) + " (earlier run)"}
		}
		return Next{Kind: Send, Step: step, Call: &Call{Step: step, Kind: CallSearch, Label: "Searching for available numbers…", req: r}}
	case TestMessage:
		if s.IDs.OrderID != "" && s.OrderPhase() != api.OrderSucceeded {
			return e.fail(step, ReasonRefused, fmt.Errorf("the number %s is still being provisioned (order %s is %s)",
				s.IDs.PhoneNumber, s.IDs.OrderID, s.IDs.OrderStatus), "wait for the order to complete, then send the test SMS", nil)
		}
	}
	if step == MessageRoute {
		if failed := e.WebhookFailures(req.(api.MessageRouteRequest)); len(failed) > 0 && !e.webhook.accept {
			e.pending = &pendingCreate{step: step, input: req}
			return Next{Kind: Ask, Step: step, Question: createAnywayQuestion(failed)}
		}
	}
	if s.Status(step) == Done {
		if sameInput(s.input(step), req) {
			return e.verify(step)
		}
		e.pending = &pendingCreate{step: step, input: req}
		return Next{Kind: Ask, Step: step, Question: secondQuestion(step, s.ID(step))}
	}
	return e.confirmAndCreate(step, req)
}

// Skip leaves an optional step out (the voice route: SMS only).
func (e *Engine) Skip(step Step) Next {
	e.Session.SkipVoiceRoute(e.now())
	return Next{Kind: Advance, Step: step, Save: true, Note: "skipped"}
}

// PickArea chooses the area the number comes from. A provision form
// filled from an earlier pick takes the new one.
func (e *Engine) PickArea(area api.NumberArea) Next {
	s := e.Session
	s.PickArea(area, e.now())
	if p := s.Inputs.Provision; p != nil && s.Status(Provision) != Done {
		p.AreaCode, p.ZipCode = "", ""
	}
	return Next{Kind: Advance, Step: Availability, Save: true, Note: s.ID(Availability)}
}

// KeepOwnArea finishes availability without a pick: provisioning names
// its own area (an answers file's Provision.AreaCode or ZipCode).
func (e *Engine) KeepOwnArea() Next {
	e.Session.mark(Availability, Done, nil, e.now())
	return Next{Kind: Advance, Step: Availability, Save: true, Note: "provisioning names its own area"}
}

// confirmAndCreate asks before a live purchase, then creates.
func (e *Engine) confirmAndCreate(step Step, req any) Next {
	if step == Provision && !e.Sandbox {
		e.pending = &pendingCreate{step: step, input: req, confirmed: true}
		return Next{Kind: Ask, Step: step, Question: buyQuestion(req.(api.ProvisionRequest), e.Session.AccountID)}
	}
	return e.create(step, req)
}

// create is begin: the input is stored and the step marked in flight, and
// the session is saved before the request is sent, so a crash or a lost
// answer leaves something to look up by.
func (e *Engine) create(step Step, req any) Next {
	if step == MessageRoute || step == VoiceRoute {
		// First, which routes of that name exist already: a look-up after
		// a lost answer must never adopt one of them.
		return Next{Kind: Send, Step: step, Call: &Call{Step: step, Kind: CallCensus, Label: "Checking the account's routes of that name…",
			req: req, id: e.Session.AccountID}}
	}
	return e.send(step, req, nil)
}

// send marks the create in flight, with the routes counted before it, and
// asks for the session to be saved before it goes out.
func (e *Engine) send(step Step, req any, existing []string) Next {
	s := e.Session
	s.SetInput(step, req)
	e.before[step] = s.Steps[step]
	s.MarkInFlight(step, e.now())
	s.Steps[step].Existing = existing
	return Next{Kind: Send, Step: step, Save: true, Call: &Call{Step: step, Kind: CallCreate, Label: createLabels[step], req: req}}
}

func (e *Engine) settleCensus(r Result) Next {
	if isCanceled(r.Err) {
		return e.interrupted(r.Call.Step)
	}
	if r.Err != nil {
		return e.refused(r.Call.Step, r.Err, r.Call)
	}
	return e.send(r.Call.Step, r.Call.req, r.Value.([]string))
}

var createLabels = [NumSteps]string{
	MessageRoute: "Creating the message route…",
	VoiceRoute:   "Creating the voice route…",
	Subscriber:   "Creating the subscriber…",
	Provision:    "Provisioning the number…",
	TestMessage:  "Sending the test message…",
}

// verify checks that a resource the session holds still exists before it
// is reused: it may have been deleted outside the wizard.
func (e *Engine) verify(step Step) Next {
	id := e.Session.ID(step)
	return Next{Kind: Send, Step: step, Call: &Call{Step: step, Kind: CallVerify, Label: "Checking that " + id + " still exists…", id: id}}
}

func (e *Engine) invalid(step Step, bad []*FieldError) Next {
	msgs := make([]string, len(bad))
	for i, fe := range bad {
		msgs[i] = fe.Error()
	}
	return Next{Kind: Input, Step: step, Invalid: bad,
		Err: &StepError{Step: step, Reason: ReasonUsage, Err: errors.New(strings.Join(msgs, "; ")), Field: bad[0].Field}}
}

// sameInput reports whether two requests ask for the same resource; the
// secrets are left out (a saved session never holds them).
func sameInput(prev, next any) bool {
	if prev == nil {
		return false
	}
	strip := func(v any) any {
		s := &Session{}
		s.SetInput(0, v)
		c := s.WithoutSecrets()
		return c.input(stepOfInput(v))
	}
	return reflect.DeepEqual(strip(prev), strip(next))
}

func stepOfInput(v any) Step {
	switch v.(type) {
	case api.MessageRouteRequest:
		return MessageRoute
	case api.VoiceRouteRequest:
		return VoiceRoute
	case api.SubscriberRequest:
		return Subscriber
	case api.ProvisionRequest:
		return Provision
	case api.OutboundMessageRequest:
		return TestMessage
	}
	return Credentials
}

// input is the request a step last sent (or is about to), by value.
func (s *Session) input(step Step) any {
	switch step {
	case MessageRoute:
		if p := s.Inputs.MessageRoute; p != nil {
			return *p
		}
	case VoiceRoute:
		if p := s.Inputs.VoiceRoute; p != nil {
			return *p
		}
	case Subscriber:
		if p := s.Inputs.Subscriber; p != nil {
			return *p
		}
	case Provision:
		if p := s.Inputs.Provision; p != nil {
			return *p
		}
	case TestMessage:
		if p := s.Inputs.Message; p != nil {
			return *p
		}
	}
	return nil
}

// Settle records a call's result and says what happens next.
func (e *Engine) Settle(r Result) Next {
	c := r.Call
	switch c.Kind {
	case CallAuth:
		return e.settleAuth(r)
	case CallCreate:
		return e.settleCreate(r)
	case CallLookup:
		return e.settleLookup(r)
	case CallVerify:
		return e.settleVerify(r)
	case CallSearch:
		return e.settleSearch(r)
	case CallOrder:
		return e.settleOrder(r)
	case CallAdopt:
		return e.settleAdopt(r)
	case CallCensus:
		return e.settleCensus(r)
	}
	return Next{Kind: Fail, Err: &StepError{Step: c.Step, Reason: ReasonFailure, Err: errors.New("unknown call")}}
}

func (e *Engine) settleAuth(r Result) Next {
	s := e.Session
	if isCanceled(r.Err) {
		return e.interrupted(Credentials)
	}
	if r.Err != nil {
		s.RecordCredentials(s.AccountID, r.Err, e.now())
		return e.fail(Credentials, reasonOf(r.Err), r.Err, "", r.Call)
	}
	e.Client = r.Value.(*api.Client)
	s.RecordCredentials(r.Call.id, nil, e.now())
	return Next{Kind: Open, Step: Credentials}
}

func (e *Engine) settleCreate(r Result) Next {
	s, c := e.Session, r.Call
	step := c.Step
	if r.Err == nil {
		s.record(step, c.req, r.Value, e.now())
		e.lost[step] = false
		return e.created(step, "")
	}
	if isCanceled(r.Err) && !errors.Is(r.Err, api.ErrOutcomeUnknown) {
		// Cancelled before anything was sent: the step is as it was.
		s.Steps[step] = e.before[step]
		n := e.interrupted(step)
		n.Save = true
		return n
	}
	s.record(step, c.req, nil, e.now(), r.Err)
	if errors.Is(r.Err, api.ErrOutcomeUnknown) {
		e.lost[step] = true
		if step == Subscriber {
			if e.resent {
				return e.fail(step, ReasonUnknown, r.Err, subscriberHint, nil)
			}
			return Next{Kind: Ask, Step: step, Save: true, Question: subscriberLostQuestion(s)}
		}
		return Next{Kind: Send, Step: step, Save: true, Note: "the answer was lost; looking it up",
			Call: &Call{Step: step, Kind: CallLookup, Label: "Looking up what " + step.Title() + " may have created…", session: s.snapshot()}}
	}
	var ae *api.Error
	if step == Subscriber && e.resent && errors.As(r.Err, &ae) && ae.Kind == api.KindEmailTaken {
		// Sent again after a lost answer, and the email is taken: the
		// first attempt went through. Only its ID can adopt it.
		s.mark(Subscriber, Unknown, r.Err, e.now())
		return Next{Kind: Ask, Step: step, Save: true, Question: subscriberTakenQuestion(s)}
	}
	return e.refused(step, r.Err, &Call{Step: step, Kind: CallCreate, Label: c.Label, req: c.req})
}

// created says what follows a step's success: the order is followed
// before provisioning is finished.
func (e *Engine) created(step Step, note string) Next {
	if step == Provision && e.Session.OrderPhase() == api.OrderInProgress && e.Session.IDs.OrderID != "" {
		e.order.since, e.order.tries = e.now(), 0
		n := e.followOrder()
		n.Save, n.Note = true, note
		return n
	}
	return Next{Kind: Advance, Step: step, Save: true, Note: note}
}

func (e *Engine) settleLookup(r Result) Next {
	s, c := e.Session, r.Call
	step := c.Step
	if isCanceled(r.Err) {
		return e.interrupted(step)
	}
	var amb *AmbiguousError
	switch {
	case errors.As(r.Err, &amb):
		return Next{Kind: Ask, Step: step, Question: ambiguousQuestion(step, amb.IDs)}
	case errors.Is(r.Err, ErrSubscriberUnknown):
		return Next{Kind: Ask, Step: step, Question: subscriberLostQuestion(s)}
	case errors.Is(r.Err, ErrNothingToMatch):
		s.mark(step, Pending, nil, e.now())
		return Next{Kind: Input, Step: step, Save: true, Note: "nothing to look up by: the step is sent again"}
	case r.Err != nil:
		return e.fail(step, ReasonUnknown, fmt.Errorf("the request may have created it, and looking it up failed: %w", r.Err),
			"look it up again once the API answers: nothing is created until the look-up settles it", c)
	}
	found := r.Value.(*Session)
	if found.Status(step) == Done {
		s.adopt(step, found)
		lost := e.lost[step]
		e.lost[step] = false
		note := "adopted from an earlier run"
		if lost {
			note = "adopted after a lost answer"
		}
		return e.created(step, note)
	}
	// Surely absent.
	s.mark(step, Pending, nil, e.now())
	if e.lost[step] {
		// The answer was lost moments ago: the resource may simply not be
		// listed yet. A person decides; a script stops.
		return Next{Kind: Ask, Step: step, Save: true, Question: notFoundQuestion(step)}
	}
	return Next{Kind: Input, Step: step, Save: true, Note: "not found: it will be created"}
}

func (e *Engine) settleVerify(r Result) Next {
	s, step := e.Session, r.Call.Step
	if isCanceled(r.Err) {
		return e.interrupted(step)
	}
	var ae *api.Error
	if r.Err != nil && !(errors.As(r.Err, &ae) && ae.Kind == api.KindNotFound) {
		return e.fail(step, reasonOf(r.Err), r.Err, "", r.Call)
	}
	if r.Err == nil && r.Value.(bool) {
		return Next{Kind: Advance, Step: step, Note: s.ID(step) + " (already created)"}
	}
	// Gone (deleted outside the wizard): create it again.
	id := s.ID(step)
	s.forget(step)
	n := e.confirmAndCreate(step, s.input(step))
	n.Note = id + " no longer exists: creating it again"
	return n
}

func (e *Engine) settleSearch(r Result) Next {
	s, c := e.Session, r.Call
	if isCanceled(r.Err) {
		return e.interrupted(Availability) // a search creates nothing: nothing is unknown
	}
	req := c.req.(api.AvailabilityRequest)
	resp, _ := r.Value.(*api.AvailabilityResponse)
	s.RecordAvailability(req, resp, r.Err, e.now())
	if r.Err != nil {
		return e.refused(Availability, r.Err, c)
	}
	return Next{Kind: Pick, Step: Availability, Save: true}
}

func (e *Engine) settleAdopt(r Result) Next {
	s := e.Session
	if isCanceled(r.Err) {
		return e.interrupted(Subscriber)
	}
	if r.Err != nil {
		return e.fail(Subscriber, reasonOf(r.Err), fmt.Errorf("SubscriberId %s: %w", r.Call.id, r.Err), "", nil)
	}
	sub := r.Value.(*api.Subscriber)
	if sub.SubscriberId == "" {
		sub.SubscriberId = r.Call.id
	}
	req := api.SubscriberRequest{}
	if p := s.Inputs.Subscriber; p != nil {
		req = *p
	}
	s.RecordSubscriber(req, sub, nil, e.now())
	e.lost[Subscriber], e.resent = false, false
	return Next{Kind: Advance, Step: Subscriber, Save: true, Note: sub.SubscriberId + " adopted"}
}

// AdoptSubscriber looks up a subscriber the person names by its TSUID and
// records it as step 5's result.
func (e *Engine) AdoptSubscriber(id string) Next {
	id = strings.TrimSpace(id)
	if fe := checkValue(Subscriber, "SubscriberId", "SubscriberId", id); fe != nil || id == "" {
		if fe == nil {
			fe = &FieldError{Step: Subscriber, Field: "SubscriberId", Msg: "is required"}
		}
		return e.invalid(Subscriber, []*FieldError{fe})
	}
	return Next{Kind: Send, Step: Subscriber, Call: &Call{Step: Subscriber, Kind: CallAdopt, Label: "Looking up " + id + "…", id: id}}
}

// Retry makes a failed step's call again: a refused create is begun anew
// (marked in flight first), anything else is sent as it was.
func (e *Engine) Retry(err *StepError) Next {
	c := err.retry
	if c == nil {
		return Next{Kind: Input, Step: err.Step}
	}
	if c.Kind == CallCreate {
		return e.create(c.Step, c.req)
	}
	if c.Kind == CallOrder {
		e.order.since, e.order.tries = e.now(), 0
	}
	return Next{Kind: Send, Step: c.Step, Call: c}
}

// Lookup looks up what an open step may have created.
func (e *Engine) Lookup(step Step) Next {
	return Next{Kind: Send, Step: step, Call: &Call{Step: step, Kind: CallLookup,
		Label: "Looking up what " + step.Title() + " may have created…", session: e.Session.snapshot()}}
}

func (e *Engine) interrupted(step Step) Next {
	return Next{Kind: Fail, Step: step, Err: &StepError{Step: step, Reason: ReasonInterrupted, Err: context.Canceled}}
}

func isCanceled(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// snapshot is a copy a call may read from another goroutine.
func (s *Session) snapshot() *Session {
	c := *s
	c.Exchanges = nil
	return &c
}

// adopt takes a step's result from a session a look-up filled in.
func (s *Session) adopt(step Step, found *Session) {
	s.Steps[step] = found.Steps[step]
	s.IDs = found.IDs
	s.Order = found.Order
	s.Message = found.Message
}

// forget drops a step's result that no longer exists on the account.
func (s *Session) forget(step Step) {
	switch step {
	case MessageRoute:
		s.IDs.MessageRouteID = ""
	case VoiceRoute:
		s.IDs.VoiceRouteID = ""
	case Subscriber:
		s.IDs.SubscriberID = ""
	case Provision:
		s.IDs.OrderID, s.IDs.OrderStatus, s.IDs.PhoneNumber, s.IDs.PhoneNumberID, s.IDs.QRCode = "", "", "", "", ""
	case TestMessage:
		s.IDs.MessageID, s.IDs.Recipients, s.IDs.DeliveredTo, s.IDs.Reply = "", nil, nil, nil
	}
	s.mark(step, Pending, nil, time.Now())
}

// record stores a create's outcome through the step's Record method.
func (s *Session) record(step Step, req, resp any, now time.Time, errs ...error) {
	var err error
	if len(errs) > 0 {
		err = errs[0]
	}
	switch step {
	case MessageRoute:
		r, _ := resp.(*api.MessageRoute)
		s.RecordMessageRoute(req.(api.MessageRouteRequest), r, err, now)
	case VoiceRoute:
		r, _ := resp.(*api.VoiceRoute)
		s.RecordVoiceRoute(req.(api.VoiceRouteRequest), r, err, now)
	case Subscriber:
		r, _ := resp.(*api.Subscriber)
		s.RecordSubscriber(req.(api.SubscriberRequest), r, err, now)
	case Provision:
		r, _ := resp.(*api.ProvisionResponse)
		s.RecordProvision(req.(api.ProvisionRequest), r, err, now)
	case TestMessage:
		r, _ := resp.(*api.Message)
		s.RecordMessage(req.(api.OutboundMessageRequest), r, err, now)
	}
}
