package wizard

import (
	"context"
	"errors"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/telegent/telegent-onboard/api"
	"github.com/telegent/telegent-onboard/wizard/flow"
)

// A step whose request was sent but whose answer never came (a lost
// connection, a crash) may have created its resource. The wizard never
// guesses: it shows the step as unknown and lets the user look it up, which
// adopts the resource when it exists; only when it is surely absent is the
// step sent again.

// askAboutUnknown offers the choices for a step with an open outcome.
func (m *Model) askAboutUnknown(step flow.Step) tea.Cmd {
	return m.sh.ask(&question{
		title: step.Title() + ": the outcome is unknown",
		text: "A request for this step was sent, but its answer never arrived, so it may have been carried out. " +
			"Look it up first: if it exists it is adopted, and nothing is created twice.",
		answers: []answer{
			{label: "Look it up", key: "l", cmd: func() tea.Msg { return lookupMsg{step} }},
			{label: "Send it again", key: "s", cmd: func() tea.Msg { return sendAgainMsg{step} }},
			{label: "Back", key: "b", cmd: back},
		},
	})
}

type lookupMsg struct{ step flow.Step }

// sendAgainMsg reopens the step's form to send it again, on the user's word.
type sendAgainMsg struct{ step flow.Step }

// lookup runs flow.Reconcile on a copy of the session, so the command never
// touches what the screen is drawing; the result is copied back in Update.
func (m *Model) lookup(step flow.Step) tea.Cmd {
	sh := m.sh
	work := *sh.session
	return sh.run(&request{
		step:  step,
		label: "Looking up what " + step.Title() + " may have created…",
		do: func(ctx context.Context) (any, error) {
			adopted, err := flow.Reconcile(ctx, sh.client, &work, step, sh.now())
			return adopted, err
		},
		done: func(v any, err error) tea.Cmd {
			switch {
			case errors.Is(err, flow.ErrSubscriberUnknown):
				sh.handled = true // a question, not an error panel
				return m.askSubscriberFate()
			case err != nil:
				return nil // the failure panel shows it; nothing changes
			}
			*sh.session = work
			if adopted, _ := v.(bool); adopted {
				m.current = step
				return sh.save(true) // found and adopted: on to the next step
			}
			// Surely absent: the step may be sent again.
			sh.session.Steps[step] = flow.StepRecord{Status: flow.Pending, UpdatedAt: sh.now()}
			return tea.Batch(m.enter(step), sh.save(false))
		},
	})
}

// askSubscriberFate handles the one resource the API cannot look up: a
// subscriber, by email. Sending it again tells: a 409 "email taken" means
// the first attempt succeeded, and then only its TSUID can adopt it.
func (m *Model) askSubscriberFate() tea.Cmd {
	return m.sh.ask(&question{
		title: "Was the subscriber created?",
		text: "The API cannot look a subscriber up by email. Send it again: if the email is taken, the first attempt " +
			"succeeded and you will be asked for its SubscriberId (TSUID). Or go on without assigning a subscriber.",
		answers: []answer{
			{label: "Send it again", key: "s", cmd: func() tea.Msg { return sendAgainMsg{flow.Subscriber} }},
			{label: "Enter its TSUID", key: "t", cmd: func() tea.Msg { return adoptPromptMsg{} }},
			{label: "Go on without one", key: "g", cmd: func() tea.Msg { return skipSubscriberMsg{} }},
		},
	})
}

type adoptPromptMsg struct{}
type skipSubscriberMsg struct{}

// emailTakenAfterUnknown reports a 409 on re-sending a subscriber whose
// first attempt's outcome was unknown: proof the first attempt worked.
func emailTakenAfterUnknown(err error, wasUnknown bool) bool {
	var ae *api.Error
	return wasUnknown && errors.As(err, &ae) && ae.Kind == api.KindEmailTaken
}

// adoptForm asks for the TSUID of a subscriber created by an earlier attempt.
func (s *subscriberScreen) adoptForm() tea.Cmd {
	s.adopting = true
	s.tsuid = ""
	return s.build(huh.NewGroup(
		huh.NewInput().Title("SubscriberId").Description("The TSUID of the subscriber the earlier attempt created (TSUID-…).").
			Value(&s.tsuid).Validate(s.sh.keep(&s.tsuid, required("SubscriberId"))),
	).Title("Step 5 · Adopt the existing subscriber").Description("GET /v1.0/subscribers/get"))
}

// adopt looks the TSUID up and records it as the step's result.
func (s *subscriberScreen) adopt() tea.Cmd {
	sh := s.sh
	work := *sh.session
	id := s.tsuid
	return sh.run(&request{
		step:  flow.Subscriber,
		label: "Looking up " + id + "…",
		do: func(ctx context.Context) (any, error) {
			return nil, flow.AdoptSubscriber(ctx, sh.client, &work, id, sh.now())
		},
		done: func(_ any, err error) tea.Cmd {
			if err != nil {
				return nil
			}
			s.adopting = false
			*sh.session = work
			return sh.save(true)
		},
	})
}

// handleReconcileMsg routes the messages of this file; false when msg is
// not one of them.
func (m *Model) handleReconcileMsg(msg tea.Msg) (tea.Cmd, bool) {
	sh := m.sh
	switch msg := msg.(type) {
	case lookupMsg:
		return m.lookup(msg.step), true
	case sendAgainMsg:
		sh.session.Steps[msg.step] = flow.StepRecord{Status: flow.Pending, UpdatedAt: sh.now()}
		if msg.step == flow.Subscriber {
			m.screens[flow.Subscriber].(*subscriberScreen).resending = true
		}
		return m.enter(msg.step), true
	case adoptPromptMsg:
		// Straight to the TSUID form: entering the step would ask about its
		// unknown outcome again.
		m.current, m.failure, sh.question = flow.Subscriber, nil, nil
		m.layout()
		return m.screens[flow.Subscriber].(*subscriberScreen).adoptForm(), true
	case skipSubscriberMsg:
		sh.session.Steps[flow.Subscriber] = flow.StepRecord{Status: flow.Skipped, UpdatedAt: sh.now()}
		m.current = flow.Subscriber
		return sh.save(true), true
	}
	return nil, false
}
