package flow

import (
	"errors"
	"fmt"
	"time"

	"github.com/telegent/telegent-onboard/api"
)

// Opening a session, resuming it, and following the number's order: once,
// for every driver.

// OrderSchedule is how a pending order is followed: the first look at
// once, then a growing interval from First up to Max, for at most Timeout.
type OrderSchedule struct {
	First, Max, Timeout time.Duration
}

// DefaultOrderSchedule is every driver's: 0, 0.5 s, 1 s, 2 s, 4 s, 8 s, 8 s…
// for five minutes.
var DefaultOrderSchedule = OrderSchedule{First: 500 * time.Millisecond, Max: 8 * time.Second, Timeout: 5 * time.Minute}

func (o OrderSchedule) orDefault() OrderSchedule {
	d := DefaultOrderSchedule
	if o.First > 0 {
		d.First = o.First
	}
	if o.Max > 0 {
		d.Max = o.Max
	}
	if o.Timeout > 0 {
		d.Timeout = o.Timeout
	}
	return d
}

// delay is how long to wait before look number n (0-based).
func (o OrderSchedule) delay(n int) time.Duration {
	if n == 0 {
		return 0
	}
	d := o.First
	for i := 1; i < n && d < o.Max; i++ {
		d *= 2
	}
	return min(d, o.Max)
}

// followOrder is the next look at a pending order.
func (e *Engine) followOrder() Next {
	s := e.Session
	sched := e.Order.orDefault()
	if e.order.since.IsZero() {
		e.order.since = e.now()
	}
	call := &Call{Step: Provision, Kind: CallOrder, Label: "Waiting for order " + s.IDs.OrderID + " to complete…", id: s.IDs.OrderID}
	if e.order.tries > 0 && e.now().Sub(e.order.since) > sched.Timeout {
		e.order.since, e.order.tries = time.Time{}, 0
		return e.fail(Provision, ReasonFailure, fmt.Errorf("order %s is still %s after %v", s.IDs.OrderID, s.IDs.OrderStatus, sched.Timeout),
			"the number is bought and saved in the session; check again later (run the same command again) to follow the order and send the test SMS", call)
	}
	delay := sched.delay(e.order.tries)
	e.order.tries++
	return Next{Kind: Wait, Step: Provision, Delay: delay, Call: call}
}

func (e *Engine) settleOrder(r Result) Next {
	s := e.Session
	if isCanceled(r.Err) {
		return e.interrupted(Provision)
	}
	o, _ := r.Value.(*api.Order)
	before := s.IDs.OrderStatus
	s.RecordOrder(o, r.Err, e.now())
	if r.Err != nil {
		return e.refused(Provision, r.Err, r.Call)
	}
	switch s.OrderPhase() {
	case api.OrderFailed:
		e.order.since, e.order.tries = time.Time{}, 0
		return e.fail(Provision, ReasonRefused, fmt.Errorf("order %s ended %s: %s", s.IDs.OrderID, s.IDs.OrderStatus, o.OrderStatusMessage),
			"the number "+s.IDs.PhoneNumber+" was not activated; contact your Telegent representative with the OrderId", nil)
	case api.OrderInProgress:
		n := e.followOrder()
		n.Save = s.IDs.OrderStatus != before // a look that changed nothing is not written
		return n
	}
	e.order.since, e.order.tries = time.Time{}, 0
	return Next{Kind: Advance, Step: Provision, Save: true, Note: fmt.Sprintf("%s · %s · order %s %s",
		s.IDs.PhoneNumber, s.IDs.PhoneNumberID, s.IDs.OrderID, s.IDs.OrderStatus)}
}

// ErrOtherSession is a session file that belongs to another API or account.
var ErrOtherSession = errors.New("the session file belongs to another API or account")

// Open takes what the driver found in the session file (loaded and err
// from LoadSession at path) once the credentials are accepted, and says how
// to go on: straight on for a new session, a question when there is one to
// resume.
func (e *Engine) Open(path string, loaded *Session, err error) Next {
	s := e.Session
	switch {
	case errors.Is(err, ErrNoSession), err == nil && !loaded.HasProgress():
		return Next{Kind: Advance, Step: Credentials, Save: true}
	case err != nil:
		return e.fail(Credentials, ReasonFailure, fmt.Errorf("%w; move the file aside or pass --state to use another", err), "", nil)
	case loaded.BaseURL != s.BaseURL || (loaded.AccountID != "" && loaded.AccountID != s.AccountID):
		if e.Sandbox {
			// A sandbox forgets everything when it stops: start over, and
			// keep the old file.
			return Next{Kind: Advance, Step: Credentials, Save: true, BackupFirst: true,
				Note: fmt.Sprintf("the session in %s was for another sandbox; kept as a backup, starting over", path)}
		}
		n := e.fail(Credentials, ReasonUsage, fmt.Errorf("%w: %s belongs to %s (AccountId %s), not %s (AccountId %s)",
			ErrOtherSession, path, loaded.BaseURL, loaded.AccountID, s.BaseURL, s.AccountID), "use another --state FILE", nil)
		n.Save = false
		return n
	}
	e.old = loaded
	return Next{Kind: Ask, Step: Credentials, Question: resumeQuestion(path, loaded)}
}

// resume takes over the earlier session's steps, inputs and IDs (keeping
// this run's credentials) and goes on at the first step not done.
func (e *Engine) resume() Next {
	old, s := e.old, e.Session
	e.old = nil
	if old == nil {
		return Next{Kind: Advance, Step: Credentials}
	}
	s.Steps, s.Inputs, s.IDs, s.Cleanup = old.Steps, old.Inputs, old.IDs, old.Cleanup
	s.StartedAt = old.StartedAt
	s.reopenRemoved(e.now())
	s.Steps[Credentials] = StepRecord{Status: Done, UpdatedAt: e.now()}
	first := s.FirstOpen()
	n := e.Enter(first)
	n.Save = true
	n.Note = "resumed"
	if n.Kind == Input {
		// The driver arrives at the first open step.
		n.Step = first
	}
	return n
}

// Resume is resuming a session a headless run loaded itself: no question.
func (e *Engine) Resume(old *Session) {
	e.old = old
	e.resume()
}

// reopenRemoved opens again the steps whose resources cleanup removed:
// they are gone from the account, so their IDs must not be carried forward.
func (s *Session) reopenRemoved(now time.Time) {
	for step, id := range map[Step]string{MessageRoute: s.IDs.MessageRouteID, VoiceRoute: s.IDs.VoiceRouteID, Provision: s.IDs.PhoneNumber} {
		if s.Status(step) == Done && s.Removed(id) {
			s.Steps[step] = StepRecord{Status: Pending, UpdatedAt: now}
		}
	}
}
